#!/bin/bash
# hbd and the real heartbeat 3.0.6 joined only by a serial line (a socat pty
# pair over /dev/ttyS0): each sees the other active over it (heartbeat's
# own cl_status says so), and each declares the other dead when its host
# loses power.
. "$(dirname "$0")/common.sh"
skip_unless_possible
[ -x "$HEARTBEAT" ] || { echo "SKIP: heartbeat 3.0.6 not installed"; exit 77; }
. "$here/serial-lib.sh"

hbt_cluster node1 node2 || exit 1
serial_pair || exit 1
medium=$(printf 'baud 19200\nserial /dev/ttyS0')  # heartbeat wants baud first
for h in node1 node2; do write_config "$h" "$medium" sha1; done
hbt_boot node1 && hbt_boot node2 || exit 1

check "heartbeat starts on node1" hbt_run node1 "$HEARTBEAT" 2>/dev/null
check "hbd starts on node2" hbt_run node2 "$HBD" 2>/dev/null
check "hbd sees heartbeat's node1 active" \
	hbt_wait_for 300 log_has node2 "Status update for node node1: status active"
check "heartbeat sees hbd's node2 active" \
	hbt_wait_for 300 log_has node1 "Status update for node node2: status active"
check "heartbeat's link to node2 over /dev/ttyS0 is up" log_has node1 "Link node2:/dev/ttyS0 up."
check "cl_status on node1: node2 active" hbt_wait_for 150 hb_says node1 active nodestatus node2
check "cl_status on node1: /dev/ttyS0 up" hb_says node1 up hblinkstatus node2 /dev/ttyS0
[ -x "$CL_STATUS" ] && check "hbd's cl_status on node2: node1 active" \
	hbt_wait_for 50 cl_says node2 active nodestatus node1
check "heartbeat logged no auth complaint" bash -c "! grep -qi 'auth' '$(hbt_logdir node1)/ha-log'"

sleep 5  # past the start-up deadtime both sides advertise (wire-protocol §5.1)
hbt_stop node1
check "hbd declares heartbeat's node1 dead" hbt_wait_for 200 log_has node2 "WARN: node node1: is dead"
check "hbd logs the serial link dead" hbt_wait_for 50 log_has node2 "Link node1:/dev/ttyS0 dead."

[ "$fails" = 0 ] || show_logs node1 node2
exit $((fails > 0))
