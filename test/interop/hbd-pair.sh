#!/bin/bash
# Two hbd hosts over bcast with sha1: both see each other active, and when
# one host loses power the other declares it dead.
. "$(dirname "$0")/common.sh"
skip_unless_possible

NODES="node1 node2"
hbt_cluster node1 node2 || exit 1
for h in node1 node2; do write_config "$h" "bcast eth0" sha1; done
hbt_boot node1 && hbt_boot node2 || exit 1

check "hbd starts on node1" hbt_run node1 "$HBD" 2>/dev/null
check "hbd starts on node2" hbt_run node2 "$HBD" 2>/dev/null
check "node1 sees node2 active" hbt_wait_for 300 log_has node1 "Status update for node node2: status active"
check "node2 sees node1 active" hbt_wait_for 300 log_has node2 "Status update for node node1: status active"
check "node1 is active itself" log_has node1 "Local status now set to: 'active'"
status_running() { hbt_run node1 "$HBD" -s | grep -q 'heartbeat OK \[pid [0-9]* et al\] is running on node1 \[node1\]\.\.\.'; }
check "hbd -s reports it running" status_running

hbt_stop node2
check "node1 declares node2 dead" hbt_wait_for 200 log_has node1 "WARN: node node2: is dead"
check "node1 logs the link dead" log_has node1 "Link node2:eth0 dead."

check "hbd -k stops node1" hbt_run node1 "$HBD" -k
check "node1 logged its shutdown" log_has node1 "node1 Heartbeat shutdown complete."
status_stale() { hbt_run node1 "$HBD" -s >/dev/null; [ $? = 1 ]; }
check "hbd -s then says stopped (stale pid file: 1)" status_stale

[ "$fails" = 0 ] || show_logs node1 node2
exit $((fails > 0))
