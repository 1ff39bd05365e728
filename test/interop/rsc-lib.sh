# Helpers of the resource-group cluster tests (rsc-*.sh).  Sourced after
# common.sh.  Three test hosts: node1 and node2 run a daemon each (heartbeat
# 3.0.6 or hbd, chosen per node), `client` runs none and only looks at the
# VIP from outside.  haresources has two groups:
#   node1 <VIP>/24/eth0 rec::A1 rec::A2     (group A, key = the VIP token)
#   node2 rec::B1                           (group B, key rec::B1)
# rec is rsc/rec (records every call in the host's /var/log/rec.log).
#
# Everything observed is actual state (addresses on eth0, rec's state files
# in each host's /run) or log lines; waits are generous hbt_wait_for bounds.

NODES="node1 node2"
HB_CL_STATUS=/usr/bin/cl_status
REC_SCRIPT=$here/rsc/rec

# The kind of daemon on each node: hb (heartbeat 3.0.6) or hbd.
NODE1_KIND=${NODE1_KIND:-hb}
NODE2_KIND=${NODE2_KIND:-hb}
RSC_MODE=${RSC_MODE:-on}          # auto_failback on|off|legacy
RSC_MEDIUM=${RSC_MEDIUM:-bcast}   # bcast|ucast|mcast
RSC_AUTH=${RSC_AUTH:-sha1}        # crc|md5|sha1
# Short timers (heartbeat wants initdead >= deadtime > 2 x keepalive).
RSC_KEEPALIVE=${RSC_KEEPALIVE:-500ms}
RSC_DEADTIME=${RSC_DEADTIME:-3}
RSC_WARNTIME=${RSC_WARNTIME:-2}
RSC_INITDEAD=${RSC_INITDEAD:-6}

# Tools per kind: each daemon's own hb_standby/hb_takeover (hbd's are built
# beside its binary; heartbeat's shell tools when they are not there).
hbd_tool() {
	if [ -x "$(dirname "$HBD")/$1" ]; then echo "$(dirname "$HBD")/$1"; else echo "/usr/share/heartbeat/$1"; fi
}
HB_STANDBY_hb=${HB_STANDBY_hb:-/usr/share/heartbeat/hb_standby}
HB_STANDBY_hbd=${HB_STANDBY_hbd:-$(hbd_tool hb_standby)}
HB_TAKEOVER_hb=${HB_TAKEOVER_hb:-/usr/share/heartbeat/hb_takeover}
HB_TAKEOVER_hbd=${HB_TAKEOVER_hbd:-$(hbd_tool hb_takeover)}
INIT_SCRIPT_hb=${INIT_SCRIPT_hb:-/etc/init.d/heartbeat}
INIT_SCRIPT_hbd=${INIT_SCRIPT_hbd:-$(dirname "$HBD")/heartbeat/tools/init.d/heartbeat}
# hbd gives up a hanging start after HBD_START_TIMEOUT seconds (scenario j).
RSC_START_TIMEOUT=${RSC_START_TIMEOUT:-5}
# The environment variable that tells hbd which reboot command to run
# (scenario i); it is pointed at the recording fake inside the host.
RSC_HBD_REBOOT_VAR=${RSC_HBD_REBOOT_VAR:-HBD_REBOOT_COMMAND}

kind_of() {
	case $1 in
	node1) echo "$NODE1_KIND" ;;
	node2) echo "$NODE2_KIND" ;;
	*) echo none ;;
	esac
}
is_hb() { [ "$(kind_of "$1")" = hb ]; }
peer_of() { if [ "$1" = node1 ]; then echo node2; else echo node1; fi; }
daemon_of() { if is_hb "$1"; then echo "$HEARTBEAT"; else echo "$HBD"; fi; }
cl_status_of() { if is_hb "$1"; then echo "$HB_CL_STATUS"; else echo "$CL_STATUS"; fi; }
standby_tool_of() { local v="HB_STANDBY_$(kind_of "$1")"; echo "${!v}"; }
takeover_tool_of() { local v="HB_TAKEOVER_$(kind_of "$1")"; echo "${!v}"; }
init_script_of() { local v="INIT_SCRIPT_$(kind_of "$1")"; echo "${!v}"; }
home_of() { case $1 in A) echo node1 ;; B) echo node2 ;; esac; }
nice_failback() { [ "$RSC_MODE" != legacy ]; }

