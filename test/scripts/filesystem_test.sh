#!/bin/bash
# hbd's Filesystem resource script (resource.d/Filesystem) in two throwaway
# test hosts sharing one loop device with ext4 on it (label hbd-shared):
# status text and codes, start/stop and their repetition, LABEL=/-U forms,
# refusals (device mounted elsewhere, mounts below the directory, missing
# device), mount point creation, stop killing what holds the mount (TERM,
# then KILL; never the caller), sub-mounts, bind mounts, failover of a file
# from node1 to node2, heartbeat's log layout with HA_LOGFILE, and fsck
# refusing a damaged file system.
# Needs root; exits 77 when this machine cannot run test hosts.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/hosts/lib.sh"
. "$TOP/test/scripts/lib.sh"

hbt_require || exit 77
for tool in losetup mkfs.ext4 fuser debugfs blkid; do
	command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: no $tool"; exit 77; }
done

hbt_add_host node1 || exit 1
hbt_add_host node2 || exit 1
# hbt_init's EXIT trap tears the hosts down; ours must do that too, and
# then free the loop device (no host has it mounted any more by then).
cleanup() { set +e; hbt_teardown; rsd_disk_remove; }
trap cleanup EXIT
trap 'cleanup; trap - INT; kill -INT $$' INT
trap 'cleanup; trap - TERM; kill -TERM $$' TERM

rsd_disk_make || { echo "FAIL: could not make the shared disk"; exit 1; }
DEV=$RSD_LOOP
for h in node1 node2; do
	rsd_private_srv "$h"
	rsd_install "$h"
	hbt_boot "$h" || { echo "FAIL: $h did not boot"; exit 1; }
done

SCRIPT=/etc/ha.d/resource.d/Filesystem
PATHS=PATH=/usr/sbin:/usr/bin:/sbin:/bin
# fs HOST ARGS...: the script by hand, as an admin runs it.
fs() { rsd_script "$1" Filesystem "${@:2}"; }
# fs_env HOST VAR=VALUE... -- ARGS...: the same with some environment.
fs_env() {
	local host=$1; shift
	local vars=()
	while [ "$1" != -- ]; do vars+=("$1"); shift; done
	shift
	hbt_run "$host" env -i "$PATHS" "${vars[@]}" "$SCRIPT" "$@"
}
# mounted HOST DIR: DIR is a mount point in HOST's /proc/mounts.
mounted() { hbt_run "$1" awk -v d="$2" '$2 == d { f = 1 } END { exit !f }' /proc/mounts; }
check() { local desc=$1; shift; if "$@"; then rsd_ok "$desc"; else rsd_fail "$desc"; fi; }
output_lacks() {
	if printf '%s\n' "$RSD_OUT" | grep -Eq -- "$2"; then
		rsd_fail "$1: /$2/ in:"; printf '%s\n' "$RSD_OUT" | sed 's/^/     /'
	else rsd_ok "$1"; fi
}
# hb_verdict TEXT: what heartbeat makes of a status's stdout (§3.5).
hb_verdict() {
	case $1 in
	*[Nn][Oo][Tt]*[Rr]unning*) echo stopped ;;
	*[Rr]unning*|*OK*) echo running ;;
	*) echo stopped ;;
	esac
}
# holder HOST CMD: a process in HOST in the background (its pid here: $!).
holder() { hbt_run "$1" sh -c "$2" </dev/null >/dev/null 2>&1 & }
# users HOST DIR: some process uses the file system mounted on DIR.
users() { [ -n "$(hbt_run "$1" fuser -m "$2" 2>/dev/null)" ]; }

# --- status, start, repeated start ---------------------------------------
rsd_expect "status when stopped" 3 fs node1 "$DEV" /srv/ha ext4 status
rsd_output_has "status when stopped says stopped" 'unmounted \(stopped\)'
rsd_output_has "status when stopped: wrapper line" 'INFO:  Resource is stopped'
output_lacks "status when stopped: no running/OK anywhere" '[Rr]unning|OK'
out=$(fs node1 "$DEV" /srv/ha ext4 status 2>/dev/null)
check "heartbeat reads the stopped status as stopped" [ "$(hb_verdict "$out")" = stopped ]

