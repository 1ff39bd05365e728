#!/bin/bash
# Failover benchmark: an hbd pair and a heartbeat 3.0.6 pair side by side in
# one run, the same group (a VIP through Debian heartbeat's IPaddr, plus a
# small resource), auto_failback on. A third host (the client) measures, with
# bench/vip_probe, the time from the fault to the first ARP reply for the VIP
# from the other node's MAC ("the VIP answers from the other host"):
#  1. owner crash (power loss of node1) -> VIP answers from node2, at
#     keepalive 1/deadtime 3 and keepalive 100ms/deadtime 500ms;
#  2. hb_standby on the owner -> VIP answers from the peer (switchover).
# BENCH_FAILOVER_REPS runs of each (default 10); median and p95.
# Writes a Markdown section to stdout.  Usage: failover.sh SRCDIR HBD PROBE
set -eu
src=$1
hbd_dir=$(mktemp -d /tmp/hbd-bench.XXXXXX); hbd=$hbd_dir/hbd; cp "$2" "$hbd"; chmod 755 "$hbd"
probe=$hbd_dir/vip_probe; cp "$3" "$probe"
cl_status=$hbd_dir/cl_status; cp "$(dirname "$2")/cl_status" "$cl_status"
reps=${BENCH_FAILOVER_REPS:-10}
. "$src/test/hosts/lib.sh"
HEARTBEAT=/usr/libexec/heartbeat/heartbeat
HB_STANDBY=/usr/share/heartbeat/hb_standby
trap 'set +e; hbt_teardown; rm -rf "$hbd_dir"' EXIT

say() { echo "bench-failover: $*" >&2; }
now_ms() { date +%s%3N; }

hbt_cluster node1 node2 client >/dev/null
VIP="$HBT_SUBNET.200"
mac_of() { ip -n "$(hbt_ns "$1")" link show eth0 | awk '/link\/ether/ {print $2}'; }

# A trivial resource: start/stop a flag file, status by its text.
write_resource() {  # HOST
  cat > "$(hbt_etc "$1")/resource.d/benchrsc" <<'SH'
#!/bin/sh
f=/run/benchrsc.$1
case $2 in
start) : > "$f" ;;
stop) rm -f "$f" ;;
status) if [ -e "$f" ]; then echo "$1 is running"; else echo "$1 is stopped"; fi ;;
esac
exit 0
SH
  chmod 755 "$(hbt_etc "$1")/resource.d/benchrsc"
}

write_config() {  # HOST KEEPALIVE DEADTIME WARNTIME INITDEAD
  local etc; etc=$(hbt_etc "$1")
  cat > "$etc/ha.cf" <<CF
use_logd no
logfile /var/log/ha-log
debugfile /var/log/ha-debug
memreserve 2000
keepalive $2
deadtime $3
warntime $4
initdead $5
udpport 694
bcast eth0
auto_failback on
node node1 node2
CF
  printf 'auth 1\n1 sha1 bench-secret\n' > "$etc/authkeys"; chmod 600 "$etc/authkeys"
  echo "node1 $VIP/24/eth0 benchrsc::app" > "$etc/haresources"
  write_resource "$1"
}

start_daemon() {  # IMPL HOST
  case $1 in
    heartbeat) hbt_run "$2" "$HEARTBEAT" >/dev/null 2>&1 ;;
    hbd) hbt_run "$2" "$hbd" >/dev/null 2>&1 ;;
  esac
}

vip_on() { ip -n "$(hbt_ns "$1")" -4 addr show dev eth0 | grep -q " $VIP/"; }
app_on() { hbt_run "$1" test -e /run/benchrsc.app; }
owner_is() { vip_on "$1" && app_on "$1"; }

# The client's ARP probe; the fault command runs at time zero.
probe() {  # EXPECTED-HOST TIMEOUT_MS FAULT-COMMAND...
  local host=$1 timeout=$2; shift 2
  ip netns exec "$(hbt_ns client)" "$probe" eth0 "$VIP" "$(mac_of "$host")" "$timeout" -- "$@"
}

# A power loss takes the host's addresses with it (its namespace stays).
power_off() {  # HOST
  hbt_stop "$1"
  ip -n "$(hbt_ns "$1")" addr del "$VIP/24" dev eth0 2>/dev/null || true
}

boot_and_start() {  # IMPL HOST
  hbt_boot "$2" && start_daemon "$1" "$2"
}

