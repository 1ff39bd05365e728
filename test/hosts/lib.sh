# Throwaway test hosts for hbd and heartbeat 3.0.6 (bash library; source it).
#
# A host is a named network namespace with one interface `eth0` on a per-run
# bridge, plus a "holder": an init process with its own UTS (hostname = node
# name), mount (private /etc/ha.d, /var/lib/heartbeat, /var/log, /run, /sys)
# and PID namespace.  Killing the holder kills every process of the host, like
# a power loss.  See test/hosts/README for the API and an example.
#
# Everything created lives under one per-run id, so parallel runs do not
# collide, and hbt_teardown (installed as an EXIT trap) removes it all.

HBT_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HBT_BOOT_WAIT=${HBT_BOOT_WAIT:-250}  # 20 ms steps to wait for a holder to boot
HBT_HOSTS=()

hbt_log() { printf 'hbt: %s\n' "$*" >&2; }

# hbt_require: 0 if this machine can run test hosts, else prints why and
# returns 1.
hbt_require() {
	if [ "$(id -u)" != 0 ]; then
		hbt_log "must run as root (network namespaces, mounts)"; return 1
	fi
	local tool
	for tool in ip unshare nsenter iptables mount; do
		command -v "$tool" >/dev/null 2>&1 || {
			hbt_log "missing tool: $tool"; return 1; }
	done
	local probe="hbt-probe-$$"
	if ! ip netns add "$probe" 2>/dev/null; then
		hbt_log "'ip netns add' does not work here"; return 1
	fi
	ip netns del "$probe"
}

# hbt_init: start a run: work directory, bridge namespace, EXIT trap.
# Optional environment: HBT_SUBNET (e.g. 198.18.9) to force the /24,
# HBT_KEEP=1 to leave the work directory for inspection.
hbt_init() {
	[ -n "${HBT_ID:-}" ] && return 0
	hbt_require || return 1
	HBT_ID="hbt-$$-$(printf '%04x' $((RANDOM)))"
	HBT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/$HBT_ID.XXXXXX") || return 1
	HBT_BRIDGE_NS="$HBT_ID-br"
	if [ -z "${HBT_SUBNET:-}" ]; then
		local n=$(( ($$ + RANDOM) % 512 ))
		HBT_SUBNET="198.$((18 + n / 256)).$((n % 256))"
	fi
	HBT_NHOSTS=0
	# errexit in the caller must not stop a teardown half way.
	trap 'set +e; hbt_teardown' EXIT
	trap 'set +e; hbt_teardown; trap - INT; kill -INT $$' INT
	trap 'set +e; hbt_teardown; trap - TERM; kill -TERM $$' TERM
	trap 'set +e; hbt_teardown; trap - HUP; kill -HUP $$' HUP
	ip netns add "$HBT_BRIDGE_NS" || return 1
	ip -n "$HBT_BRIDGE_NS" link set lo up
	ip -n "$HBT_BRIDGE_NS" link add br0 type bridge
	ip -n "$HBT_BRIDGE_NS" link set br0 up
	# The bridge namespace answers on .254: a ping target for ping/ping_group.
	ip -n "$HBT_BRIDGE_NS" addr add "$HBT_SUBNET.254/24" brd + dev br0
}

# hbt_ns HOST: the network namespace name of HOST.
hbt_ns() { printf '%s\n' "$HBT_ID-$1"; }
# hbt_dir HOST: the host's directory (ha.d/, lib/, log/ are bind-mounted).
hbt_dir() { printf '%s\n' "$HBT_DIR/hosts/$1"; }
hbt_etc() { printf '%s\n' "$HBT_DIR/hosts/$1/ha.d"; }
hbt_logdir() { printf '%s\n' "$HBT_DIR/hosts/$1/log"; }
hbt_libdir() { printf '%s\n' "$HBT_DIR/hosts/$1/lib"; }
hbt_ip() { cat "$HBT_DIR/hosts/$1/ip"; }
hbt_node() { cat "$HBT_DIR/hosts/$1/nodename"; }

# hbt_reset_state HOST: fresh /etc/ha.d and /var/lib/heartbeat from the
# package skeletons (no ha.cf/authkeys/haresources, no uuid/generation) and
# an empty /var/log.
hbt_reset_state() {
	local d; d=$(hbt_dir "$1")
	rm -rf "$d/ha.d" "$d/lib" "$d/log"
	mkdir -p "$d/ha.d" "$d/lib" "$d/log"
	[ -d /etc/ha.d ] && cp -a /etc/ha.d/. "$d/ha.d/"
	rm -f "$d/ha.d/ha.cf" "$d/ha.d/authkeys" "$d/ha.d/haresources"
	[ -d /var/lib/heartbeat ] && cp -a /var/lib/heartbeat/. "$d/lib/"
	rm -f "$d/lib/hb_uuid" "$d/lib/hb_generation" "$d/lib/hostcache" \
		"$d/lib/delhostcache" "$d/lib/fifo"
	return 0
}

