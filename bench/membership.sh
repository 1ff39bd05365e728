#!/bin/bash
# Membership benchmark: hbd and heartbeat 3.0.6 side by side in one run.
#  1. detection: a two-node cluster of one implementation, one host powered
#     off (every process killed, link gone) at a random phase of the
#     keepalive; two figures per crash: crash -> the survivor's ha-log says
#     "node X: is dead", and the last packet node1 received from node2 (its
#     own tcpdump, in node1's namespace) -> that line.  The second is what a
#     daemon controls: deadtime of silence, then the verdict.  Keepalive
#     1s/deadtime 3s and 100ms/500ms, BENCH_REPS crashes each (min, p50,
#     p95, max).
#  2. idle cost of one node over BENCH_IDLE_SECONDS: processes, timer and
#     packet wake-ups per second (voluntary context switches), CPU from
#     /proc/PID/schedstat (ns, not ticks), RSS, PSS and VmLck; keepalive 1s
#     and 100ms.
# Writes a Markdown section to stdout.  Usage: membership.sh SRCDIR HBD
set -eu
src=$1
# A private copy: a rebuild during the run must not swap the binary under us.
# Named hbd, so that its processes are found by name.
hbd_dir=$(mktemp -d /tmp/hbd-bench.XXXXXX); hbd=$hbd_dir/hbd; cp "$2" "$hbd"; chmod 755 "$hbd"
reps=${BENCH_REPS:-20}; idle=${BENCH_IDLE_SECONDS:-60}
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


# One crash: prints "CRASH_MS LAST_MS" (crash -> "is dead", last packet from
# node2 -> "is dead"), "-" where not seen within 60 s.
detect_once() {  # IMPL KEEPALIVE DEADTIME
  form_cluster "$@" || { echo "- -"; return; }
  local cap; cap=$(hbt_dir node1)/cap.txt
  ip netns exec "$(hbt_ns node1)" tcpdump -i eth0 -l -n -tt -Q in \
    "udp port 694 and src host $(hbt_ip node2)" > "$cap" 2>/dev/null &
  local dump=$!
  # For 5 s after start a node advertises deadtime + 2 s (wire-protocol §5.1):
  # crash only once the real deadtime is in force.
  # A random phase within the keepalive, so the figures are not one phase's.
  local wait_ms=$(( started_ms + 7000 + RANDOM % 1000 - $(now_ms) ))
  [ "$wait_ms" -gt 0 ] && sleep "$(awk -v m="$wait_ms" 'BEGIN { print m / 1000 }')"
  local t0 t1="" i=0; t0=$(now_ms)
  hbt_stop node2
  while [ $i -lt 12000 ]; do
    if log_has node1 "node node2: is dead"; then t1=$(now_ms); break; fi
    sleep 0.005; i=$((i + 1))
  done
  kill "$dump" 2>/dev/null; wait "$dump" 2>/dev/null
  [ -n "$t1" ] || { echo "- -"; return; }
  local last; last=$(awk '/^[0-9]+\.[0-9]+ IP / { t = $1 } END { if (t != "") printf "%.0f", t * 1000 }' "$cap")
  if [ -n "$last" ] && [ "$last" -le "$t1" ]; then
    echo "$(( t1 - t0 )) $(( t1 - last ))"
  else
    echo "$(( t1 - t0 )) -"
  fi
}