form_cluster() {  # IMPL KEEPALIVE DEADTIME WARNTIME INITDEAD
  local h
  for h in node1 node2; do
    power_off "$h"
    hbt_reset_state "$h"; rm -f "$(hbt_logdir "$h")"/*
    write_config "$h" "$2" "$3" "$4" "$5"
  done
  hbt_running client || hbt_boot client
  boot_and_start "$1" node1; boot_and_start "$1" node2
  hbt_wait_for 600 owner_is node1 || { say "$1: node1 did not take its group"; return 1; }
  hbt_wait_for 100 probe_ok node1 || { say "$1: the client does not see the VIP at node1"; return 1; }
}
probe_ok() { probe "$1" 500 true >/dev/null; }

crash_once() {  # IMPL -> prints ms or nothing
  local pid; pid=$(hbt_init_pid node1)
  # The power goes: every process at once, and the address with the host.
  local ms; ms=$(probe node2 30000 sh -c "kill -9 $pid; ip -n $(hbt_ns node1) addr del $VIP/24 dev eth0") || ms=
  power_off node1
  echo "$ms"
  # Back to node1 (auto_failback on) for the next run.
  boot_and_start "$1" node1
  hbt_wait_for 600 owner_is node1 && ! vip_on node2 || say "$1: no failback to node1"
  hbt_wait_for 100 probe_ok node1 || say "$1: client does not see node1"
}

# The node's own cl_status: rscstatus is "transition" while anything moves.
rscstatus() {  # IMPL HOST
  local tool=/usr/bin/cl_status
  [ "$1" = hbd ] && tool=$cl_status
  hbt_run "$2" "$tool" rscstatus 2>/dev/null
}
settled() {  # IMPL
  local a b
  a=$(rscstatus "$1" node1) && b=$(rscstatus "$1" node2) &&
    [ -n "$a" ] && [ -n "$b" ] && [ "$a" != transition ] && [ "$b" != transition ]
}

# hb_standby on the node that owns the group. Both sides must be settled
# first: heartbeat refuses a request while the other side is in flux, and two
# crossing requests hold both of its nodes for an hour ("Standby in
# progress"), so a refused one must not be followed by one from the peer.
standby_once() {  # IMPL -> prints ms
  local from=node1 to=node2
  owner_is node2 && { from=node2; to=node1; }
  hbt_wait_for 300 settled "$1" || say "$1: still in transition before the standby"
  sleep 1
  local pid; pid=$(hbt_init_pid "$from")
  local ms; ms=$(probe "$to" 30000 nsenter -t "$pid" --net --uts --mount --pid -- "$HB_STANDBY") || ms=
  hbt_wait_for 300 owner_is "$to" || say "$1: standby did not move the group to $to"
  echo "$ms"
}

stats() {  # values... -> "median (p95, min–max), n=N" in seconds
  printf '%s\n' "$@" | grep -E '^[0-9]+$' | sort -n | awk '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print "no result"; exit }
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      p = int(0.95 * NR + 0.999); if (p > NR) p = NR; if (p < 1) p = 1
      printf "%.3f s (p95 %.3f, %.3f–%.3f), n=%d", m / 1000, v[p] / 1000, v[1] / 1000, v[NR] / 1000, NR
    }'
}

declare -A crash standby
for timing in "1 3 2 10" "100ms 500ms 300ms 5"; do
  set -- $timing
  for impl in ${BENCH_IMPLS:-heartbeat hbd}; do
    say "$impl keepalive $1 deadtime $2: forming the cluster"
    form_cluster "$impl" "$1" "$2" "$3" "$4" || { say "$impl: cluster did not form"; continue; }
    results=()
    for _ in $(seq "$reps"); do results+=("$(crash_once "$impl")"); done
    crash["$impl $1"]=$(stats "${results[@]}")
    say "$impl crash at $1/$2: ${crash["$impl $1"]}"
    if [ "$1" = 1 ]; then
      results=()
      for _ in $(seq "$reps"); do results+=("$(standby_once "$impl")"); done
      standby[$impl]=$(stats "${results[@]}")
      say "$impl standby: ${standby[$impl]}"
    fi
  done
done

cat <<MD
## Failover: the VIP answers from the other host

A two-node cluster of one implementation plus a client host; group
\`node1 $VIP/24/eth0 benchrsc::app\` (Debian heartbeat's IPaddr script for the
VIP, a trivial resource after it), \`auto_failback on\`, bcast, sha1. Time from
the fault to the first ARP reply for the VIP carrying the other node's MAC,
seen from the client (bench/vip_probe, one ARP request every 10 ms). $reps runs
each; median (p95, min–max).

| fault | keepalive / deadtime | heartbeat 3.0.6 | hbd |
|---|---|---|---|
| owner power loss | 1 s / 3 s | ${crash[heartbeat 1]:-not run} | ${crash[hbd 1]:-not run} |
| owner power loss | 100 ms / 500 ms | ${crash[heartbeat 100ms]:-not run} | ${crash[hbd 100ms]:-not run} |
| \`hb_standby\` on the owner (switchover) | 1 s / 3 s | ${standby[heartbeat]:-not run} | ${standby[hbd]:-not run} |

Notes:
- Both implementations run the same scripts (Debian heartbeat's IPaddr, the
  trivial resource) and the same \`hb_standby\` shell tool; the difference is the
  daemon. After a power loss most of the time is deadtime plus the IPaddr start;
  hbd's gain there is its earlier dead declaration (see Membership). In the
  switchover heartbeat's three-phase standby runs through harc, ResourceManager
  and shell helpers on both nodes; hbd's runs in the daemon.
- hb_standby is issued on the owner once both nodes' \`cl_status rscstatus\` is
  settled: a heartbeat request refused "in flux" and followed by one from the peer
  locks both heartbeat nodes for an hour (test/interop/rsc-NOTES.md section 8).

MD