rsd_expect "start" 0 fs node1 "$DEV" /srv/ha ext4 start
rsd_output_has "start runs fsck first" "INFO: Running fsck on $DEV"
rsd_output_has "start logs the mount" "INFO: Mounting $DEV on /srv/ha \(ext4\)"
rsd_output_has "start: wrapper line" 'INFO:  Success'
check "mounted in node1" mounted node1 /srv/ha
check "not mounted in node2" eval '! mounted node2 /srv/ha'

rsd_expect "start again" 0 fs node1 "$DEV" /srv/ha ext4 start
rsd_output_has "start again: already mounted" 'Filesystem /srv/ha is already mounted\.'
rsd_expect "status when running" 0 fs node1 "$DEV" /srv/ha ext4 status
rsd_output_has "status when running: Running OK" 'INFO:  Running OK'
rsd_output_has "status when running: mounted" '/srv/ha is mounted \(running\)'
out=$(fs node1 "$DEV" /srv/ha ext4 status 2>/dev/null)
check "heartbeat reads the running status as running" [ "$(hb_verdict "$out")" = running ]
rsd_expect "monitor = status; trailing slash" 0 fs node1 "$DEV" /srv/ha/ ext4 monitor
rsd_output_has "monitor: Running OK" 'INFO:  Running OK'

hbt_run node1 sh -c 'echo written-on-node1 >/srv/ha/marker'

# --- stop with a process holding the mount ---------------------------------
holder node1 'cd /srv/ha && exec sleep 1000'
bg=$!
check "holder process uses /srv/ha" hbt_wait_for 50 users node1 /srv/ha
rsd_expect "stop with a process in /srv/ha" 0 fs node1 "$DEV" /srv/ha ext4 stop
rsd_output_has "stop signals the holder" 'sending signal TERM to: .*sleep 1000'
rsd_output_has "stop unmounts" 'INFO: unmounted /srv/ha successfully'
check "holder is gone" eval '! hbt_run node1 pgrep -f "sleep 1000" >/dev/null'
check "unmounted in node1" eval '! mounted node1 /srv/ha'
wait "$bg" 2>/dev/null
rsd_expect "stop again" 0 fs node1 "$DEV" /srv/ha ext4 stop
rsd_expect "status after stop" 3 fs node1 "$DEV" /srv/ha ext4 status

# --- failover: node1's file on node2 ---------------------------------------
rsd_expect "start on node2" 0 fs node2 "$DEV" /srv/ha ext4 start
check "node2 sees node1's file" [ "$(hbt_run node2 cat /srv/ha/marker 2>&1)" = written-on-node1 ]
rsd_expect "stop on node2" 0 fs node2 "$DEV" /srv/ha ext4 stop

# --- other ways to name the device -----------------------------------------
if [ "$(blkid -t LABEL=hbd-shared -o device | wc -l)" = 1 ]; then
	rsd_expect "start with LABEL=hbd-shared" 0 fs node1 LABEL=hbd-shared /srv/ha ext4 start
	rsd_output_has "LABEL= resolved" "LABEL=hbd-shared is $DEV"
	check "LABEL=: mounted" mounted node1 /srv/ha
	rsd_expect "status with LABEL=hbd-shared" 0 fs node1 LABEL=hbd-shared /srv/ha ext4 status
	rsd_expect "stop with LABEL=hbd-shared" 0 fs node1 LABEL=hbd-shared /srv/ha ext4 stop
else
	# Another disk with the same label (a parallel run): blkid may pick it.
	rsd_ok "LABEL=hbd-shared skipped: the label is not unique on this machine"
fi
uuid=$(blkid -o value -s UUID "$DEV")
rsd_expect "start with -U<uuid>, no fstype" 0 fs node1 "-U$uuid" /srv/ha start
rsd_output_has "-U: fsck on the detected ext4" "Running fsck on $DEV"
check "-U: mounted" mounted node1 /srv/ha
rsd_expect "stop with -U<uuid>" 0 fs node1 "-U$uuid" /srv/ha stop

