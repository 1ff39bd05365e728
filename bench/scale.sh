#!/bin/bash
# Scale benchmark: what one hbd node costs as the cluster grows.
#  1. test hosts: clusters of 2, 4, 8 and 16 hbd nodes on one bridge, bcast
#     and ucast (every node's ha.cf identical, one `ucast eth0 IP` line per
#     node: the line to its own address is harmless, wire-protocol §4.3),
#     keepalive 100ms, deadtime 2 s, sha1, no resources. Once every node sees
#     every other one active, node1 is measured over BENCH_SCALE_SECONDS: CPU
#     from /proc/PID/schedstat, wake-ups (voluntary context switches), its
#     eth0 packet counters, and the frames all nodes sent into the bridge
#     (the bridge ports' rx counters: packets on the wire).
#  2. the membership simulation (bench/sim_bench): the same clusters as N
#     real cores under a virtual clock.
# Writes a Markdown section to stdout.
# Usage: scale.sh SRCDIR HBD CL_STATUS SIM_BENCH
set -eu
src=$1
# Private copies: a rebuild during the run must not swap binaries under us.
bin=$(mktemp -d /tmp/hbd-scale.XXXXXX)
cp "$2" "$bin/hbd"; cp "$3" "$bin/cl_status"; chmod 755 "$bin/hbd" "$bin/cl_status"
hbd=$bin/hbd; cl_status=$bin/cl_status; sim_bench=$4
seconds=${BENCH_SCALE_SECONDS:-30}
sim_seconds=${BENCH_SCALE_SIM_SECONDS:-600}
sizes=${BENCH_SCALE_SIZES:-2 4 8 16}
max_nodes=16
. "$src/test/hosts/lib.sh"

hosts() { seq -f 'node%g' 1 "$1"; }  # N -> node1 ... nodeN

write_config() {  # HOST MEDIUM N
  local etc h; etc=$(hbt_etc "$1")
  {
    echo "use_logd no"
    echo "logfile /var/log/ha-log"
    echo "memreserve 2000"
    echo "keepalive 100ms"
    echo "deadtime 2"
    echo "warntime 1"
    echo "initdead 4"
    echo "udpport 694"
    if [ "$2" = bcast ]; then
      echo "bcast eth0"
    else
      for h in $(hosts "$3"); do echo "ucast eth0 $(hbt_ip "$h")"; done
    fi
    echo "auto_failback on"
    echo "node $(hosts "$3" | tr '\n' ' ')"
  } > "$etc/ha.cf"
  printf 'auth 1\n1 sha1 bench-secret\n' > "$etc/authkeys"; chmod 600 "$etc/authkeys"
  : > "$etc/haresources"
}

# Every one of the N nodes' ha-log has a status line for each of the others.
# Cheap (no process started), so it can be polled.
log_formed() {  # N
  local h k log
  for h in $(hosts "$1"); do
    log=$(hbt_logdir "$h")/ha-log
    [ -f "$log" ] || return 1
    k=$(grep -o 'Status update for node node[0-9]*: status active' "$log" | sort -u | grep -vc "node $h:" || true)
    [ "$k" -eq $(( $1 - 1 )) ] || return 1
  done
}

# node1's own cl_status says every node is active (asks the daemon).
all_active() {  # N
  local h
  for h in $(hosts "$1"); do
    [ "$(hbt_run node1 "$cl_status" nodestatus "$h" 2>/dev/null)" = active ] || return 1
  done
}

# Lines in all N logs that say something died: flapping would show here.
deaths() {  # N
  local h t=0 c
  for h in $(hosts "$1"); do
    c=$(grep -cE ': is dead|Link .* dead|Late heartbeat' "$(hbt_logdir "$h")/ha-log" 2>/dev/null || true)
    t=$(( t + ${c:-0} ))
  done
  echo $t
}

# Powers off every host, then boots node1..nodeN fresh and starts hbd on each.
# 1 when the cluster did not form within 60 s.
form_cluster() {  # MEDIUM N
  local h
  for h in $(hosts "$max_nodes"); do hbt_running "$h" && hbt_stop "$h"; done
  for h in $(hosts "$2"); do
    hbt_reset_state "$h"
    write_config "$h" "$1" "$2"; hbt_boot "$h"
  done
  for h in $(hosts "$2"); do hbt_run "$h" "$hbd" >/dev/null 2>&1 || return 1; done
  hbt_wait_for 600 log_formed "$2" && hbt_wait_for 100 all_active "$2"
}

hbd_pid() {  # HOST
  local pid
  for pid in $(ip netns pids "$(hbt_ns "$1")" 2>/dev/null); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = hbd ] && { echo "$pid"; return 0; }
  done
  return 1
}
node_counter() {  # HOST rx|tx
  ip netns exec "$(hbt_ns "$1")" cat "/sys/class/net/eth0/statistics/$2_packets"
}
# Frames the N hosts sent into the bridge: every packet on the wire once.
wire_packets() {  # N
  local i t=0 v
  for i in $(seq 1 "$1"); do
    v=$(ip netns exec "$HBT_BRIDGE_NS" cat "/sys/class/net/$(cat "$(hbt_dir "node$i")/port")/statistics/rx_packets")
    t=$(( t + v ))
  done
  echo $t
}

