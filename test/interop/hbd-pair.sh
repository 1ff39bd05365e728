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
if [ -x "$CL_STATUS" ]; then
	check "cl_status on node1: node2 active" hbt_wait_for 50 cl_says node1 active nodestatus node2
	check "cl_status on node2: node1 active" hbt_wait_for 50 cl_says node2 active nodestatus node1
fi
status_running() { hbt_run node1 "$HBD" -s | grep -q 'heartbeat OK \[pid [0-9]* et al\] is running on node1 \[node1\]\.\.\.'; }
check "hbd -s reports it running" status_running

# Reload: unchanged, new authkeys, changed ha.cf (re-exec, peer sees a restart).
check "hbd -r signals the daemon" hbt_run node1 "$HBD" -r 2>/dev/null
check "reload without changes" hbt_wait_for 50 log_has node1 "info: Configuration unchanged."
touch -d '+1 sec' "$(hbt_etc node1)/authkeys"
hbt_run node1 "$HBD" -r 2>/dev/null
check "changed authkeys are reread" hbt_wait_for 50 log_has node1 "Rereading authentication file."
echo "# changed" >>"$(hbt_etc node1)/ha.cf"
touch -d '+2 sec' "$(hbt_etc node1)/ha.cf"
hbt_run node1 "$HBD" -r 2>/dev/null
check "changed ha.cf: restart exec" hbt_wait_for 50 log_has node1 "Performing heartbeat restart exec."
check "node2 sees node1 restart" hbt_wait_for 100 log_has node2 "Heartbeat restart on node node1"
active_twice() { [ "$(grep -c "Local status now set to: 'active'" "$(hbt_logdir node1)/ha-log")" -ge 2 ]; }
check "node1 is active again after the restart" hbt_wait_for 300 active_twice
check "node1 kept its pid file" status_running

# Carrier loss on node2: node1 declares it dead; both daemons keep running
# (send errors are logged, not fatal) and hear each other again afterwards.
hbt_link node2 down
check "carrier loss: node1 declares node2 dead" hbt_wait_for 200 log_has node1 "WARN: node node2: is dead"
check "node1 logs the link dead" hbt_wait_for 50 log_has node1 "Link node2:eth0 dead."
[ -x "$CL_STATUS" ] && check "cl_status on node1: node2 dead" cl_says node1 dead nodestatus node2
hbt_link node2 up
check "link back: node1 hears node2 again" \
	hbt_wait_for 200 log_has node1 "Cluster node node2 returning after partition."
[ -x "$CL_STATUS" ] && check "cl_status on node1: node2 active again" \
	hbt_wait_for 100 cl_says node1 active nodestatus node2

# Power loss of node2.
hbt_stop node2
dead_twice() { [ "$(grep -c "WARN: node node2: is dead" "$(hbt_logdir node1)/ha-log")" -ge 2 ]; }
check "power loss: node1 declares node2 dead" hbt_wait_for 200 dead_twice

hbt_run node1 sh -c 'kill -USR1 $(cat /run/heartbeat.pid)'
check "SIGUSR1 raises the debug level" hbt_wait_for 50 log_has node1 "debug now set to 1 \[pid [0-9]+\]"
check "hbd -k stops node1" hbt_run node1 "$HBD" -k
check "node1 logged its shutdown" log_has node1 "node1 Heartbeat shutdown complete."
status_stale() { hbt_run node1 "$HBD" -s >/dev/null; [ $? = 1 ]; }
check "hbd -s then says stopped (stale pid file: 1)" status_stale

[ "$fails" = 0 ] || show_logs node1 node2
exit $((fails > 0))