# hbt_add_host HOST [NODENAME]: a network namespace with eth0 on the run's
# bridge (address $HBT_SUBNET.<10+n>/24 with broadcast) and host dirs.
# Not booted: see hbt_boot.
hbt_add_host() {
	local host=$1 node=${2:-$1}
	hbt_init || return 1
	local ns; ns=$(hbt_ns "$host")
	local d; d=$(hbt_dir "$host")
	HBT_NHOSTS=$((HBT_NHOSTS + 1))
	local addr="$HBT_SUBNET.$((10 + HBT_NHOSTS))"
	mkdir -p "$d"
	printf '%s\n' "$node" >"$d/nodename"
	printf '%s\n' "$addr" >"$d/ip"
	printf 'v%s\n' "$HBT_NHOSTS" >"$d/port"
	HBT_HOSTS+=("$host")
	hbt_reset_state "$host"
	ip netns add "$ns" || return 1
	ip -n "$ns" link set lo up
	ip -n "$HBT_BRIDGE_NS" link add "v$HBT_NHOSTS" type veth \
		peer name eth0 netns "$ns" || return 1
	ip -n "$HBT_BRIDGE_NS" link set "v$HBT_NHOSTS" master br0 up
	ip -n "$ns" link set eth0 up
	ip -n "$ns" addr add "$addr/24" brd + dev eth0
	hbt_firewall_init "$host"
}

# hbt_cluster HOST...: hbt_init plus one hbt_add_host per name (node name =
# host name).  Hosts are not booted.
hbt_cluster() {
	hbt_init || return 1
	local h
	for h in "$@"; do hbt_add_host "$h" || return 1; done
}

# hbt_boot HOST [NODENAME]: power the host on: start its holder.  Returns
# once /etc/ha.d etc. are mounted.  NODENAME overrides the host's node name
# (and is remembered).
hbt_boot() {
	local host=$1 d; d=$(hbt_dir "$host")
	[ -n "${2:-}" ] && printf '%s\n' "$2" >"$d/nodename"
	hbt_running "$host" && { hbt_log "$host already booted"; return 1; }
	rm -f "$d/ready" "$d/init.pid"
	# setsid: a Ctrl-C in the terminal reaches the test, which tears down;
	# it must not kill hosts behind the teardown's back.
	setsid ip netns exec "$(hbt_ns "$host")" \
		unshare --uts --mount --pid --fork --mount-proc --propagation private \
		bash "$HBT_LIB_DIR/host-init.sh" "$(hbt_node "$host")" "$d" \
		8<"/proc/$$" </dev/null \
		>>"$d/init.log" 2>&1 &
	local launcher=$! i=0 child
	while [ $i -lt "$HBT_BOOT_WAIT" ]; do
		if [ -e "$d/ready" ] && child=$(hbt_find_init "$host"); then
			printf '%s\n' "$child" >"$d/init.pid"
			return 0
		fi
		kill -0 "$launcher" 2>/dev/null || break
		sleep 0.02; i=$((i + 1))
	done
	hbt_log "host $host did not boot; its init said:"
	sed 's/^/  /' "$d/init.log" >&2
	child=$(hbt_find_init "$host") && kill -9 "$child"
	kill -9 "$launcher" 2>/dev/null
	return 1
}

# hbt_find_init HOST: the process in the host's network namespace that is
# PID 1 of its own PID namespace (seen from ours).
hbt_find_init() {
	local pid
	for pid in $(ip netns pids "$(hbt_ns "$1")" 2>/dev/null); do
		if grep -q '^NSpid:[[:space:]]*[0-9]*[[:space:]]1$' "/proc/$pid/status" 2>/dev/null; then
			printf '%s\n' "$pid"; return 0
		fi
	done
	return 1
}

# hbt_init_pid HOST: PID (in our namespace) of the host's init, if booted.
hbt_init_pid() {
	local f; f="$(hbt_dir "$1")/init.pid"
	[ -s "$f" ] && cat "$f"
}

hbt_running() {
	local pid; pid=$(hbt_init_pid "$1") || return 1
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# hbt_run HOST CMD [ARG...]: run CMD inside the host (all its namespaces);
# returns CMD's exit status.  The working directory inside is /.
hbt_run() {
	local host=$1; shift
	local pid; pid=$(hbt_init_pid "$host")
	if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
		hbt_log "host $host is not booted"; return 125
	fi
	nsenter -t "$pid" --net --uts --mount --pid -- "$@"
}

# hbt_stop HOST: power off: SIGKILL the host's init; the kernel then kills
# every process in its PID namespace.  Waits (bounded) until all are gone.
hbt_stop() {
	local host=$1 pid; pid=$(hbt_init_pid "$host")
	rm -f "$(hbt_dir "$host")/init.pid"
	[ -n "$pid" ] || return 0
	kill -9 "$pid" 2>/dev/null
	local i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 250 ]; do
		sleep 0.02; i=$((i + 1))
	done
	# The namespace's other processes die asynchronously after init.
	i=0
	while [ -n "$(ip netns pids "$(hbt_ns "$host")" 2>/dev/null)" ] && [ $i -lt 250 ]; do
		sleep 0.02; i=$((i + 1))
	done
	if [ -n "$(ip netns pids "$(hbt_ns "$host")" 2>/dev/null)" ]; then
		hbt_log "host $host: processes survive its init: $(ip netns pids "$(hbt_ns "$host")" | tr '\n' ' ')"
		return 1
	fi
}