# rsc_skip_unless_possible: exit 77 without root, or without the daemon a
# node is meant to run.
rsc_skip_unless_possible() {
	local why k
	if ! why=$(hbt_require 2>&1); then echo "SKIP: $why"; exit 77; fi
	for k in "$NODE1_KIND" "$NODE2_KIND"; do
		case $k in
		hb) [ -x "$HEARTBEAT" ] || { echo "SKIP: heartbeat 3.0.6 not installed"; exit 77; } ;;
		hbd) [ -x "$HBD" ] || { echo "SKIP: no hbd binary at $HBD"; exit 77; } ;;
		*) echo "unknown daemon kind: $k (hb or hbd)" >&2; exit 2 ;;
		esac
	done
	case $RSC_MODE in on|off|legacy) ;; *) echo "unknown mode: $RSC_MODE" >&2; exit 2 ;; esac
	[ -x /etc/ha.d/resource.d/IPaddr ] || { echo "SKIP: no /etc/ha.d/resource.d/IPaddr"; exit 77; }
}

now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }

# --- configuration ---------------------------------------------------------

# rsc_write_config HOST: ha.cf, authkeys, haresources and the rec script of a
# node (write_config's style with our timers and auto_failback).
rsc_write_config() {
	local host=$1 e medium
	e=$(hbt_etc "$host")
	case $RSC_MEDIUM in
	bcast) medium="bcast eth0" ;;
	ucast) medium="ucast eth0 $(hbt_ip "$(peer_of "$host")")" ;;
	mcast) medium="mcast eth0 239.18.0.1 694 1 0" ;;
	*) echo "unknown medium: $RSC_MEDIUM" >&2; return 1 ;;
	esac
	{
		echo "use_logd no"
		echo "logfile /var/log/ha-log"
		echo "debugfile /var/log/ha-debug"
		echo "memreserve 2000"
		echo "keepalive $RSC_KEEPALIVE"
		echo "deadtime $RSC_DEADTIME"
		echo "warntime $RSC_WARNTIME"
		echo "initdead $RSC_INITDEAD"
		echo "auto_failback $RSC_MODE"
		echo "$medium"
		echo "node $NODES"
	} >"$e/ha.cf"
	case $RSC_AUTH in
	crc) printf 'auth 2\n2 crc\n' ;;
	*) printf 'auth 2\n2 %s interop-secret\n' "$RSC_AUTH" ;;
	esac >"$e/authkeys"
	chmod 600 "$e/authkeys"
	{
		echo "node1 $VIP/24/eth0 rec::A1 rec::A2"
		echo "node2 rec::B1"
	} >"$e/haresources"
	install -m 0755 "$REC_SCRIPT" "$e/resource.d/rec"
	mkdir -p "$e/rec-fault"
}

# rsc_fake_reboot HOST: a recording stand-in for /sbin/reboot and /sbin/init
# inside the host (bind mounts, applied at boot).  heartbeat's
# ResourceManager runs `/sbin/reboot -nf` (else `/sbin/init 6`) when a stop
# fails; inside the host that only appends a line to /var/log/reboot.log
# and then waits (for the test to power the host off).
rsc_fake_reboot() {
	local d f; d=$(hbt_dir "$1"); f="$d/fake-reboot"
	cat >"$f" <<-'EOF'
	#!/bin/sh
	# Test stand-in for reboot/init: records the call, reboots nothing.
	# Like a real `reboot -nf` it does not return (the caller must not go
	# on releasing resources); the test powers the host off.
	echo "$(date +%s.%3N) $0 $*" >>/var/log/reboot.log
	exec sleep 600
	EOF
	chmod 0755 "$f"
	printf '%s %s\n' "$f" /sbin/reboot "$f" /sbin/init >"$d/binds"
}

