#!/bin/bash
# `make demo`: a real two-node hbd cluster on this one machine.
# Three throwaway test hosts on one bridge (addresses from 198.18.0.0/15):
# node1 and node2 run hbd with the sample /etc/ha.d from ha.d/ (timers cut
# to keepalive 500ms / deadtime 3s so the demo is quick), and a client host
# watches from outside. Then node1 loses power and node2 declares it dead.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
hbd=${HBD:-$top/hbd}
cl_status=${CL_STATUS:-$top/cl_status}
hbctl=${HBCTL:-$top/hbctl}
. "$top/test/hosts/lib.sh"

step() { printf '\n\033[1m[%s] %s\033[0m\n' "$(date +%T.%3N)" "$*"; }
on() { local h=$1; shift; printf '%s$ %s\n' "$h" "$*"; hbt_run "$h" "$@" 2>&1 | sed 's/^/    /'; }
log_has() { grep -q "$2" "$(hbt_logdir "$1")/ha-log" 2>/dev/null; }

hbt_cluster node1 node2
hbt_add_host client
for h in node1 node2; do
  etc=$(hbt_etc "$h")
  sed -e 's/^keepalive.*/keepalive       500ms/' -e 's/^warntime.*/warntime        2/' \
      -e 's/^deadtime.*/deadtime        3/' -e 's/^initdead.*/initdead        12/' \
      "$top/ha.d/ha.cf" > "$etc/ha.cf"
  cp "$top/ha.d/haresources" "$etc/"
  install -m 600 "$top/ha.d/authkeys" "$etc/authkeys"
done
for h in node1 node2 client; do hbt_boot "$h"; done

step "node1 checks its configuration"
on node1 "$hbd" -t

step "hbd starts on node1 ($(hbt_ip node1)) and node2 ($(hbt_ip node2))"
on node1 "$hbd"
on node2 "$hbd"
hbt_wait_for 300 log_has node1 "Status update for node node2: status active" &&
  hbt_wait_for 300 log_has node2 "Status update for node node1: status active" ||
  { echo "the cluster did not form; node1's log:"; cat "$(hbt_logdir node1)/ha-log"; exit 1; }

step "both nodes are active"
on node1 "$cl_status" listnodes
on node1 "$cl_status" nodestatus node2
on node2 "$cl_status" nodestatus node1
on node2 "$cl_status" listhblinks node1
on node1 "$hbctl" status

step "the client host ($(hbt_ip client)) reaches both nodes"
on client ping -c1 -W1 "$(hbt_ip node1)"
on client ping -c1 -W1 "$(hbt_ip node2)"

sleep 5  # for its first 5 s a node advertises deadtime + 2 s; let that pass
step "node1 loses power (every process of the host killed, its link gone)"
crash=$(date +%s.%N)
hbt_stop node1
hbt_wait_for 200 log_has node2 "node node1: is dead" || { echo "node2 did not notice"; exit 1; }
found=$(date +%s.%N)

step "node2 declared node1 dead $(awk -v a="$crash" -v b="$found" 'BEGIN { printf "%.2f", b - a }') s after the crash (deadtime 3 s)"
echo "node2's /var/log/ha-log:"
grep -E "is dead|Link node1|Late heartbeat|Status update" "$(hbt_logdir node2)/ha-log" | sed 's/^/    /'
on node2 "$cl_status" nodestatus node1 || true
on client ping -c1 -W1 "$(hbt_ip node2)"

step "What comes next"
cat <<'MSG'
Resource groups (haresources: the VIP, filesystem and web server above) are
not run by hbd yet: once they are, node2 also takes over node1's group here
and the client keeps reaching the VIP.
MSG
