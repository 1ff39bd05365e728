#!/bin/bash
# Test of resource.d/mq (RabbitMQ) on throwaway hosts: two cluster nodes
# sharing a disk and a client host.  Start/stop/status by hand, idempotence,
# persistent confirmed messages survive a switch-over (clean stop on node1,
# start on node2) and a power loss of node2; usage errors; heartbeat's log
# layout.  Exit 0 pass, 1 fail, 77 skip.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../hosts/lib.sh"
. "$HERE/lib.sh"

hbt_require || exit 77
for f in /usr/sbin/rabbitmq-server /usr/sbin/rabbitmqctl; do
	[ -x "$f" ] || { echo "SKIP: $f not installed"; exit 77; }
done
/usr/bin/python3 -c 'import pika' 2>/dev/null || { echo "SKIP: no python3-pika"; exit 77; }

hbt_init || exit 1
cleanup() { set +e; hbt_teardown; rsd_disk_remove; }
trap cleanup EXIT
trap 'cleanup; trap - INT; kill -INT $$' INT
trap 'cleanup; trap - TERM; kill -TERM $$' TERM
trap 'cleanup; trap - HUP; kill -HUP $$' HUP

T_START=$SECONDS
CLIENT="$HERE/amqp_client.py"
MQ_USER=hbdtest MQ_PASSWORD='s3cret$"pw'
DATADIR=/srv/ha/rabbitmq
NODE=rabbit@localhost
Q=hbd-test

for h in node1 node2 client; do hbt_add_host "$h" || exit 1; done
# 200 MB: RabbitMQ blocks publishers below 50 MB free on its data disk.
rsd_disk_make 200 || { echo "FAIL: no loop device"; exit 1; }
for h in node1 node2; do
	rsd_private_srv "$h"
	rsd_install "$h"
	# mq.conf: the user the client logs in as (guest is localhost-only).
	printf 'MQ_USER=%s\nMQ_PASSWORD=%q\n' "$MQ_USER" "$MQ_PASSWORD" >"$(hbt_etc "$h")/mq.conf"
	chmod 600 "$(hbt_etc "$h")/mq.conf"
done
for h in node1 node2 client; do hbt_boot "$h" || exit 1; done

mq() { local h=$1; shift; rsd_script "$h" mq rabbitmq "$DATADIR" "$NODE" "$@"; }
amqp() {
	local cmd=$1 h=$2; shift 2
	hbt_run client /usr/bin/python3 "$CLIENT" "$cmd" --host "$(hbt_ip "$h")" \
		--user "$MQ_USER" --password "$MQ_PASSWORD" "$@"
}
mount_disk() { hbt_run "$1" mkdir -p /srv/ha && hbt_run "$1" mount "$RSD_LOOP" /srv/ha; }
# output_lacks DESC REGEX: the last rsd_expect's output does not match.
output_lacks() {
	if printf '%s\n' "$RSD_OUT" | grep -Eq -- "$2"; then
		rsd_fail "$1: /$2/ in:"; printf '%s\n' "$RSD_OUT" | sed 's/^/     /'
	else rsd_ok "$1"; fi
}
# stdout_of HOST OP: the script's stdout only (what heartbeat reads).
stdout_of() { mq "$1" "$2" 2>/dev/null; }
# all_there DESC CONFIRMED CONSUMED: every confirmed body was consumed.
all_there() {
	local n missing
	n=$(sort -u "$2" | wc -l)
	missing=$(comm -23 <(sort -u "$2") <(sort -u "$3") | wc -l)
	if [ "$n" -gt 0 ] && [ "$missing" = 0 ]; then
		rsd_ok "$1: all $n confirmed messages consumed ($(wc -l <"$3") in queue)"
	else
		rsd_fail "$1: $missing of $n confirmed messages missing"
		comm -23 <(sort -u "$2") <(sort -u "$3") | head -5 | sed 's/^/     missing: /'
	fi
}
# timed CMD...: CMD, then its duration and the script's timing lines.
timed() {
	local t=$SECONDS; "$@"
	printf '     (took %s s)\n' $((SECONDS - t))
	printf '%s\n' "$RSD_OUT" | grep -E 'accepts connections after|stopped after' |
		sed 's/^/     | /'
}

# --- node1: start, idempotence, status ---------------------------------------
mount_disk node1 && rsd_ok "node1 mounted the shared disk" || rsd_fail "node1 mount"

rsd_expect "node1 status before start" 3 mq node1 status
out=$(stdout_of node1 status)
RSD_OUT=$out rsd_output_has "status says stopped" "Resource is stopped"
RSD_OUT=$out output_lacks "stopped status has no running/OK (heartbeat reads it as stopped)" 'running|Running|OK'