# --- refusals --------------------------------------------------------------
hbt_run node1 mkdir -p /srv/other
hbt_run node1 mount "$DEV" /srv/other
rsd_expect "start while the device is mounted elsewhere" 1 fs node1 "$DEV" /srv/ha ext4 start
rsd_output_has "says where it is mounted" "ERROR: Device $DEV is already mounted on /srv/other"
check "not mounted on /srv/ha" eval '! mounted node1 /srv/ha'
hbt_run node1 umount /srv/other

hbt_run node1 mkdir -p /srv/ha/sub
hbt_run node1 mount -t tmpfs below /srv/ha/sub
rsd_expect "start with a mount below the directory" 1 fs node1 "$DEV" /srv/ha ext4 start
rsd_output_has "says what is below" 'ERROR: There is one or more mounts mounted under /srv/ha'
hbt_run node1 umount /srv/ha/sub
hbt_run node1 rmdir /srv/ha/sub

rsd_expect "missing device" 5 fs node1 /dev/does-not-exist /srv/ha ext4 start
rsd_output_has "missing device: message" 'ERROR: Couldn.t find device \[/dev/does-not-exist\]\. Expected /dev/\?\?\? to exist'
rsd_expect "unknown label" 5 fs node1 LABEL=no-such-label /srv/ha ext4 start
rsd_output_has "unknown label: message" 'Couldn.t find device \[LABEL=no-such-label\]'

rsd_expect "too few arguments" 2 fs node1 /srv/ha start
rsd_output_has "too few arguments: usage" 'usage'
rsd_expect "too many arguments" 2 fs node1 "$DEV" /srv/ha ext4 rw extra start
rsd_output_has "too many arguments: usage" 'usage'
rsd_expect "unknown operation" 2 fs node1 "$DEV" /srv/ha ext4 restart
rsd_output_has "unknown operation: usage" 'usage'

# --- mount point created; options ------------------------------------------
rsd_expect "missing mount point" 0 fs node1 "$DEV" /srv/new/deep ext4 ro,noatime start
rsd_output_has "mount point created" 'Creating mount point /srv/new/deep'
check "mounted on the new mount point" mounted node1 /srv/new/deep
check "mounted read-only" hbt_run node1 awk '$2 == "/srv/new/deep" && $4 ~ /^ro,/ { f = 1 } END { exit !f }' /proc/mounts
rsd_expect "stop the new mount point" 0 fs node1 "$DEV" /srv/new/deep ext4 ro,noatime stop

# --- sub-mounts, TERM then KILL, never the caller ----------------------------
rsd_expect "start for sub-mounts" 0 fs node1 "$DEV" /srv/ha ext4 start
hbt_run node1 mkdir -p /srv/ha/sub
hbt_run node1 mount -t tmpfs below /srv/ha/sub
rsd_expect "stop with a sub-mount" 0 fs node1 "$DEV" /srv/ha ext4 stop
RSD_OUT=$(printf '%s\n' "$RSD_OUT" | tr '\n' ' ')
rsd_output_has "sub-mount unmounted first" 'unmounted /srv/ha/sub successfully.*unmounted /srv/ha successfully'
check "sub-mount gone" eval '! mounted node1 /srv/ha/sub'
check "directory unmounted" eval '! mounted node1 /srv/ha'

rsd_expect "start for KILL" 0 fs node1 "$DEV" /srv/ha ext4 start
holder node1 'trap "" TERM; cd /srv/ha && while :; do sleep 0.2; done'
bg=$!
check "TERM-proof holder uses /srv/ha" hbt_wait_for 50 users node1 /srv/ha
rsd_expect "stop kills a TERM-proof holder" 0 fs_env node1 HBD_FS_UMOUNT_TRIES=4 -- "$DEV" /srv/ha ext4 stop
rsd_output_has "TERM first" 'sending signal TERM to: '
rsd_output_has "then KILL" 'sending signal KILL to: .*while'
check "unmounted after KILL" eval '! mounted node1 /srv/ha'
wait "$bg" 2>/dev/null

