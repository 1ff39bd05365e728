#!/bin/bash
# hbd.ini [fence] between two hbd test hosts sharing one ext4 disk (a loop
# device both hosts see), one group:
#   node1 <VIP>/24/eth0 Filesystem::<loop>::/srv/ha::ext4
# with fence-testhost (heartbeat/tools) as both nodes' fence command.
#   a. node1 cut off (a split brain) while node2 cannot fence it (no agent):
#      node2 declares node1 dead, logs CRIT, retries, and takes nothing;
#      then the link heals.
#   b. the same split brain with the fence agent running: node2 has node1
#      powered off, then (only then) takes the group.
# Throughout, both hosts are sampled every 50 ms: the disk mounted or the
# VIP configured on both running hosts at once, never.
# node1 (the holder) fences only after 8 s, as sites let the node that runs
# the service lose a fence race (pacemaker's priority-fencing-delay): both
# nodes see each other dead, node2 must win. A powered-off test host's
# network namespace keeps its addresses and answers ARP, which a real one
# does not: IPaddr's duplicate address probe is off (HBD_DAD_MS=0).
# Skips (77) without root, test-host support or a free loop device.
. "$(dirname "$0")/common.sh"
NODE1_KIND=hbd NODE2_KIND=hbd RSC_MODE=on
. "$here/rsc-lib.sh"
. "$here/story-lib.sh"
skip_unless_possible
command -v losetup >/dev/null && losetup -f >/dev/null 2>&1 || { echo "SKIP: no free loop device"; exit 77; }
[ -x /sbin/mkfs.ext4 ] || command -v mkfs.ext4 >/dev/null || { echo "SKIP: no mkfs.ext4"; exit 77; }
FENCE=$top/heartbeat/tools/fence-testhost
AGENT=

fence_write_config() {
	local host=$1 e; e=$(hbt_etc "$host")
	rsc_write_config "$host" || return 1
	echo "node1 $VIP/24/eth0 Filesystem::$RSD_LOOP::/srv/ha::ext4" >"$e/haresources"
	local command=$FENCE
	[ "$host" = node1 ] && command="/bin/sh -c \"sleep 8; exec $FENCE \$0 \$1\""
	printf '[fence]\ncommand = %s\nretry = 1\nretry_max = 2\ntimeout = 30\n' "$command" >"$e/hbd.ini"
	rsd_install "$host"
}
fence_running() { hbt_run "$1" pgrep -f fence-testhost >/dev/null 2>&1; }

agent_start() {
	HBT_FENCE_DIR=$HBT_DIR/hosts "$FENCE" --serve 2>>"$HBT_DIR/agent.log" &
	AGENT=$!
}
agent_stop() { [ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null; wait "$AGENT" 2>/dev/null; AGENT=; }

fence_cleanup() { agent_stop; holds_sampler_stop 2>/dev/null; hbt_teardown; rsd_disk_remove; }

# holds WHAT HOST: HOST is running (a fenced host's network namespace keeps
# its addresses, but nothing in it runs) and has the disk mounted / the VIP.
holds() { hbt_running "$2" && case $1 in disk) mounted_on "$2" ;; vip) vip_on "$2" ;; esac; }
HOLDS_SAMPLER=
holds_sampler_start() {
	rm -f "$HBT_DIR/holds.stop"
	(
		n=0 both=0
		while [ ! -e "$HBT_DIR/holds.stop" ] && [ $n -lt 20000 ]; do
			for what in disk vip; do
				holds "$what" node1 && holds "$what" node2 &&
					{ both=$((both + 1)); echo "$(now_ms) $what on both" >>"$HBT_DIR/holds.log"; }
			done
			n=$((n + 1))
			echo "$n $both" >"$HBT_DIR/holds.count"
			sleep 0.05
		done
	) &
	HOLDS_SAMPLER=$!
}
holds_sampler_stop() {
	: >"$HBT_DIR/holds.stop"
	[ -n "$HOLDS_SAMPLER" ] && wait "$HOLDS_SAMPLER" 2>/dev/null
	HOLDS_SAMPLER=
	read -r SAMPLES DOUBLES <"$HBT_DIR/holds.count" || { SAMPLES=0 DOUBLES=1; }
}
group_on() { holds disk "$1" && holds vip "$1"; }
group_nowhere_but() { group_on "$1" && ! holds disk "$(peer_of "$1")" && ! holds vip "$(peer_of "$1")"; }
# line_of HOST MARK RE: the number of the first line after MARK matching RE.
line_of() {
	tail -n "+$(($2 + 1))" "$(ha_log_of "$1")" 2>/dev/null | grep -nE -- "$3" | head -n 1 | cut -d: -f1
}
before() {  # before HOST MARK RE1 RE2: RE1 is logged, and before any RE2
	local a b; a=$(line_of "$1" "$2" "$3"); b=$(line_of "$1" "$2" "$4")
	[ -n "$a" ] && { [ -z "$b" ] || [ "$a" -lt "$b" ]; }
}
peer_active() { hbt_run "$1" "$CL_STATUS" nodestatus "$(peer_of "$1")" 2>/dev/null | grep -q active; }