# --- network faults (iptables in the host's own namespace) ---------------

hbt_ipt() { local host=$1; shift; ip netns exec "$(hbt_ns "$host")" iptables -w 5 "$@"; }

hbt_firewall_init() {
	local c
	for c in HBT_CUT HBT_LOSS_IN HBT_LOSS_OUT; do hbt_ipt "$1" -N "$c" || return 1; done
	hbt_ipt "$1" -A INPUT -i eth0 -j HBT_CUT &&
	hbt_ipt "$1" -A OUTPUT -o eth0 -j HBT_CUT &&
	hbt_ipt "$1" -A INPUT -i eth0 -j HBT_LOSS_IN &&
	hbt_ipt "$1" -A OUTPUT -o eth0 -j HBT_LOSS_OUT
}

# hbt_cut HOST: drop everything in and out of the host's eth0 (a partition;
# the link stays up, as a broken switch would leave it).
hbt_cut() { hbt_ipt "$1" -F HBT_CUT && hbt_ipt "$1" -A HBT_CUT -j DROP; }
hbt_heal() { hbt_ipt "$1" -F HBT_CUT; }

# hbt_link HOST up|down: carrier-level cut: the bridge side of the veth.
hbt_link() {
	ip -n "$HBT_BRIDGE_NS" link set "$(cat "$(hbt_dir "$1")/port")" "$2"
}

# hbt_loss HOST P [in|out|both]: drop a random fraction P (0..1) of UDP
# packets (default: incoming).  P=0 removes the loss.
hbt_loss() {
	local host=$1 p=$2 dir=${3:-in}
	hbt_ipt "$host" -F HBT_LOSS_IN && hbt_ipt "$host" -F HBT_LOSS_OUT || return 1
	[ "$p" = 0 ] && return 0
	local rule=(-p udp -m statistic --mode random --probability "$p" -j DROP)
	case $dir in
	in) hbt_ipt "$host" -A HBT_LOSS_IN "${rule[@]}" ;;
	out) hbt_ipt "$host" -A HBT_LOSS_OUT "${rule[@]}" ;;
	both) hbt_ipt "$host" -A HBT_LOSS_IN "${rule[@]}" &&
		hbt_ipt "$host" -A HBT_LOSS_OUT "${rule[@]}" ;;
	*) hbt_log "hbt_loss: direction must be in, out or both"; return 1 ;;
	esac
}

# --- waiting -------------------------------------------------------------

# hbt_wait_for TENTHS CMD [ARG...]: poll CMD every 0.1 s until it succeeds;
# 1 if it did not within TENTHS tenths of a second.
hbt_wait_for() {
	local n=$1 i=0; shift
	while [ $i -lt "$n" ]; do
		"$@" && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

# --- teardown ------------------------------------------------------------

# hbt_teardown: stop every host, delete every namespace and the work
# directory.  Safe to call more than once and after a partial hbt_init.
hbt_teardown() {
	[ -n "${HBT_ID:-}" ] || return 0
	local h
	for h in "${HBT_HOSTS[@]}"; do hbt_stop "$h"; done
	for h in "${HBT_HOSTS[@]}"; do ip netns del "$(hbt_ns "$h")" 2>/dev/null; done
	ip netns del "$HBT_BRIDGE_NS" 2>/dev/null
	if [ "${HBT_KEEP:-0}" = 1 ]; then
		hbt_log "kept $HBT_DIR"
	else
		rm -rf "$HBT_DIR"
	fi
	HBT_ID= HBT_HOSTS=()
}

# hbt_sweep_stale: delete namespaces left by runs whose shell is dead
# (e.g. killed with SIGKILL) and that hold no process any more.
hbt_sweep_stale() {
	local ns pid
	for ns in $(ip netns list | awk '{print $1}' | grep '^hbt-[0-9]*-'); do
		pid=${ns#hbt-}; pid=${pid%%-*}
		kill -0 "$pid" 2>/dev/null && continue
		[ -z "$(ip netns pids "$ns" 2>/dev/null)" ] || continue
		ip netns del "$ns" && hbt_log "removed stale namespace $ns"
	done
}
