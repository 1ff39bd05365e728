#!/bin/bash
# The whole story with hbd's own resource scripts (story-lib.sh): a VIP, a
# shared ext4 disk, Apache and RabbitMQ fail over with nothing lost.
#   story.sh KIND1 KIND2     KIND = hbd | hb (heartbeat 3.0.6), per node
# 1. node1 owns the group; the client publishes confirmed messages
# 2. node1 loses power -> node2 mounts, takes the VIP, starts httpd and mq;
#    the page is served and every confirmed message is consumed
# 3. node1 returns (auto_failback on) -> the group moves back in order
# 4. hb_standby on node1 -> node2 takes it, nothing lost
# Throughout: the disk is never mounted on both hosts.
set -u
NODE1_KIND=${1:-hbd} NODE2_KIND=${2:-hbd}
. "$(dirname "$0")/common.sh"
. "$here/rsc-lib.sh"
. "$here/story-lib.sh"

why=$(story_possible) || { echo "SKIP: $why"; exit 77; }
echo "== story: node1 $NODE1_KIND, node2 $NODE2_KIND, auto_failback $STORY_MODE"
story_setup || { echo "FAIL: set-up"; exit 1; }
disk_sampler_start
keep() { [ -n "${STORY_KEEP:-}" ] && rsc_keep "$STORY_KEEP"; show_logs node1 node2; }
fatal() { echo "FAIL $*"; keep; exit 1; }

# --- 1. node1 starts the group ----------------------------------------------
mark1=0 mark2=0
rsc_start node1 && rsc_start node2 || fatal "daemons did not start"
hbt_wait_for 1200 group_served_by node1 || fatal "node1 did not start the group"
order1=$(script_order node1 0 start)
check "node1 started the group left to right ($order1)" \
	[ "$order1" = "IPaddr Filesystem httpd mq" ]
check "page served through the VIP by node1" page_served
publish 100 first
check "100 messages confirmed before the crash" [ "$(wc -l <"$HBT_DIR/confirmed")" = 100 ]

# --- 2. node1 loses power -----------------------------------------------------
mark2=$(log_mark node2)
t0=$(now_ms)
rsc_power_off node1
if hbt_wait_for 1200 group_served_by node2; then
	echo "     node2 serves the page and accepts publishes $(( $(now_ms) - t0 )) ms after the crash"
	check "node2 took over" true
else
	fatal "node2 did not take over"
fi
check "node2 started the group left to right" \
	[ "$(script_order node2 "$mark2" start)" = "IPaddr Filesystem httpd mq" ]
check "the client's ARP entry moved to node2" vip_at node2
consume_all
check "every message confirmed before the crash consumed after it ($(missing_messages) missing)" \
	confirmed_all_consumed
script_lines node2 "$mark2" | sed 's/^/     /'

# --- 3. node1 returns: failback -------------------------------------------------
publish 50 second
mark1=$(log_mark node1) mark2=$(log_mark node2)
rsc_power_on node1 || fatal "node1 did not boot"
rsc_start node1 || fatal "node1's daemon did not start"
hbt_wait_for 1200 group_served_by node1 || fatal "the group did not come back to node1"
check "node2 stopped the group right to left" \
	[ "$(script_order node2 "$mark2" stop)" = "mq httpd Filesystem IPaddr" ]
check "node1 started it left to right" \
	[ "$(script_order node1 "$mark1" start)" = "IPaddr Filesystem httpd mq" ]
consume_all
check "every confirmed message consumed after the failback ($(missing_messages) missing)" \
	confirmed_all_consumed

# --- 4. hb_standby on the owner ---------------------------------------------------
publish 50 third
# A standby is refused while the last move settles: wait until neither
# node's rscstatus says "transition".
settled() { [ "$(rscstatus node1)" != transition ] && [ "$(rscstatus node2)" != transition ]; }
hbt_wait_for 300 settled
mark1=$(log_mark node1) mark2=$(log_mark node2)
standby node1 || fatal "hb_standby failed"
hbt_wait_for 1200 group_served_by node2 || fatal "the group did not move to node2"
check "node1 stopped the group right to left" \
	[ "$(script_order node1 "$mark1" stop)" = "mq httpd Filesystem IPaddr" ]
consume_all
check "every confirmed message consumed after the standby ($(missing_messages) missing)" \
	confirmed_all_consumed
check "each message consumed once (none twice)" \
	[ "$(sort "$HBT_DIR/consumed" | uniq -d | wc -l)" = 0 ]

disk_sampler_stop
never_both() { [ "$DISK_SAMPLES" -ge 100 ] && [ "$DISK_DOUBLES" = 0 ]; }
check "the disk was never mounted on both hosts ($DISK_SAMPLES looks, $DISK_DOUBLES on both)" never_both
if [ "$fails" != 0 ]; then keep; echo "FAIL: story $NODE1_KIND $NODE2_KIND: $fails check(s)"; exit 1; fi
echo "PASS: story $NODE1_KIND $NODE2_KIND"
