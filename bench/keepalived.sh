#!/bin/bash
# The idle anchor of issue 14: keepalived (Debian's) on the same two test
# hosts as bench/membership.sh, VRRP adverts at 1 s and 100 ms, measured the
# same way (node1, the master that sends the adverts, over
# BENCH_IDLE_SECONDS: voluntary context switches, /proc/PID/schedstat CPU,
# RSS/PSS summed over its processes). It shows what sending one small
# multicast packet per interval costs on this machine's veth and bridge,
# whoever sends it. keepalived is installed if missing (its service is not
# left enabled). Writes a Markdown section to stdout. Usage: keepalived.sh SRCDIR
set -eu
src=$1
idle=${BENCH_IDLE_SECONDS:-60}
. "$src/test/hosts/lib.sh"

if ! command -v keepalived >/dev/null 2>&1; then
  was_enabled=no
  systemctl is-enabled keepalived >/dev/null 2>&1 && was_enabled=yes
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends keepalived >&2
  if [ "$was_enabled" = no ] && command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now keepalived >/dev/null 2>&1 || true
  fi
fi
KEEPALIVED=$(command -v keepalived)

write_config() {  # HOST PRIORITY INTERVAL
  cat >"$(hbt_etc "$1")/keepalived.conf" <<EOF
global_defs {
  router_id $1
  enable_script_security
  vrrp_version 3
}
vrrp_instance bench {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority $2
  advert_int $3
  virtual_ipaddress {
    $HBT_SUBNET.201/24
  }
}
EOF
}

pids_of() {  # HOST -> keepalived's processes in that host
  local pid
  for pid in $(ip netns pids "$(hbt_ns "$1")" 2>/dev/null); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = keepalived ] && echo "$pid"
  done
  return 0
}
sum_field() {
  local f=$1 prog=$2 t=0 p v; shift 2
  for p in "$@"; do v=$(awk "$prog" "/proc/$p/$f" 2>/dev/null); t=$(( t + ${v:-0} )); done; echo $t
}
is_master() { ip -n "$(hbt_ns node1)" -o -4 addr show dev eth0 | grep -q " $HBT_SUBNET.201/"; }

idle_once() {  # INTERVAL -> "procs | wake-ups/s | CPU % | RSS | PSS"
  local h
  for h in node1 node2; do
    hbt_running "$h" && hbt_stop "$h"
    hbt_boot "$h"
  done
  write_config node1 150 "$1"; write_config node2 100 "$1"
  for h in node1 node2; do
    hbt_run "$h" "$KEEPALIVED" -f "$(hbt_etc "$h")/keepalived.conf" -D >/dev/null 2>&1
  done
  hbt_wait_for 300 is_master || { echo "node1 never became master | | | | "; return; }
  sleep 3
  local pids c0 c1 w0 w1; pids=$(pids_of node1)
  [ -n "$pids" ] || { echo "no keepalived process | | | | "; return; }
  c0=$(sum_field schedstat '{ print $1 }' $pids); w0=$(sum_field status '/^voluntary_ctxt_switches/ { print $2 }' $pids)
  sleep "$idle"
  c1=$(sum_field schedstat '{ print $1 }' $pids); w1=$(sum_field status '/^voluntary_ctxt_switches/ { print $2 }' $pids)
  awk -v n="$(echo $pids | wc -w)" -v w=$((w1 - w0)) -v d=$((c1 - c0)) -v s="$idle" \
      -v rss="$(sum_field status '/^VmRSS/ { print $2 }' $pids)" \
      -v pss="$(sum_field smaps_rollup '/^Pss:/ { print $2 }' $pids)" \
    'BEGIN { printf "%d | %.1f | %.3f %% | %.1f MB | %.1f MB", n, w/s, 100*d/1e9/s, rss/1024, pss/1024 }'
}

hbt_cluster node1 node2
trap 'set +e; hbt_teardown' EXIT
echo "## Idle anchor: keepalived on the same test hosts (bench/keepalived.sh)"
echo
echo "$($KEEPALIVED --version 2>&1 | head -1): two test hosts as in the membership benchmark, one VRRPv3 instance (sub-second adverts need v3), node1 the master sending"
echo "an advert every interval (multicast on eth0), measured as the idle rows above over ${idle} s. One small packet per interval"
echo "costs its sender this much here (the backup only listens, so the master wakes once per advert; an hbd or heartbeat node both sends"
echo "its own heartbeat and reads its peer's, twice per interval): compare the CPU per wake-up."
echo "keepalived's service is left as it was (disabled when this script installed it)."
echo
echo "| implementation | advert interval | processes | wake-ups/s | CPU (one core) | RSS (sum) | PSS (sum) |"
echo "|---|---|---:|---:|---:|---:|---:|"
for interval in 1 0.1; do
  echo "| keepalived | $interval s | $(idle_once "$interval") |"
done
