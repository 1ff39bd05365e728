#!/bin/bash
# `make demo`: two throwaway test hosts, node1 and node2, on one bridge
# (198.18.0.0/15), each with the sample /etc/ha.d from ha.d/. hbd checks the
# configuration on each host as heartbeat would at start-up, then shows what
# it says about two broken copies.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
hbd=${HBD:-$top/hbd}
. "$top/test/hosts/lib.sh"

step() { printf '\n\033[1m[%s] %s\033[0m\n' "$(date +%T.%3N)" "$*"; }
show() { printf '$ %s\n' "$*"; }

hbt_cluster node1 node2
for h in node1 node2; do
  cp "$top/ha.d/ha.cf" "$top/ha.d/haresources" "$(hbt_etc $h)/"
  install -m 600 "$top/ha.d/authkeys" "$(hbt_etc $h)/authkeys"
  hbt_boot "$h"
done

for h in node1 node2; do
  step "$h ($(hbt_ip $h)): hbd -t checks /etc/ha.d as heartbeat 3.0.6 would"
  show "hbd -t"
  if hbt_run "$h" "$hbd" -t; then echo "=> exit 0: heartbeat would start with this configuration"; fi
done

step "node1: the same files, but authkeys readable by everyone"
chmod 644 "$(hbt_etc node1)/authkeys"
show "chmod 644 /etc/ha.d/authkeys; hbd -t"
rc=0; hbt_run node1 "$hbd" -t || rc=$?
echo "=> exit $rc: heartbeat would refuse to start"
chmod 600 "$(hbt_etc node1)/authkeys"

step "node1: deadtime too small for the keepalive"
sed -i 's/^deadtime.*/deadtime 1500ms/' "$(hbt_etc node1)/ha.cf"
show "deadtime 1500ms; hbd -t"
rc=0; hbt_run node1 "$hbd" -t || rc=$?
echo "=> exit $rc: heartbeat would refuse to start"

step "What comes next"
cat <<'MSG'
The daemon itself (membership over bcast/mcast/ucast with the real heartbeat
3.0.6 as a peer, then resource groups and failover) is not built yet. When it
is, this demo starts hbd on both hosts and a client host, shows cl_status on
both, crashes one host and shows the other declaring it dead and taking over.
MSG