t_start=$(now_ms)
echo "# fence: hbd and hbd, auto_failback on, fence-testhost, a shared ext4 disk"
hbt_cluster node1 node2 || { echo "FAIL setting up the test hosts"; exit 1; }
rsd_on_exit fence_cleanup
VIP="$HBT_SUBNET.200"
rsd_disk_make 64 || { echo "FAIL making the shared disk"; exit 1; }
for h in node1 node2; do
	rsc_fake_reboot "$h"  # first: it writes the host's binds afresh
	rsd_private_srv "$h"
	fence_write_config "$h" || { echo "FAIL configuring $h"; exit 1; }
done
for h in node1 node2; do hbt_boot "$h" || { echo "FAIL booting $h"; exit 1; }; done
for h in node1 node2; do hbt_run "$h" mkdir -p /srv/ha; done
for h in node1 node2; do rsc_start "$h" "HBT_FENCE_DIR=$HBT_DIR/hosts" HBD_DAD_MS=0; done
check "node1 holds the group (disk mounted, VIP)" hbt_wait_for 300 group_nowhere_but node1
check "node2 sees node1 active" hbt_wait_for 200 peer_active node2
holds_sampler_start

echo "# a. split brain, node2 cannot fence node1 (no agent)"
m2=$(log_mark node2)
hbt_cut node1
check "node2 declares node1 dead" hbt_wait_for 100 log_since node2 "$m2" "node node1: is dead"
check "node2 runs the fence command" hbt_wait_for 50 log_since node2 "$m2" "Resetting node node1 with \[$FENCE\] \(dead\)"
check "its failure is logged CRIT" hbt_wait_for 100 log_since node2 "$m2" "CRIT: Fencing of node1 failed"
failed_twice() { [ "$(log_count_since node2 "$m2" "CRIT: Fencing of node1 failed")" -ge 2 ]; }
check "it is retried" hbt_wait_for 150 failed_twice
check "node2 takes nothing over" not log_since node2 "$m2" "Resources being acquired from node1|Taking over resource group"
check "the disk and the VIP stay on node1 only" group_nowhere_but node1
m2=$(log_mark node2)
hbt_heal node1
check "node2 sees node1 back" hbt_wait_for 100 log_since node2 "$m2" "returning after partition|no longer waited for"
check "node2 stops trying to fence node1" hbt_wait_for 50 log_since node2 "$m2" "Fencing of node1 no longer waited for"
check "node2 sees node1 active again" hbt_wait_for 100 peer_active node2
check "node1's own (delayed) fence run is over" hbt_wait_for 150 not fence_running node1
sleep 2
check "node1 still holds the group, alone" group_nowhere_but node1

echo "# b. split brain with the fence agent: node2 fences node1, then takes over"
agent_start
m2=$(log_mark node2)
hbt_cut node1
check "node2 declares node1 dead" hbt_wait_for 100 log_since node2 "$m2" "node node1: is dead"
check "node1 is powered off" hbt_wait_for 150 not hbt_running node1
hbt_link node1 down  # what a real power-off does to its link
check "node2 logs the reset" hbt_wait_for 50 log_since node2 "$m2" "node node1 now reset\."
check "node2 takes the group over" hbt_wait_for 300 group_on node2
check "the reset came before the takeover" before node2 "$m2" "node node1 now reset\." "Taking over resource group"
holds_sampler_stop
check "never on both hosts at once (disk, VIP; $SAMPLES samples)" test "$SAMPLES" -ge 50 -a "$DOUBLES" = 0
echo "# samples=$SAMPLES both=$DOUBLES; agent: $(tr '\n' ';' <"$HBT_DIR/agent.log" 2>/dev/null)"

[ "$fails" = 0 ] && [ -z "${SHOW_LOGS:-}" ] || show_logs node1 node2
echo "# $fails failure(s); elapsed $(( ($(now_ms) - t_start) / 1000 )) s"
exit $((fails > 0))
