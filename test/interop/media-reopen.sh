#!/bin/bash
# A medium whose interface is deleted and created again comes back by itself
# (issue 13, item 13): two hbd hosts with a second link (a veth pair, hb1)
# beside eth0; hb1 is deleted, so node1's sends on it fail with ENODEV, then
# created again with the same name and address.  node1 must log the outage
# once, reopen within a few seconds of the return, and both nodes must hear
# each other on hb1 again — without a restart, and without ever declaring
# the peer dead (eth0 carries the heartbeats meanwhile).
. "$(dirname "$0")/common.sh"
skip_unless_possible

NODES="node1 node2"
hbt_cluster node1 node2 || exit 1

# hb1: a veth pair between the two hosts, 198.18.254.0/24 (inside each
# host's own network namespace, so no other test sees it).
add_hb1() {
	ip link add hb1 netns "$(hbt_ns node1)" type veth peer name hb1 netns "$(hbt_ns node2)" &&
	ip -n "$(hbt_ns node1)" addr add 198.18.254.1/24 broadcast 198.18.254.255 dev hb1 &&
	ip -n "$(hbt_ns node2)" addr add 198.18.254.2/24 broadcast 198.18.254.255 dev hb1 &&
	ip -n "$(hbt_ns node1)" link set hb1 up && ip -n "$(hbt_ns node2)" link set hb1 up
}
add_hb1 || { echo "FAIL creating the veth pair"; exit 1; }
for h in node1 node2; do write_config "$h" "bcast eth0 hb1" sha1; done
hbt_boot node1 && hbt_boot node2 || exit 1
check "hbd starts on node1" hbt_run node1 "$HBD" 2>/dev/null
check "hbd starts on node2" hbt_run node2 "$HBD" 2>/dev/null
check "node1 hears node2 on hb1" hbt_wait_for 300 log_has node1 "Link node2:hb1 up."
check "node2 hears node1 on hb1" hbt_wait_for 300 log_has node2 "Link node1:hb1 up."

count() { grep -cE -- "$2" "$(hbt_logdir "$1")/ha-log" 2>/dev/null; }
ip -n "$(hbt_ns node1)" link del hb1  # deletes both ends
check "node1 logs the failed sends on hb1" \
	hbt_wait_for 50 log_has node1 "ERROR: glib: .*hb1.* - reopening"
check "node2 declares the link dead" hbt_wait_for 100 log_has node2 "Link node1:hb1 dead."
sleep 3
check "the outage is logged once, not per packet" test "$(count node1 "ERROR: glib: .*hb1")" = 1

add_hb1 || check "creating the veth pair again" false
check "node1 says hb1 is usable again" hbt_wait_for 100 log_has node1 "hb1.*: medium usable again"
up_twice() { [ "$(count "$1" "Link $2:hb1 up.")" -ge 2 ]; }
check "node2 hears node1 on hb1 again" hbt_wait_for 100 up_twice node2 node1
check "node1 hears node2 on hb1 again" hbt_wait_for 100 up_twice node1 node2
check "no node was declared dead" test "$(count node1 "is dead")$(count node2 "is dead")" = 00
check "no restart" test "$(count node1 "restart exec")" = 0

[ "$fails" = 0 ] || show_logs node1 node2
exit $((fails > 0))