# reboot_is_fake HOST: /sbin/reboot and /sbin/init inside the host are the
# recording stand-in (same file as seen from here), so nothing run there can
# reboot this machine.  Checked without executing either.
reboot_is_fake() {
	local want; want=$(stat -L -c '%d:%i' "$(hbt_dir "$1")/fake-reboot") || return 1
	[ "$(hbt_run "$1" stat -L -c '%d:%i' /sbin/reboot 2>/dev/null)" = "$want" ] &&
	[ "$(hbt_run "$1" stat -L -c '%d:%i' /sbin/init 2>/dev/null)" = "$want" ] &&
	[ "$(hbt_run "$1" readlink /proc/1/ns/pid)" != "$(readlink /proc/1/ns/pid)" ]
}
reboot_recorded() { grep -q -- "$2" "$(hbt_logdir "$1")/reboot.log" 2>/dev/null; }

# rsc_setup: the three hosts, configured and powered on.
rsc_setup() {
	hbt_cluster node1 node2 client || return 1
	VIP="$HBT_SUBNET.200"
	local h
	for h in node1 node2; do
		rsc_write_config "$h" || return 1
		rsc_fake_reboot "$h"
	done
	for h in node1 node2 client; do hbt_boot "$h" || return 1; done
}

# --- power and daemons -----------------------------------------------------

# rsc_power_off HOST: power loss.  hbt_stop kills every process, but the
# network namespace outlives them with its addresses: take the link down and
# drop what a reboot would lose (the VIP alias, the neighbour cache).
rsc_power_off() {
	local host=$1 ns a; ns=$(hbt_ns "$host")
	hbt_stop "$host"
	hbt_link "$host" down
	for a in $(ip -n "$ns" -o -4 addr show dev eth0 | awk '{print $4}'); do
		[ "${a%/*}" = "$(hbt_ip "$host")" ] || ip -n "$ns" addr del "$a" dev eth0
	done
	ip -n "$ns" neigh flush dev eth0 2>/dev/null
	return 0
}
rsc_power_on() { hbt_link "$1" up && hbt_boot "$1"; }

# rsc_start HOST [VAR=VALUE...]: start the node's daemon (it daemonises);
# extra environment for it (hbd's HBD_START_TIMEOUT...) as arguments.
rsc_start() {
	local host=$1; shift
	local env=("$@")
	# Inside the host /sbin/reboot is the recording stand-in (rsc_fake_reboot).
	is_hb "$host" || env+=("$RSC_HBD_REBOOT_VAR=/sbin/reboot -nf")
	[ -n "${RSC_STOPRETRYMAX:-}" ] && env+=("HA_STOPRETRYMAX=$RSC_STOPRETRYMAX")
	hbt_run "$host" env "${env[@]}" "$(daemon_of "$host")" \
		2>>"$(hbt_dir "$host")/daemon.stderr"
}

# daemon_alive HOST: the process named in the host's pid file lives.
daemon_alive() {
	hbt_run "$1" sh -c 'read -r p </run/heartbeat.pid && kill -0 "$p"' 2>/dev/null
}
daemon_gone() { ! daemon_alive "$1"; }

# rsc_stop HOST term|k|init: orderly stop, three ways: SIGTERM to the pid in
# the pid file, `DAEMON -k`, the init script's stop.  Returns the command's
# status; the daemon may still be finishing after `term`.
rsc_stop() {
	local host=$1 how=$2
	case $how in
	term) hbt_run "$host" sh -c 'read -r p </run/heartbeat.pid && kill -TERM "$p"' ;;
	k) hbt_run "$host" "$(daemon_of "$host")" -k 2>/dev/null ;;
	init) hbt_run "$host" env $(init_env_of "$host") "$(init_script_of "$host")" stop >/dev/null 2>&1 ;;
	*) echo "rsc_stop: term, k or init" >&2; return 2 ;;
	esac
}
# init_env_of HOST: what hbd's init script must be told of this build (it
# looks in /usr/local otherwise, and exits 0 without hbd there).
init_env_of() {
	is_hb "$1" && return
	echo "HBD=$HBD HB_STANDBY=$HB_STANDBY_hbd HB_RESOURCE_MANAGER=$(dirname "$HBD")/ResourceManager"
}
# can_stop_by HOST HOW: false for `init` when the node's kind has no init
# script (hbd's may not exist yet).
can_stop_by() { [ "$2" != init ] || [ -x "$(init_script_of "$1")" ]; }

