#!/bin/bash
# The mixed cluster: node1 runs the real heartbeat 3.0.6, node2 runs hbd.
# Both must reach `active` (each side's own cl_status says so), then each
# host in turn loses power and comes back (wire-protocol §5.4, §5.10):
#  - the heartbeat host crashes: hbd declares node1 dead; heartbeat boots
#    again with a new generation and hbd accepts it (restart, active);
#  - the hbd host crashes: heartbeat declares node2 dead; hbd boots again
#    with a strictly greater generation and heartbeat accepts it.
# Only behaviour is asserted; the waits are generous bounds.
# Usage: mixed.sh [bcast|ucast|mcast] [crc|md5|sha1]
# Without arguments: bcast+sha1, ucast+md5 and mcast+crc (each medium and
# each digest once).
. "$(dirname "$0")/common.sh"
skip_unless_possible
. "$here/mixed-lib.sh"

both_active() {
	check "hbd sees heartbeat's node1 active" \
		hbt_wait_for 300 log_has node2 "Status update for node node1: status active"
	check "heartbeat sees hbd's node2 active" \
		hbt_wait_for 300 log_has node1 "Status update for node node2: status active"
	check "hbd is active itself" log_has node2 "Local status now set to: 'active'"
	check "cl_status on node1: node2 active" hbt_wait_for 150 hb_says node1 active nodestatus node2
	[ -x "$CL_STATUS" ] && check "hbd's cl_status on node2: node1 active" \
		hbt_wait_for 50 cl_says node2 active nodestatus node1
	check "heartbeat logged no auth complaint" bash -c "! grep -q 'authentication' '$(hbt_logdir node1)/ha-log'"
}

# The heartbeat host loses power and boots again.
crash_heartbeat_host() {
	local mark
	past_start_window node1
	mark=$(log_mark node2)
	hbt_stop node1
	check "hbd declares node1 dead" hbt_wait_for 200 log_after node2 "$mark" "WARN: node node1: is dead"
	[ -x "$CL_STATUS" ] && check "hbd's cl_status: node1 dead" cl_says node2 dead nodestatus node1

	mark=$(log_mark node2)
	hbt_boot node1 || return 1
	check "heartbeat starts again on node1" start_heartbeat
	check "hbd sees heartbeat's restart (new generation)" \
		hbt_wait_for 200 log_after node2 "$mark" "info: Heartbeat restart on node node1"
	check "hbd sees node1 active again" \
		hbt_wait_for 300 log_after node2 "$mark" "Status update for node node1: status active"
	[ -x "$CL_STATUS" ] && check "hbd's cl_status: node1 active again" \
		hbt_wait_for 50 cl_says node2 active nodestatus node1
	check "restarted heartbeat: cl_status node2 active" \
		hbt_wait_for 300 hb_says node1 active nodestatus node2
}

# The hbd host loses power and boots again.
crash_hbd_host() {
	local mark gen_before gen_after
	past_start_window node1
	past_start_window node2
	gen_before=$(generation node2)
	mark=$(log_mark node1)
	hbt_stop node2
	check "heartbeat declares node2 dead" hbt_wait_for 200 log_after node1 "$mark" "WARN: node node2: is dead"
	check "heartbeat's cl_status: node2 dead" hb_says node1 dead nodestatus node2

	mark=$(log_mark node1)
	hbt_boot node2 || return 1
	check "hbd starts again on node2" start_hbd
	check "heartbeat sees hbd's restart (new generation)" \
		hbt_wait_for 200 log_after node1 "$mark" "info: Heartbeat restart on node node2"
	check "heartbeat sees node2 active again" \
		hbt_wait_for 300 log_after node1 "$mark" "Status update for node node2: status active"
	check "heartbeat's cl_status: node2 active again" \
		hbt_wait_for 50 hb_says node1 active nodestatus node2
	[ -x "$CL_STATUS" ] && check "restarted hbd: cl_status node1 active" \
		hbt_wait_for 300 cl_says node2 active nodestatus node1
	gen_after=$(generation node2)
	check "hbd's generation grew ($gen_before -> $gen_after)" \
		test -n "$gen_before" -a "${gen_after:-0}" -gt "${gen_before:-0}"
}

run_case() {  # run_case MEDIUM METHOD
	echo "# mixed cluster: $1 $2"
	hbt_cluster node1 node2 || return 1
	mixed_config "$1" "$2" || return 1
	hbt_boot node1 && hbt_boot node2 || return 1

	check "heartbeat starts on node1" start_heartbeat
	check "hbd starts on node2" start_hbd
	both_active
	crash_heartbeat_host
	crash_hbd_host
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
