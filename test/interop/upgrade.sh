#!/bin/bash
# The rolling upgrade of doc/MIGRATING.md, step by step, on a live cluster:
# two heartbeat 3.0.6 nodes (auto_failback on; group A = VIP + rec::A1
# rec::A2 at home on node1, group B = rec::B1 on node2) become two hbd nodes
# one node at a time, while a client host pings the VIP every 200 ms. Then
# node2 is rolled back to heartbeat, as the guide's last section says.
#
# Asserted: each step's outcome as the guide describes it (who holds what,
# what cl_status and hbctl say), the VIP never on both nodes (sampled
# throughout), no "changed its uuid" (hbd keeps heartbeat's hb_uuid).
# Printed: each step's duration and the pings lost during it (measurements,
# not asserted).
# Skips (77) without root, test-host support or heartbeat 3.0.6.
. "$(dirname "$0")/common.sh"
NODE1_KIND=hb NODE2_KIND=hb RSC_MODE=on
. "$here/rsc-lib.sh"
rsc_skip_unless_possible
[ -x "$HBD" ] || { echo "SKIP: no hbd binary at $HBD"; exit 77; }
[ -x "$HEARTBEAT" ] || { echo "SKIP: heartbeat 3.0.6 not installed"; exit 77; }

rsc_setup || { echo "FAIL setting up the test hosts"; exit 1; }

# The guide starts and stops both daemons with the init script, as admins do.
init_do() { hbt_run "$1" env $(init_env_of "$1") "$(init_script_of "$1")" "$2" >/dev/null 2>&1; }
# cl_status of HOST's daemon says PEER is active.
sees_active() { hbt_run "$1" "$(cl_status_of "$1")" nodestatus "$2" 2>/dev/null | grep -qx active; }
hbctl_sees_active() {
	hbt_run "$1" "$(dirname "$HBD")/hbctl" status --json 2>/dev/null |
		grep -q "\"name\":\"$2\",\"type\":\"normal\",\"status\":\"active\""
}

# Pings to the VIP from the client, one every 200 ms, each line with its
# time; lost_since MARK: how many of the pings after line MARK went
# unanswered (icmp_seq gaps).
PING_LOG="$HBT_DIR/ping.log"
ping_start() {
	hbt_run client ping -n -i 0.2 "$VIP" >"$PING_LOG" 2>&1 &
	PING_PID=$!
}
# The ping runs in the client's own PID namespace: end it there (a signal to
# the local nsenter would not reach it).
ping_stop() {
	hbt_run client pkill -INT -x ping
	local i=0
	while kill -0 "$PING_PID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	kill "$PING_PID" 2>/dev/null
	wait "$PING_PID" 2>/dev/null
}
ping_mark() { wc -l <"$PING_LOG"; }
lost_since() {
	tail -n "+$(($1 + 1))" "$PING_LOG" | awk -F'icmp_seq=' '
		NF > 1 { split($2, a, " "); s = a[1] + 0
		         if (seen && s > last + 1) lost += s - last - 1
		         last = s; seen = 1 }
		END { print lost + 0 }'
}
# step_done MARK T0: the step's duration and the pings it lost.
step_done() {
	echo "     this step took $(( ($(now_ms) - $2) / 1000 )) s; pings lost: $(lost_since "$1") (one every 200 ms)"
}
quiet_check_config() { hbt_run "$@" >/dev/null 2>&1; }

echo "== rolling upgrade heartbeat 3.0.6 -> hbd, auto_failback on"
check "both heartbeat nodes start" eval 'init_do node1 start && init_do node2 start'
check "A on node1, B on node2 under heartbeat" hbt_wait_for 600 owners_are node1 node2
check "the client reaches the VIP at node1" hbt_wait_for 100 client_sees_vip_at node1

# Step 1: hbd -t on both nodes, on the files heartbeat runs with.
check "hbd -t accepts node1's /etc/ha.d" quiet_check_config node1 "$HBD" -t
check "hbd -t accepts node2's /etc/ha.d" quiet_check_config node2 "$HBD" -t
check "hbd -t -n node2 on node1 checks node2's view" quiet_check_config node1 "$HBD" -t -n node2

ping_start
hbt_wait_for 50 test -s "$PING_LOG"
sampler_start upgrade

# Step 2: upgrade node2 (it holds only B): stop heartbeat (B goes to node1),
# start hbd (B comes home), check each side sees the other.
m=$(ping_mark) t0=$(now_ms)
check "node2: heartbeat stops (init script)" init_do node2 stop
check "B moved to node1 while node2 is down" hbt_wait_for 300 owners_are node1 node1
NODE2_KIND=hbd
check "node2: hbd starts (init script)" init_do node2 start
check "B back on node2 (auto_failback on), A stays on node1" hbt_wait_for 600 owners_are node1 node2
check "heartbeat on node1 sees hbd on node2 active (cl_status)" hbt_wait_for 200 sees_active node1 node2
check "hbd on node2 sees heartbeat on node1 active (hbctl)" hbt_wait_for 200 hbctl_sees_active node2 node1
step_done "$m" "$t0"

# Step 3: upgrade node1 (it holds the VIP): stop heartbeat (A goes to
# node2, the VIP with it), start hbd (A comes home).
m=$(ping_mark) t0=$(now_ms)
check "node1: heartbeat stops (init script)" init_do node1 stop
check "A and B on node2 while node1 is down" hbt_wait_for 300 owners_are node2 node2
check "the client reaches the VIP at node2" hbt_wait_for 100 client_sees_vip_at node2
NODE1_KIND=hbd
check "node1: hbd starts (init script)" init_do node1 start
check "A back on node1, B on node2: both nodes on hbd" hbt_wait_for 600 owners_are node1 node2
check "the client reaches the VIP at node1 again" hbt_wait_for 100 client_sees_vip_at node1
check "hbctl on node1 sees node2 active" hbt_wait_for 200 hbctl_sees_active node1 node2
step_done "$m" "$t0"

# Rolling back node2: stop hbd, start heartbeat again.
m=$(ping_mark) t0=$(now_ms)
check "node2: hbd stops (init script)" init_do node2 stop
check "B moved to node1 while node2 is down" hbt_wait_for 300 owners_are node1 node1
NODE2_KIND=hb
check "node2: heartbeat starts again (init script)" init_do node2 start
check "B back on node2 under heartbeat" hbt_wait_for 600 owners_are node1 node2
check "heartbeat on node2 sees hbd on node1 active (cl_status)" hbt_wait_for 200 sees_active node2 node1
step_done "$m" "$t0"

sampler_stop
ping_stop
echo "     pings lost over the whole upgrade and roll-back: $(lost_since 0) of $(grep -c 'icmp_seq=' "$PING_LOG") answered + lost"
check "the VIP and the groups were never on both nodes ($SAMPLES looks)" no_double_sampled
uuid_changed() { grep -h "changed its uuid" "$(ha_log_of node1)" "$(ha_log_of node2)" 2>/dev/null | grep -q .; }
check "no node changed its uuid (hbd keeps heartbeat's hb_uuid)" not uuid_changed

for h in node1 node2; do init_do "$h" stop; done
[ "$fails" = 0 ] || show_logs node1 node2
exit $((fails > 0))