# rscstatus HOST: what the node's own cl_status says about its holdings.
rscstatus() { hbt_run "$1" "$(cl_status_of "$1")" rscstatus 2>/dev/null; }
rscstatus_is() { [ "$(rscstatus "$1")" = "$2" ]; }
has_cl_status() { [ -x "$(cl_status_of "$1")" ]; }

# standby HOST [ARG] / takeover HOST [ARG]: the node's hb_standby/hb_takeover.
standby() { local h=$1; shift; hbt_run "$h" "$(standby_tool_of "$h")" "$@" >/dev/null 2>&1; }
takeover() { local h=$1; shift; hbt_run "$h" "$(takeover_tool_of "$h")" "$@" >/dev/null 2>&1; }

# --- logs ------------------------------------------------------------------

ha_log_of() { echo "$(hbt_logdir "$1")/ha-log"; }
rec_log_of() { echo "$(hbt_logdir "$1")/rec.log"; }
# log_mark HOST: lines in the host's ha-log so far; log_since HOST MARK RE:
# a later line matches; log_count_since HOST MARK RE: how many.
log_mark() { wc -l 2>/dev/null <"$(ha_log_of "$1")" || echo 0; }
log_since() { tail -n "+$(($2 + 1))" "$(ha_log_of "$1")" 2>/dev/null | grep -qE -- "$3"; }
log_count_since() { tail -n "+$(($2 + 1))" "$(ha_log_of "$1")" 2>/dev/null | grep -cE -- "$3"; }
# rec_mark HOST / rec_since HOST MARK RE: the same for rec.log; rec_seq HOST
# MARK prints the later records as "NAME op result" lines.
rec_mark() { wc -l 2>/dev/null <"$(rec_log_of "$1")" || echo 0; }
rec_since() { tail -n "+$(($2 + 1))" "$(rec_log_of "$1")" 2>/dev/null | grep -qE -- "$3"; }
rec_seq() { tail -n "+$(($2 + 1))" "$(rec_log_of "$1")" 2>/dev/null | cut -d' ' -f2-; }
not() { ! "$@"; }

# marks: remember the ha-log and rec.log positions of both nodes (M[node1],
# R[node1], ...), so a scenario looks only at what happened since.
declare -A M R
marks() {
	local h
	for h in node1 node2; do M[$h]=$(log_mark "$h"); R[$h]=$(rec_mark "$h"); done
}

# --- observed state ----------------------------------------------------------