timed rsd_expect "node1 start" 0 mq node1 start
rsd_output_has "start logs the broker and its data" "INFO: Starting rabbitmq $NODE \(data $DATADIR\)"
rsd_output_has "start logs when it accepts connections" "INFO: rabbitmq $NODE accepts connections after [0-9]+ s"
rsd_output_has "start creates the mq.conf user" "created rabbitmq user $MQ_USER"
rsd_expect "client publishes at once after start" 0 amqp wait-publish node1 --queue hbd-probe --timeout 10
echo "     (first confirmed publish after ${RSD_OUT} s)"

rsd_expect "node1 start again" 0 mq node1 start
rsd_output_has "second start: already running" "already running"
rsd_expect "node1 status" 0 mq node1 status
out=$(stdout_of node1 status)
RSD_OUT=$out rsd_output_has "status says running" "Running OK"

# --- messages through node1, clean switch-over to node2 ----------------------
C1="$HBT_DIR/confirmed1" C2="$HBT_DIR/confirmed2"
: >"$C1"; : >"$C2"
rsd_expect "client publishes 50 persistent messages via node1" 0 \
	amqp publish node1 --queue "$Q" --count 50 --prefix first --confirmed-file "$C1"
[ "$(wc -l <"$C1")" = 50 ] && rsd_ok "50 confirmed" || rsd_fail "confirmed: $(wc -l <"$C1")"

timed rsd_expect "node1 stop" 0 mq node1 stop
rsd_output_has "stop logs" "INFO: rabbitmq $NODE stopped after [0-9]+ s"
rsd_expect "node1 stop again" 0 mq node1 stop
rsd_output_has "second stop: already stopped" "already stopped"
rsd_expect "node1 status after stop" 3 mq node1 status
rsd_expect "node1 unmounts the shared disk (nothing holds it)" 0 hbt_run node1 umount /srv/ha

mount_disk node2 && rsd_ok "node2 mounted the shared disk" || rsd_fail "node2 mount"
timed rsd_expect "node2 start (node1's data)" 0 mq node2 start
output_lacks "node2 finds the user in the broker's data" "created rabbitmq user"
rsd_expect "client consumes via node2" 0 amqp consume node2 --queue "$Q"
printf '%s\n' "$RSD_OUT" >"$HBT_DIR/consumed1"
all_there "switch-over" "$C1" "$HBT_DIR/consumed1"

# --- power loss of node2 -----------------------------------------------------
rsd_expect "client publishes 20 persistent messages via node2" 0 \
	amqp publish node2 --queue "$Q" --count 20 --prefix second --confirmed-file "$C2"
hbt_stop node2 && rsd_ok "node2 powered off" || rsd_fail "node2 power off"
hbt_boot node2 || { rsd_fail "node2 reboot"; rsd_summary mq_test; exit 1; }
mount_disk node2 && rsd_ok "node2 mounted the shared disk after the crash" || rsd_fail "node2 mount after crash"
rsd_expect "node2 status after reboot" 3 mq node2 status
timed rsd_expect "node2 start after the crash" 0 mq node2 start
rsd_expect "client consumes via node2 after the crash" 0 amqp consume node2 --queue "$Q"
printf '%s\n' "$RSD_OUT" >"$HBT_DIR/consumed2"
all_there "power loss" "$C2" "$HBT_DIR/consumed2"
rsd_expect "node2 stop" 0 mq node2 stop
rsd_expect "node2 unmounts the shared disk" 0 hbt_run node2 umount /srv/ha

# --- usage, unknown type, log layout -------------------------------------------
rsd_expect "no arguments" 2 rsd_script node1 mq
rsd_output_has "usage printed" "usage: .*mq .*start\|stop\|status"
rsd_expect "unknown operation" 2 rsd_script node1 mq rabbitmq restart
rsd_output_has "usage printed" "usage: "
rsd_expect "too many arguments" 2 rsd_script node1 mq rabbitmq /srv/ha/x rabbit@localhost extra status
rsd_expect "unknown type" 2 rsd_script node1 mq ibmmq start
rsd_output_has "unknown type named" "unknown message broker type 'ibmmq'"
rsd_expect "relative DATADIR" 2 rsd_script node1 mq rabbitmq srv/ha start

rsd_expect "status with HA_LOGFILE" 3 hbt_run node1 env HA_LOGFILE=/var/log/ha-log \
	/etc/ha.d/resource.d/mq rabbitmq "$DATADIR" status
RSD_OUT=$(cat "$(hbt_logdir node1)/ha-log" 2>&1)
rsd_output_has "heartbeat's log layout in ha-log" \
	'^[0-9]{4}/[0-9]{2}/[0-9]{2}_[0-9]{2}:[0-9]{2}:[0-9]{2}  mq\(rabbitmq\)\[[0-9]+\]:    INFO: '

echo "     (test took $((SECONDS - T_START)) s)"
rsd_summary mq_test
