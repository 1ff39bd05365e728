#!/bin/bash
# Membership benchmark: hbd and heartbeat 3.0.6 side by side in one run.
#  1. crash-to-"is dead": a two-node cluster of one implementation, one host
#     powered off (every process killed, link gone), the time until the
#     survivor's ha-log says "node X: is dead"; keepalive 1s/deadtime 3s and
#     100ms/500ms, BENCH_REPS runs each.
#  2. idle cost of one node over BENCH_IDLE_SECONDS: processes, RSS summed,
#     CPU share of one core; keepalive 1s and 100ms.
# Writes a Markdown section to stdout.  Usage: membership.sh SRCDIR HBD
set -eu
src=$1
# A private copy: a rebuild during the run must not swap the binary under us.
# Named hbd, so that its processes are found by name.
hbd_dir=$(mktemp -d /tmp/hbd-bench.XXXXXX); hbd=$hbd_dir/hbd; cp "$2" "$hbd"; chmod 755 "$hbd"
reps=${BENCH_REPS:-5}; idle=${BENCH_IDLE_SECONDS:-60}
. "$src/test/hosts/lib.sh"
HEARTBEAT=/usr/libexec/heartbeat/heartbeat
hz=$(getconf CLK_TCK)

write_config() {  # HOST KEEPALIVE DEADTIME
  local etc; etc=$(hbt_etc "$1")
  cat > "$etc/ha.cf" <<CF
use_logd no
logfile /var/log/ha-log
memreserve 2000
keepalive $2
deadtime $3
initdead 12
udpport 694
bcast eth0
auto_failback on
node node1 node2
CF
  printf 'auth 1\n1 sha1 bench-secret\n' > "$etc/authkeys"; chmod 600 "$etc/authkeys"
  : > "$etc/haresources"
}

start_daemon() {  # IMPL HOST
  case $1 in
    heartbeat) hbt_run "$2" "$HEARTBEAT" >/dev/null 2>&1 ;;
    hbd) hbt_run "$2" "$hbd" >/dev/null 2>&1 ;;
  esac
}

now_ms() { date +%s%3N; }

log_has() { grep -q "$2" "$(hbt_logdir "$1")/ha-log" 2>/dev/null; }

# Boots node1 and node2 fresh with IMPL and the timers; waits until node1
# sees node2 active. 1 when the cluster did not form.
form_cluster() {  # IMPL KEEPALIVE DEADTIME
  local h
  for h in node1 node2; do
    hbt_running "$h" && hbt_stop "$h"
    hbt_reset_state "$h"; rm -f "$(hbt_logdir "$h")"/*
    write_config "$h" "$2" "$3"; hbt_boot "$h"
  done
  started_ms=$(now_ms)
  start_daemon "$1" node1; start_daemon "$1" node2
  hbt_wait_for 300 log_has node1 "Status update for node node2: status active" &&
    hbt_wait_for 300 log_has node2 "Status update for node node1: status active"
}


# One crash: prints the detection time in ms, or "-" if not seen in 60 s.
detect_once() {  # IMPL KEEPALIVE DEADTIME
  form_cluster "$@" || { echo "-"; return; }
  # For 5 s after start a node advertises deadtime + 2 s (wire-protocol §5.1):
  # crash only once the real deadtime is in force.
  # A random phase within the keepalive, so the median is not one phase's.
  local wait_ms=$(( started_ms + 7000 + RANDOM % 1000 - $(now_ms) ))
  [ "$wait_ms" -gt 0 ] && sleep "$(awk -v m="$wait_ms" 'BEGIN { print m / 1000 }')"
  local t0 i=0; t0=$(now_ms)
  hbt_stop node2
  while [ $i -lt 6000 ]; do
    if log_has node1 "node node2: is dead"; then echo $(( $(now_ms) - t0 )); return; fi
    sleep 0.01; i=$((i + 1))
  done
  echo "-"
}

summary() {  # values... -> "median (min–max)" in seconds
  local sorted n
  sorted=$(printf '%s\n' "$@" | grep -v '^-$' | sort -n) || true
  n=$(printf '%s' "$sorted" | grep -c . || true)
  [ "$n" -gt 0 ] || { echo "no detection"; return; }
  local med min max
  med=$(printf '%s\n' "$sorted" | sed -n "$(( (n + 1) / 2 ))p")
  min=$(printf '%s\n' "$sorted" | head -1); max=$(printf '%s\n' "$sorted" | tail -1)
  awk -v a="$med" -v b="$min" -v c="$max" -v n="$n" -v r="$reps" \
    'BEGIN { printf "%.2f s (%.2f–%.2f), %d/%d detected", a/1000, b/1000, c/1000, n, r }'
}

daemon_pids() {  # HOST -> pids of heartbeat/hbd processes of that host
  local pid
  for pid in $(ip netns pids "$(hbt_ns "$1")" 2>/dev/null); do
    case $(cat "/proc/$pid/comm" 2>/dev/null) in heartbeat|hbd|ipfail) echo "$pid" ;; esac
  done
}

cpu_ticks() { local t=0 p; for p in "$@"; do
  t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) )); done; echo $t; }
rss_kb() { local t=0 p; for p in "$@"; do
  t=$(( t + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0) )); done; echo $t; }

idle_once() {  # IMPL KEEPALIVE -> "procs | RSS MB | CPU %"
  form_cluster "$1" "$2" 10 || { echo "cluster did not form | | "; return; }
  sleep 2
  local pids c0 c1; pids=$(daemon_pids node1)
  [ -n "$pids" ] || { echo "no $1 process found | | "; return; }
  c0=$(cpu_ticks $pids); sleep "$idle"; c1=$(cpu_ticks $pids)
  awk -v n="$(echo $pids | wc -w)" -v rss="$(rss_kb $pids)" -v d=$((c1 - c0)) -v hz="$hz" -v s="$idle" \
    'BEGIN { printf "%d | %.1f MB | %.2f %%", n, rss/1024, 100*d/hz/s }'
}

hbt_cluster node1 node2
trap 'set +e; rm -rf "$hbd_dir"; hbt_teardown' EXIT
impls="heartbeat hbd"
echo "## Membership: crash detection and idle cost (bench/membership.sh)"
echo
echo "Two test hosts on one bridge, bcast eth0, sha1, both nodes running the same implementation."
echo "Detection: node2's host powered off; time until node1's ha-log says \`node node2: is dead\`"
echo "(polled every 10 ms; the crash at a random point of the keepalive period; median of $reps with min–max). Idle: node1 over ${idle} s once both nodes are active."
echo
echo "| implementation | keepalive / deadtime | crash → \"is dead\" |"
echo "|---|---|---:|"
for timers in "1 3" "100ms 500ms"; do
  set -- $timers
  for impl in $impls; do
    results=()
    for _ in $(seq "$reps"); do results+=("$(detect_once "$impl" "$1" "$2")"); done
    echo "| $impl | $1 / $2 | $(summary "${results[@]}") |"
  done
done
echo
echo "| implementation | keepalive | processes | RSS (sum) | CPU (one core) |"
echo "|---|---|---:|---:|---:|"
for ka in 1 100ms; do
  for impl in $impls; do
    echo "| $impl | $ka | $(idle_once "$impl" "$ka") |"
  done
done