has_vip() {
	ip -n "$(hbt_ns "$1")" -o -4 addr show dev eth0 2>/dev/null | grep -q " $VIP/"
}
rec_running() {
	local pid; pid=$(hbt_init_pid "$1") || return 1
	[ -n "$pid" ] && [ -e "/proc/$pid/root/run/rec/$2" ]
}
members_of() { case $1 in A) echo "vip A1 A2" ;; B) echo "B1" ;; esac; }
member_up() { if [ "$2" = vip ]; then has_vip "$1"; else rec_running "$1" "$2"; fi; }
# group_on HOST GROUP: all / some / none of the group's members run there.
group_on() {
	local n=0 up=0 m
	for m in $(members_of "$2"); do
		n=$((n + 1)); member_up "$1" "$m" && up=$((up + 1))
	done
	if [ $up = 0 ]; then echo none; elif [ $up = $n ]; then echo all; else echo some; fi
}
# group_owner GROUP: node1 / node2 (all members there, none elsewhere),
# both (something of it runs on each), none, or partial:HOST.
group_owner() {
	local g=$1 s1 s2
	s1=$(group_on node1 "$g"); s2=$(group_on node2 "$g")
	if [ "$s1" != none ] && [ "$s2" != none ]; then echo both
	elif [ "$s1" = all ]; then echo node1
	elif [ "$s2" = all ]; then echo node2
	elif [ "$s1" = some ]; then echo partial:node1
	elif [ "$s2" = some ]; then echo partial:node2
	else echo none
	fi
}
owner_is() { [ "$(group_owner "$1")" = "$2" ]; }
owners_are() { owner_is A "$1" && owner_is B "$2"; }
vip_hosts() {
	local h out=
	for h in node1 node2; do has_vip "$h" && out="$out $h"; done
	echo "${out# }"
}
mac_of() { ip -n "$(hbt_ns "$1")" link show eth0 | awk '/link\/ether/ {print $2}'; }
# client_sees_vip_at HOST: from the client, one ping to the VIP is answered
# and the client's neighbour entry for the VIP has HOST's MAC.
client_sees_vip_at() {
	local mac; mac=$(mac_of "$1")
	hbt_run client ping -n -q -c 1 -W 1 "$VIP" >/dev/null 2>&1 || return 1
	ip -n "$(hbt_ns client)" neigh show "$VIP" dev eth0 | grep -qi "lladdr $mac"
}
state_line() {
	echo "A=$(group_owner A) B=$(group_owner B) vip=[$(vip_hosts)]" \
		"rsc=[$(rscstatus node1 || echo -)/$(rscstatus node2 || echo -)]"
}

# --- the double-ownership sampler -----------------------------------------

# sample_state: one look at both nodes, into SAMPLE, e.g.
# "node1=vip,A1,A2 node2=B1" (a node with nothing: "-").  No process is
# started (a fork costs ~20 ms on a busy machine): the VIP is looked up in
# the host's /proc/<init>/net/fib_trie (a local address shows as
# "|-- ADDR" then "/32 host LOCAL"), the resources in its /run/rec.  A
# powered-off host shows nothing (rsc_power_off drops its VIP).
sample_state() {
	local h pid on m trie re
	re="\|-- ${VIP//./\\.}"$'\n'" +/32 host LOCAL"
	SAMPLE=
	for h in node1 node2; do
		on= pid=
		[ -s "$HBT_DIR/hosts/$h/init.pid" ] && read -r pid <"$HBT_DIR/hosts/$h/init.pid"
		if [ -n "$pid" ]; then
			trie=
			read -r -d '' trie <"/proc/$pid/net/fib_trie" 2>/dev/null
			[[ $trie =~ $re ]] && on=vip
			for m in A1 A2 B1; do
				[ -e "/proc/$pid/root/run/rec/$m" ] && on="${on:+$on,}$m"
			done
		fi
		SAMPLE="$SAMPLE${SAMPLE:+ }$h=${on:--}"
	done
}
# doubles_in STATE: into DOUBLE, the groups that run (in part) on both nodes.
doubles_in() {
	local n1=${1%% *} n2=${1#* }
	DOUBLE=
	n1=${n1#node1=}; n2=${n2#node2=}
	case $n1 in *vip*|*A1*|*A2*) case $n2 in *vip*|*A1*|*A2*) DOUBLE="A" ;; esac ;; esac
	case $n1 in *B1*) case $n2 in *B1*) DOUBLE="$DOUBLE${DOUBLE:+ }B" ;; esac ;; esac
}