rsd_expect "start for give-up" 0 fs node1 "$DEV" /srv/ha ext4 start
rsd_expect "stop run from a shell inside /srv/ha gives up" 1 hbt_run node1 bash -c \
	"cd /srv/ha && env -i $PATHS HBD_FS_UMOUNT_TRIES=2 $SCRIPT $DEV /srv/ha ext4 stop; rc=\$?; echo caller-alive; exit \$rc"
rsd_output_has "gives up" "ERROR: Couldn't unmount /srv/ha, giving up!"
rsd_output_has "the calling shell was not signalled" 'caller-alive'
output_lacks "nothing signalled" 'sending signal'
check "still mounted after giving up" mounted node1 /srv/ha
rsd_expect "stop after giving up" 0 fs node1 "$DEV" /srv/ha ext4 stop

# --- bind mount: only what is below the mount point is signalled ------------
hbt_run node1 mkdir -p /srv/data
rsd_expect "bind mount start" 0 fs node1 /srv/data /srv/bind none start
check "bind mount mounted" mounted node1 /srv/bind
rsd_expect "bind mount status" 0 fs node1 /srv/data /srv/bind none status
holder node1 'cd /srv/bind && exec sleep 1001'
bg1=$!
holder node1 'cd /srv/data && exec sleep 1002'
bg2=$!
check "bind holders run" hbt_wait_for 50 eval 'hbt_run node1 pgrep -f "sleep 100[12]" | wc -l | grep -qx 2'
rsd_expect "bind mount stop" 0 fs node1 /srv/data /srv/bind none stop
rsd_output_has "bind: holder below the mount point signalled" 'sending signal TERM to: .*sleep 1001'
output_lacks "bind: the rest of the file system spared" 'sleep 1002'
check "bind: process outside the mount point alive" hbt_run node1 pgrep -f "sleep 1002" >/dev/null
check "bind mount unmounted" eval '! mounted node1 /srv/bind'
hbt_run node1 pkill -f "sleep 1002"
wait "$bg1" "$bg2" 2>/dev/null

# --- heartbeat's log layout --------------------------------------------------
log=$(hbt_logdir node1)/ha-log
rsd_expect "start with HA_LOGFILE" 0 fs_env node1 HA_LOGFILE=/var/log/ha-log -- "$DEV" /srv/ha ext4 start
check "HA_LOGFILE: stdout is the wrapper line alone" [ "$RSD_OUT" = "INFO:  Success" ]
check "HA_LOGFILE: log line in heartbeat's layout" grep -Eq \
	'^[0-9]{4}/[0-9]{2}/[0-9]{2}_[0-9]{2}:[0-9]{2}:[0-9]{2}  Filesystem\(/srv/ha\)\[[0-9]+\]:    INFO: Mounting ' "$log"
check "HA_LOGFILE: wrapper line logged" grep -q 'Filesystem(/srv/ha)\[[0-9]*\]:    INFO:  Success' "$log"
rsd_expect "stop with HA_LOGFILE" 0 fs_env node1 HA_LOGFILE=/var/log/ha-log -- "$DEV" /srv/ha ext4 stop
check "HA_LOGFILE: unmount logged" grep -q 'INFO: unmounted /srv/ha successfully' "$log"

# --- fsck refuses a damaged file system (last: it wrecks the disk) -----------
# No root directory, and the superblock says "errors": e2fsck -p must stop.
debugfs -w -R 'clri <2>' "$DEV" >/dev/null 2>&1
debugfs -w -R 'ssv state 2' "$DEV" >/dev/null 2>&1
rsd_expect "start on a damaged file system" 1 fs node1 "$DEV" /srv/ha ext4 start
rsd_output_has "fsck failure reported" "Couldn't successfully fsck filesystem for $DEV"
check "damaged file system not mounted" eval '! mounted node1 /srv/ha'

rsd_summary "Filesystem resource script"