# values... -> "min / p50 / p95 / max" in seconds, and how many were seen
distribution() {
  local sorted n
  sorted=$(printf '%s\n' "$@" | grep -v '^-$' | sort -n) || true
  n=$(printf '%s' "$sorted" | grep -c . || true)
  [ "$n" -gt 0 ] || { echo "no detection"; return; }
  at() { printf '%s\n' "$sorted" | sed -n "$1p"; }
  local p50=$(( (n + 1) / 2 )) p95=$(( (n * 95 + 99) / 100 ))
  awk -v a="$(at 1)" -v b="$(at $p50)" -v c="$(at $p95)" -v d="$(at "$n")" -v n="$n" -v r="$reps" \
    'BEGIN { printf "%.3f / %.3f / %.3f / %.3f (%d/%d)", a/1000, b/1000, c/1000, d/1000, n, r }'
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

sum_field() {  # FILE-SUFFIX AWK-PROGRAM PIDS...: the program's number summed over the pids
  local f=$1 prog=$2 t=0 p v; shift 2
  for p in "$@"; do v=$(awk "$prog" "/proc/$p/$f" 2>/dev/null); t=$(( t + ${v:-0} )); done; echo $t
}
run_ns() { sum_field schedstat '{ print $1 }' "$@"; }
wakeups() { sum_field status '/^voluntary_ctxt_switches/ { print $2 }' "$@"; }
rss_kb() { sum_field status '/^VmRSS/ { print $2 }' "$@"; }
lck_kb() { sum_field status '/^VmLck/ { print $2 }' "$@"; }
pss_kb() { sum_field smaps_rollup '/^Pss:/ { print $2 }' "$@"; }

idle_once() {  # IMPL KEEPALIVE -> "procs | wake-ups/s | CPU % | RSS | PSS | VmLck"
  form_cluster "$1" "$2" 10 || { echo "cluster did not form | | | | | "; return; }
  # Idle means after start-up's resource transitions (they spawn
  # ResourceManager and log): wait for both, at most 30 s, then settle.
  hbt_wait_for 300 log_has node1 "remote resource transition completed" || true
  hbt_wait_for 300 log_has node1 "local resource transition completed" || true
  sleep 2
  local pids c0 c1 w0 w1; pids=$(daemon_pids node1)
  [ -n "$pids" ] || { echo "no $1 process found | | | | | "; return; }
  c0=$(run_ns $pids); w0=$(wakeups $pids); sleep "$idle"; c1=$(run_ns $pids); w1=$(wakeups $pids)
  awk -v n="$(echo $pids | wc -w)" -v w=$((w1 - w0)) -v d=$((c1 - c0)) -v s="$idle" \
      -v rss="$(rss_kb $pids)" -v pss="$(pss_kb $pids)" -v lck="$(lck_kb $pids)" \
    'BEGIN { printf "%d | %.1f | %.3f %% | %.1f MB | %.1f MB | %.1f MB", n, w/s, 100*d/1e9/s, rss/1024, pss/1024, lck/1024 }'
}

hbt_cluster node1 node2
trap 'set +e; rm -rf "$hbd_dir"; hbt_teardown' EXIT
impls="heartbeat hbd"
echo "## Membership: crash detection and idle cost (bench/membership.sh)"
echo
echo "Two test hosts on one bridge, bcast eth0, sha1, both nodes running the same implementation."
echo "Detection: node2's host powered off at a random phase of the keepalive; node1's ha-log polled every 5 ms for \`node node2: is dead\`."
echo "Two figures per crash: from the crash, and from the last packet node1 received from node2 (node1's own capture) — deadtime of silence is the ideal for the second."
echo "$reps crashes per row: min / p50 / p95 / max in seconds. Idle: node1 over ${idle} s once both nodes are active; wake-ups are voluntary context switches (each timer expiry or packet read that slept), CPU is from /proc/PID/schedstat."
echo "VmLck counts whole locked mappings: hbd locks with MCL_ONFAULT, so only its resident pages (RSS) are locked in memory; heartbeat locks every page it maps."
echo
echo "| implementation | keepalive / deadtime | crash → \"is dead\" | last packet → \"is dead\" |"
echo "|---|---|---:|---:|"
for timers in "1 3" "100ms 500ms"; do
  set -- $timers
  for impl in $impls; do
    crash=(); last=()
    for _ in $(seq "$reps"); do
      read -r a b <<<"$(detect_once "$impl" "$1" "$2")"
      crash+=("$a"); last+=("$b")
    done
    echo "| $impl | $1 / $2 | $(distribution "${crash[@]}") | $(distribution "${last[@]}") |"
  done
done
echo
echo "| implementation | keepalive | processes | wake-ups/s | CPU (one core) | RSS (sum) | PSS (sum) | VmLck |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for ka in 1 100ms; do
  for impl in $impls; do
    echo "| $impl | $ka | $(idle_once "$impl" "$ka") |"
  done
done