# sampler_start LABEL: in the background, every ~50-100 ms, look at both
# nodes; record each change of state and each moment a group (A: the VIP or
# any of A1/A2; B: B1) is up on both nodes.  sampler_stop: end it; sets
# SAMPLES (moments looked at) and DOUBLES (how many of them had a group on
# both nodes).  Lines "<ms> state ..." / "<ms> both A" go to
# $HBT_DIR/sampler.log (kept by rsc_keep).
SAMPLER_PID=
sampler_start() {
	local out="$HBT_DIR/sampler.log" stop="$HBT_DIR/sampler.stop"
	rm -f "$stop"
	echo "# start $(now_ms) $*" >>"$out"
	SAMPLER_FROM=$(wc -l <"$out")
	(
		i=0 last=
		while [ ! -e "$stop" ] && [ $i -lt 12000 ]; do
			sample_state
			t=$(( ${EPOCHREALTIME/./} / 1000 ))
			[ "$SAMPLE" != "$last" ] && echo "$t state $SAMPLE"
			last=$SAMPLE
			doubles_in "$SAMPLE"
			[ -n "$DOUBLE" ] && echo "$t both $DOUBLE"
			echo "$t sample"
			sleep 0.05
			i=$((i + 1))
		done >>"$out"
	) &
	SAMPLER_PID=$!
}
sampler_stop() {
	local out="$HBT_DIR/sampler.log" i=0
	# A move can end within ~100 ms (hbd's tools): look a little longer, so
	# the verdict rests on at least 5 looks, the last ones after the move.
	while [ "$(tail -n "+$((SAMPLER_FROM + 1))" "$out" | grep -c ' sample$')" -lt 5 ] && [ $i -lt 60 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	: >"$HBT_DIR/sampler.stop"
	[ -n "$SAMPLER_PID" ] && wait "$SAMPLER_PID" 2>/dev/null
	SAMPLER_PID=
	SAMPLES=$(tail -n "+$((SAMPLER_FROM + 1))" "$out" | grep -c ' sample$')
	DOUBLES=$(tail -n "+$((SAMPLER_FROM + 1))" "$out" | grep -c ' both ')
	echo "# stop $(now_ms) samples=$SAMPLES doubles=$DOUBLES" >>"$out"
}
# sampler_note TEXT: a line "<ms> note TEXT" in the sampler's record (what
# the test did when), for rsc-timeline.py.
sampler_note() { echo "$(now_ms) note $*" >>"$HBT_DIR/sampler.log"; }
# no_double_sampled: the last sampler looked often enough and never saw a
# group on both nodes.
no_double_sampled() { [ "${SAMPLES:-0}" -ge 5 ] && [ "${DOUBLES:-1}" = 0 ]; }
# sampled_after PATTERN: first state line of the last sampler matching
# PATTERN, as milliseconds after the sampler started (for the notes).
sampled_after() {
	local out="$HBT_DIR/sampler.log" t0 t
	t0=$(sed -n "${SAMPLER_FROM}p" "$out" | awk '{print $3}')
	t=$(tail -n "+$((SAMPLER_FROM + 1))" "$out" | grep ' state ' | grep -E -- "$1" | head -n 1 | awk '{print $1}')
	[ -n "$t" ] && echo $((t - t0))
}

# --- diagnostics -----------------------------------------------------------

# rsc_keep DIR: copy logs and the sampler's record for the notes.
rsc_keep() {
	local dir=$1 h
	mkdir -p "$dir"
	for h in node1 node2; do
		for f in ha-log ha-debug rec.log reboot.log; do
			[ -f "$(hbt_logdir "$h")/$f" ] && cp "$(hbt_logdir "$h")/$f" "$dir/$h.$f"
		done
		[ -f "$(hbt_dir "$h")/daemon.stderr" ] && cp "$(hbt_dir "$h")/daemon.stderr" "$dir/$h.daemon.stderr"
	done
	[ -f "$HBT_DIR/sampler.log" ] && cp "$HBT_DIR/sampler.log" "$dir/"
	return 0
}

# pcap_start FILE: tcpdump of udp/694 in the client's namespace (with bcast
# the client sees what travels on the bridge); pcap_stop ends it.
PCAP_PID=
pcap_start() {
	command -v tcpdump >/dev/null || return 0
	ip netns exec "$(hbt_ns client)" tcpdump -i eth0 -U -n -w "$1" udp port 694 \
		>/dev/null 2>&1 &
	PCAP_PID=$!
}
pcap_stop() {
	[ -n "$PCAP_PID" ] || return 0
	kill "$PCAP_PID" 2>/dev/null; wait "$PCAP_PID" 2>/dev/null
	PCAP_PID=
}
