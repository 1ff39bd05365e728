#!/bin/bash
# hbd.ini monitoring with the whole story (story-lib.sh: VIP, shared ext4
# disk, Apache, RabbitMQ): node1 runs hbd and watches httpd every second.
#   monitor.sh KIND2     KIND2 = hbd | hb (heartbeat 3.0.6) on node2
# 1. Apache killed on node1 -> restarted in place (httpd and mq stopped right
#    to left, started left to right), the page served again, fail count 1
# 2. Apache killed again, beyond max_restarts=1 -> the group is handed to
#    node2 with heartbeat's standby protocol, node2 serves it
# 3. every confirmed message consumed; the disk never mounted on both hosts
# 4. node1's [notify] hook saw the group's states in order; hbctl cleanup
#    clears the count
set -u
NODE1_KIND=hbd NODE2_KIND=${1:-hbd}
. "$(dirname "$0")/common.sh"
. "$here/rsc-lib.sh"
. "$here/story-lib.sh"

why=$(story_possible) || { echo "SKIP: $why"; exit 77; }
echo "== monitor: node1 hbd watches httpd, node2 $NODE2_KIND"
story_setup || { echo "FAIL: set-up"; exit 1; }
HBCTL=${HBCTL:-$(dirname "$HBD")/hbctl}

# node1's hbd.ini: httpd watched every second, one restart in place, then
# relocate; a notify hook that records every event.
e1=$(hbt_etc node1)
cat >"$e1/hbd.ini" <<EOF
[resource "httpd"]
interval = 1
timeout = 10
max_restarts = 1
backoff = 0
[notify]
directory = /etc/ha.d/notify.d
EOF
mkdir -p "$e1/notify.d"
printf '#!/bin/sh\necho "$*" >>/var/log/notify.log\n' >"$e1/notify.d/10-record"
chmod 755 "$e1/notify.d/10-record"
HTTPD=httpd::/etc/ha.d/httpd.conf   # the resource as haresources writes it
quiet() { "$@" >/dev/null 2>&1; }
check "hbd -t accepts node1's hbd.ini" quiet hbt_run node1 "$HBD" -t

disk_sampler_start
fatal() { echo "FAIL $*"; show_logs node1 node2; exit 1; }
rsc_start node1 && rsc_start node2 || fatal "daemons did not start"
hbt_wait_for 1200 group_served_by node1 || fatal "node1 did not start the group"
publish 50 before
check "50 messages confirmed" [ "$(wc -l <"$HBT_DIR/confirmed")" = 50 ]

failures_of() {  # HOST RESOURCE -> its fail count in hbctl status --json
	hbt_run "$1" "$HBCTL" status --json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
s = json.load(sys.stdin)
for g in s.get("monitoring", {}).values():
    for r in g["resources"]:
        if r["resource"] == sys.argv[1]:
            print(r["failures"])' "$2"
}
apache_runs() { hbt_run node1 pgrep -x apache2 >/dev/null; }
kill_apache() { hbt_run node1 pkill -KILL -x apache2; }

# --- 1. restart in place -------------------------------------------------------
mark1=$(log_mark node1)
kill_apache
check "node1 sees httpd fail" hbt_wait_for 200 log_since node1 "$mark1" \
	"Resource httpd[^ ]* of group .* failed .*failure 1: restarting httpd[^ ]* mq"
check "node1 serves the group again" hbt_wait_for 1200 group_served_by node1
check "httpd and mq stopped right to left" [ "$(script_order node1 "$mark1" stop)" = "mq httpd" ]
check "then started left to right" [ "$(script_order node1 "$mark1" start)" = "httpd mq" ]
check "hbctl shows one failure of httpd" [ "$(failures_of node1 "$HTTPD")" = 1 ]
publish 20 restarted

# --- 2. beyond max_restarts: relocate -------------------------------------------
mark1=$(log_mark node1) mark2=$(log_mark node2)
hbt_wait_for 100 apache_runs
kill_apache
check "node1 relocates after its one restart" hbt_wait_for 200 log_since node1 "$mark1" \
	"already restarted 1 times within .*: relocating the group"
check "node2 serves the group" hbt_wait_for 1200 group_served_by node2
check "node1 stopped it right to left" \
	[ "$(script_order node1 "$mark1" stop)" = "mq httpd Filesystem IPaddr" ]
check "node2 started it left to right" \
	[ "$(script_order node2 "$mark2" start)" = "IPaddr Filesystem httpd mq" ]

# --- 3. nothing lost, never mounted twice ------------------------------------------
consume_all
check "every confirmed message consumed on node2 ($(missing_messages) missing)" confirmed_all_consumed

# --- 4. what the hook saw, and cleanup -------------------------------------------
notify_log="$(hbt_logdir node1)/notify.log"
group_states() { grep "^group " "$notify_log" | awk '{print $3}' | tr '\n' ' ' | sed 's/ $//'; }
check "node1's hook saw the group start, restart and leave ($(group_states))" \
	[ "$(group_states)" = "starting running stopping starting running stopping stopped" ]
check "node1's hook saw node2 and the link" grep -q "^node node2 active" "$notify_log"
check "hbctl cleanup $HTTPD" quiet hbt_run node1 "$HBCTL" cleanup "$HTTPD"
check "the fail count is 0 again" [ "$(failures_of node1 "$HTTPD")" = 0 ]

disk_sampler_stop
check "the disk was never mounted on both hosts ($DISK_SAMPLES looks, $DISK_DOUBLES on both)" \
	[ "$DISK_DOUBLES" = 0 ]
[ "$fails" = 0 ] || show_logs node1 node2
exit $((fails > 0))
