#!/bin/bash
# `make demo`: a real two-node hbd cluster on this one machine.
# Three throwaway test hosts on one bridge (addresses from 198.18.0.0/15):
# node1 and node2 run hbd with the sample ha.cf from ha.d/ (timers cut to
# keepalive 500ms / deadtime 3s so the demo is quick) and one resource group:
# a virtual IP (Debian heartbeat's IPaddr script) and a tiny service behind
# it. A client host asks the service who answers. The group moves with
# hb_standby and hb_takeover, then node1 loses power and node2 takes over.
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
VIP=$HBT_SUBNET.100
for h in node1 node2; do
  etc=$(hbt_etc "$h")
  sed -e 's/^keepalive.*/keepalive       500ms/' -e 's/^warntime.*/warntime        2/' \
      -e 's/^deadtime.*/deadtime        3/' -e 's/^initdead.*/initdead        12/' \
      "$top/ha.d/ha.cf" > "$etc/ha.cf"
  echo "node1 IPaddr::$VIP/24/eth0 demoapp" > "$etc/haresources"
  install -m 600 "$top/ha.d/authkeys" "$etc/authkeys"
  # A tiny service: says which host answers, on port 8080.
  cat > "$etc/resource.d/demoapp" <<'SH'
#!/bin/sh
pidf=/run/demoapp.pid
running() { [ -e $pidf ] && kill -0 "$(cat $pidf)" 2>/dev/null; }
case $1 in
start) running && exit 0
  setsid socat TCP-LISTEN:8080,fork,reuseaddr SYSTEM:"echo hello from $(hostname)" \
    </dev/null >/dev/null 2>&1 &
  echo $! > $pidf ;;
stop) running && kill "$(cat $pidf)"; rm -f $pidf ;;
status) if running; then echo "demoapp is running"; else echo "demoapp is stopped"; fi ;;
*) echo "usage: $0 start|stop|status"; exit 1 ;;
esac
exit 0
SH
  chmod 755 "$etc/resource.d/demoapp"
done
for h in node1 node2 client; do hbt_boot "$h"; done
ask() { hbt_run client socat -T1 - "TCP:$VIP:8080,connect-timeout=1" </dev/null 2>/dev/null; }
answers() { [ "$(ask)" = "hello from $1" ]; }

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

step "node1 runs the group: the client reaches the service at the VIP $VIP"
hbt_wait_for 400 answers node1 || { echo "the group did not start; node1's log:"; tail -30 "$(hbt_logdir node1)/ha-log"; exit 1; }
on client socat -T1 - "TCP:$VIP:8080"
on node1 "$cl_status" rscstatus
on node1 "$hbctl" status
grep -E "Acquiring resource group|Running .* start|Initial resource acquisition" "$(hbt_logdir node1)/ha-log" | sed 's/^/    /'

step "hb_standby on node1: the group moves to node2"
on node1 "$top/hb_standby"
hbt_wait_for 300 answers node2 || { echo "the group did not move"; exit 1; }
on client socat -T1 - "TCP:$VIP:8080"

step "hb_takeover on node1: it comes back"
on node1 "$top/hb_takeover"
hbt_wait_for 300 answers node1 || { echo "the group did not come back"; exit 1; }
on client socat -T1 - "TCP:$VIP:8080"

sleep 3  # let both nodes settle (a standby is refused while groups move)
step "node1 loses power (every process of the host killed, its link and addresses gone)"
crash=$(date +%s.%N)
hbt_stop node1
# The host's network namespace outlives its processes: take the VIP off too.
ip -n "$(hbt_ns node1)" addr del "$VIP/24" dev eth0 2>/dev/null || true
hbt_wait_for 300 answers node2 || { echo "node2 did not take over"; tail -30 "$(hbt_logdir node2)/ha-log"; exit 1; }
found=$(date +%s.%N)

step "the client reaches the service on node2 $(awk -v a="$crash" -v b="$found" 'BEGIN { printf "%.2f", b - a }') s after the crash (deadtime 3 s)"
on client socat -T1 - "TCP:$VIP:8080"
echo "node2's /var/log/ha-log:"
grep -E "is dead|No STONITH|Resources being acquired|Taking over|Acquiring|Running .* start|mach_down takeover complete" \
  "$(hbt_logdir node2)/ha-log" | tail -12 | sed 's/^/    /'
on node2 "$cl_status" nodestatus node1 || true
on node2 "$cl_status" rscstatus
