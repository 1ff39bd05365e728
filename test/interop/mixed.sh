#!/bin/bash
# The mixed cluster: node1 runs the real heartbeat 3.0.6, node2 runs hbd.
# Both must reach `active` (heartbeat's own cl_status says so for hbd's
# node; hbd's log shows heartbeat's node active), then the heartbeat host
# loses power and hbd declares it dead.
# Usage: mixed.sh [bcast|ucast|mcast] [crc|md5|sha1]
# Without arguments: bcast+sha1, ucast+md5 and mcast+crc (each medium and
# each digest once).
. "$(dirname "$0")/common.sh"
skip_unless_possible
[ -x "$HEARTBEAT" ] || { echo "SKIP: heartbeat 3.0.6 not installed"; exit 77; }

NODES="node1 node2"
run_case() {  # run_case MEDIUM METHOD
	local medium=$1 method=$2 line1 line2
	echo "# mixed cluster: $medium $method"
	hbt_cluster node1 node2 || return 1
	case $medium in
	bcast) line1="bcast eth0"; line2="bcast eth0" ;;
	ucast) line1="ucast eth0 $(hbt_ip node2)"; line2="ucast eth0 $(hbt_ip node1)" ;;
	mcast) line1="mcast eth0 239.18.0.1 694 1 0"; line2=$line1 ;;
	esac
	write_config node1 "$line1" "$method"
	write_config node2 "$line2" "$method"
	hbt_boot node1 && hbt_boot node2 || return 1

	check "heartbeat starts on node1" hbt_run node1 "$HEARTBEAT" 2>/dev/null
	check "hbd starts on node2" hbt_run node2 "$HBD" 2>/dev/null
	check "hbd sees heartbeat's node1 active" \
		hbt_wait_for 300 log_has node2 "Status update for node node1: status active"
	check "heartbeat sees hbd's node2 active" \
		hbt_wait_for 300 log_has node1 "Status update for node node2: status active"
	check "hbd is active itself" log_has node2 "Local status now set to: 'active'"
	cl_active() { [ "$(hbt_run node1 /usr/bin/cl_status nodestatus node2 2>/dev/null)" = active ]; }
	check "cl_status on node1: node2 active" hbt_wait_for 150 cl_active
	[ -x "$CL_STATUS" ] && check "hbd's cl_status on node2: node1 active" \
		hbt_wait_for 50 cl_says node2 active nodestatus node1
	check "heartbeat logged no auth complaint" bash -c "! grep -q 'authentication' '$(hbt_logdir node1)/ha-log'"

	hbt_stop node1
	check "hbd declares node1 dead" hbt_wait_for 200 log_has node2 "WARN: node node1: is dead"
	check "hbd -k stops hbd" hbt_run node2 "$HBD" -k
	[ "$fails" = 0 ] && [ -z "$SHOW_LOGS" ] || show_logs node1 node2
	hbt_teardown
}

if [ $# -gt 0 ]; then
	run_case "$1" "${2:-sha1}"
else
	run_case bcast sha1
	run_case ucast md5
	run_case mcast crc
fi
exit $((fails > 0))
