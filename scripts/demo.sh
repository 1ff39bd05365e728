#!/bin/bash
# `make demo`: a real two-node hbd cluster on this one machine, with the
# services heartbeat users run. Three throwaway test hosts on one bridge
# (addresses from 198.18.0.0/15): node1 and node2 run hbd (keepalive 500ms,
# deadtime 3 s) and share one disk (ext4 on a loop device). One group, all
# through hbd's own resource.d scripts:
#   node1 <VIP>/24 Filesystem::/dev/loopN::/srv/ha::ext4 httpd::/etc/ha.d/httpd.conf mq
# Apache serves a page from the shared disk, RabbitMQ keeps its messages
# there. A client host fetches the page and publishes messages through the
# VIP. node1 loses power: node2 takes everything over; node1 comes back and
# the group fails back. The timeline shows where each second goes.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
here=$top/test/interop
HBD=${HBD:-$top/hbd}
CL_STATUS=${CL_STATUS:-$top/cl_status}
HBCTL=${HBCTL:-$top/hbctl}
HEARTBEAT=/usr/libexec/heartbeat/heartbeat
. "$top/test/hosts/lib.sh"
NODE1_KIND=hbd NODE2_KIND=hbd
. "$here/rsc-lib.sh"
. "$here/story-lib.sh"

bold() { printf '\n\033[1m[%s] %s\033[0m\n' "$(date +%T.%3N)" "$*"; }
on() { local h=$1; shift; printf '%s$ %s\n' "$h" "$*"; hbt_run "$h" "$@" 2>&1 | sed 's/^/    /'; }
die() { echo "demo: $*" >&2; for h in node1 node2; do echo "--- $h's ha-log"; tail -25 "$(ha_log_of $h)" 2>/dev/null; done; exit 1; }
at() { printf '  %+8.2f s  %s\n' "$(awk -v a="$1" -v b="$(now_ms)" 'BEGIN { print (b - a) / 1000 }')" "$2"; }
# The resource lines of a node's ha-log since MARK, indented.
log_tale() { script_lines "$1" "$2" | sed -e 's/^/    /' -e 's/  *\([A-Za-z]*([^)]*)\[[0-9]*\]\):  */ \1: /'; }

why=$(story_possible) || die "cannot run here: $why"
story_setup || die "set-up failed"
disk_sampler_start

bold "Three test hosts: node1 $(hbt_ip node1), node2 $(hbt_ip node2), client $(hbt_ip client); the shared disk $RSD_LOOP (ext4)"
echo "/etc/ha.d/haresources on both nodes:"
sed 's/^/    /' "$(hbt_etc node1)/haresources"
on node1 "$HBD" -t

bold "hbd starts on both nodes; node1 acquires its group, left to right"
t0=$(now_ms)
rsc_start node1 && rsc_start node2 || die "hbd did not start"
hbt_wait_for 1200 group_served_by node1 || die "node1 did not start the group"
at "$t0" "the client gets the page through $VIP and the broker confirms a publish"
log_tale node1 0
on client curl -s "http://$VIP/"
on node1 "$CL_STATUS" rscstatus
on node1 "$HBCTL" status

bold "The client publishes 100 persistent messages through the VIP, with publisher confirms"
publish 100 demo
echo "    $(wc -l <"$HBT_DIR/confirmed") messages confirmed by the broker on node1"

bold "node1 loses power (every process of the host killed, its link down)"
mark2=$(log_mark node2)
t0=$(now_ms)
rsc_power_off node1
milestones_start "$t0" node2 "$HBT_DIR/milestones"
milestones_wait
say_milestone() {
	local ms; ms=$(milestone "$HBT_DIR/milestones" "$1")
	[ "$ms" = - ] && { echo "              $2: not seen"; return 1; }
	printf '  %+8.2f s  %s\n' "$(awk -v m="$ms" 'BEGIN { print m / 1000 }')" "$2"
}
say_milestone dead "node2 declares node1 dead (deadtime 3 s)"
say_milestone vip "the VIP is on node2 (after a 200 ms ARP probe; gratuitous ARPs follow)"
say_milestone mounted "node2 has checked (fsck) and mounted the disk"
say_milestone page "the page is served through the VIP again (Apache on node2)" || die "node2 did not take over"
say_milestone broker "the broker confirms publishes through the VIP again (RabbitMQ on node2)" || { broker_probe_report "$HBT_DIR/milestones" node2; die "no broker on node2 (the probe's errors above)"; }
echo "node2's /var/log/ha-log:"
log_tale node2 "$mark2"

bold "The client consumes the queue on node2"
consume_all
echo "    $(grep -c . "$HBT_DIR/consumed") messages consumed; confirmed before the crash and missing now: $(missing_messages)"
confirmed_all_consumed || die "confirmed messages were lost"

bold "node1 comes back; auto_failback on: node2 stops right to left, node1 starts left to right"
publish 20 after-crash
mark1=$(log_mark node1) mark2=$(log_mark node2)
t0=$(now_ms)
{ rsc_power_on node1 && rsc_start node1; } 2>/dev/null || die "node1 did not come back"
hbt_wait_for 1200 group_served_by node1 || die "the group did not fail back"
at "$t0" "node1 serves the page and the broker again"
echo "node2's /var/log/ha-log:"
log_tale node2 "$mark2"
echo "node1's /var/log/ha-log:"
log_tale node1 "$mark1"
consume_all
echo "    all $(sort -u "$HBT_DIR/confirmed" | wc -l) confirmed messages consumed, $(missing_messages) missing"
confirmed_all_consumed || die "confirmed messages were lost"

disk_sampler_stop
bold "Done: the disk was mounted on both hosts in $DISK_DOUBLES of $DISK_SAMPLES looks (every 50 ms)"
[ "$DISK_DOUBLES" = 0 ] || die "the disk was mounted on both hosts"
