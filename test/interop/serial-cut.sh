#!/bin/bash
# Two hbd hosts with two media, bcast and a serial line: when the network
# is cut (iptables DROP on eth0) the serial line keeps them together: nobody
# is declared dead, eth0 goes dead and /dev/ttyS0 stays up.
. "$(dirname "$0")/common.sh"
skip_unless_possible
. "$here/serial-lib.sh"

hbt_cluster node1 node2 || exit 1
serial_pair || exit 1
for h in node1 node2; do write_config "$h" "bcast eth0" sha1 "serial /dev/ttyS0"; done
hbt_boot node1 && hbt_boot node2 || exit 1

check "hbd starts on node1" hbt_run node1 "$HBD" 2>/dev/null
check "hbd starts on node2" hbt_run node2 "$HBD" 2>/dev/null
check "node1 sees node2 active" hbt_wait_for 300 log_has node1 "Status update for node node2: status active"
check "node1: eth0 link up" hbt_wait_for 50 log_has node1 "Link node2:eth0 up."
check "node1: serial link up" hbt_wait_for 50 log_has node1 "Link node2:/dev/ttyS0 up."

hbt_cut node2
check "node1 logs eth0 dead" hbt_wait_for 200 log_has node1 "Link node2:eth0 dead."
check "node2 logs eth0 dead" hbt_wait_for 50 log_has node2 "Link node1:eth0 dead."
if [ -x "$CL_STATUS" ]; then
	check "cl_status: eth0 dead" link_says node1 node2 eth0 dead
	check "cl_status: /dev/ttyS0 up" link_says node1 node2 /dev/ttyS0 up
	check "cl_status: node2 still active" cl_says node1 active nodestatus node2
fi
sleep 2  # eth0 dead took a deadtime (3 s); 2 s more of the cut, then nobody may be dead
check "nobody declared dead" bash -c "! grep -q 'is dead' '$(hbt_logdir node1)/ha-log' '$(hbt_logdir node2)/ha-log'"
check "serial link never went dead" bash -c "! grep -q 'ttyS0 dead' '$(hbt_logdir node1)/ha-log' '$(hbt_logdir node2)/ha-log'"

hbt_heal node2
check "eth0 comes back" hbt_wait_for 100 bash -c "[ \$(grep -c 'Link node2:eth0 up.' '$(hbt_logdir node1)/ha-log') -ge 2 ]"

[ "$fails" = 0 ] || show_logs node1 node2
exit $((fails > 0))