# One table row for MEDIUM and N, from node1 over $seconds.
measure() {  # MEDIUM N
  local n=$2
  form_cluster "$1" "$n" || { echo "| $1 | $n | cluster did not form | | | | | | | | | | |"; return; }
  sleep 2
  local pid; pid=$(hbd_pid node1) || { echo "| $1 | $n | no hbd on node1 | | | | | | | | | | |"; return; }
  local c0 w0 r0 t0 p0 d0 c1 w1 r1 t1 p1 d1 ok=yes
  d0=$(deaths "$n"); p0=$(wire_packets "$n"); r0=$(node_counter node1 rx); t0=$(node_counter node1 tx)
  c0=$(awk '{ print $1 }' "/proc/$pid/schedstat"); w0=$(awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$pid/status")
  sleep "$seconds"
  c1=$(awk '{ print $1 }' "/proc/$pid/schedstat"); w1=$(awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$pid/status")
  p1=$(wire_packets "$n"); r1=$(node_counter node1 rx); t1=$(node_counter node1 tx); d1=$(deaths "$n")
  all_active "$n" || ok=no
  awk -v m="$1" -v n="$n" -v s="$seconds" -v cpu=$((c1 - c0)) -v w=$((w1 - w0)) -v wire=$((p1 - p0)) \
      -v rx=$((r1 - r0)) -v tx=$((t1 - t0)) -v dead=$((d1 - d0)) -v ok="$ok" 'BEGIN {
    pct = 100 * cpu / 1e9 / s
    printf "| %s | %d | %.0f | %.0f | %.0f | %.1f | %.3f %% | %.4f %% | %.1f | %.1f | %.0f | %d | %s |\n",
      m, n, wire / s, rx / s, tx / s, w / s, pct, pct / (n - 1), rx / s / (n - 1),
      rx ? cpu / 1000 / rx : 0, w ? cpu / 1000 / w : 0, dead, ok
  }'
}

hbt_cluster $(hosts "$max_nodes")
trap 'set +e; rm -rf "$bin"; hbt_teardown' EXIT

echo "## Scale: cost of one node as the cluster grows (bench/scale.sh)"
echo
echo "hbd clusters of 2, 4, 8 and 16 test hosts on one bridge, keepalive 100ms, deadtime 2 s, sha1, no resources;"
echo "bcast eth0, or ucast with the same ha.cf on every node (one \`ucast eth0 IP\` line per node, its own address included, which it ignores)."
echo "Once every node's log shows all others active and node1's \`cl_status nodestatus\` says so for each, node1 is measured over ${seconds} s:"
echo "CPU of one core from /proc/PID/schedstat, wake-ups as voluntary context switches, received/sent packets from node1's eth0 counters"
echo "(/sys/class/net/eth0/statistics in its namespace), and packets on the wire as the frames all N hosts sent into the bridge (the bridge ports' rx counters)."
echo "CPU per received packet divides all of node1's CPU (its own sends included) by the packets it received."
echo "\"deaths\" counts \`is dead\`, \`Link … dead\` and \`Late heartbeat\` lines in all N logs during the window (flapping); \"all active\" is node1's cl_status after it."
echo "Linear cost per peer means the two \"per peer\" columns stay about constant as N grows."
echo "Every node sends a status per keepalive and, as heartbeat 3.0.6 does, an \`NS_ackmsg\` to each node (itself included) about every 10th message from it,"
echo "broadcast or sent to every ucast peer: N·(10 + N) packets/s for N nodes (ucast: each of them N-1 times on the wire), so the packets per peer grow with N themselves."
echo "On veth pairs and a bridge the sender's CPU also pays for delivering its frame into the other hosts' namespaces (the bridge, its netfilter hooks and the receivers' UDP stack run in the sender's softirq),"
echo "which real NICs do not charge to the daemon."
echo
echo "| medium | nodes | packets/s on the wire | node1 rx/s | node1 tx/s | node1 wake-ups/s | node1 CPU (one core) | CPU per peer | rx/s per peer | CPU µs per rx packet | CPU µs per wake-up | deaths | all active |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for medium in bcast ucast; do
  for n in $sizes; do measure "$medium" "$n"; done
done
for h in $(hosts "$max_nodes"); do hbt_running "$h" && hbt_stop "$h"; done
echo
echo "The membership simulation (bench/sim_bench, test/sim): N real membership cores under a virtual clock, one bcast medium,"
echo "no loss, keepalive 100 ms, deadtime 2 s, ${sim_seconds} simulated seconds after a 30 s warm-up, CPU from CLOCK_PROCESS_CPUTIME_ID."
echo "It runs the core alone (no sockets, no codec, no sha1) plus the simulator's own bookkeeping (event queue, invariant checks)."
echo "A delivery is one core receiving one packet (bcast reaches all N cores, the sender's own copy included);"
echo "\"CPU µs per node-s per peer\" is the CPU per simulated node-second divided by N-1."
echo "\"ns per next_deadline()\" times one call of the core's next-deadline query (one pass over the node table), which the daemon makes after every packet."
echo "The simulator asks every core for its next deadline after every delivery and every tick, so its own CPU per node-second grows faster than a daemon's."
echo
"$sim_bench" "$sim_seconds" $sizes
