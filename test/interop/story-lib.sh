# The whole story (bash library, sourced after common.sh and rsc-lib.sh):
# two nodes share one ext4 disk (a loop device both hosts see, mounted on one
# at a time), and one group moves between them:
#   node1 <VIP>/24 Filesystem::<loop>::/srv/ha::ext4 httpd::/etc/ha.d/httpd.conf mq
# with the web root (/srv/ha/www) and RabbitMQ's data (/srv/ha/rabbitmq) on
# that disk, all through hbd's own resource.d scripts. A client host fetches
# the page and publishes persistent messages with publisher confirms through
# the VIP. Used by story.sh (the test), scripts/demo.sh and the bench.

. "$top/test/scripts/lib.sh"

PY=/usr/bin/python3     # Debian's, which sees python3-pika
AMQP="$top/test/scripts/amqp_client.py"
STORY_QUEUE=hbd-story
STORY_USER=hbd STORY_PASSWORD=hbd-story
STORY_PAGE="served from the shared disk"
STORY_KEEPALIVE=${STORY_KEEPALIVE:-500ms}
STORY_DEADTIME=${STORY_DEADTIME:-3}
STORY_WARNTIME=${STORY_WARNTIME:-2}
STORY_INITDEAD=${STORY_INITDEAD:-6}
STORY_MODE=${STORY_MODE:-on}

# story_possible: 0, or prints why this machine cannot tell the story.
story_possible() {
	local why
	why=$(hbt_require 2>&1) || { echo "$why"; return 1; }
	[ -x /usr/sbin/apache2 ] || { echo "apache2 is not installed"; return 1; }
	[ -x /usr/sbin/rabbitmq-server ] || { echo "rabbitmq-server is not installed"; return 1; }
	$PY -c 'import pika' 2>/dev/null || { echo "python3-pika is not installed"; return 1; }
	command -v losetup >/dev/null && losetup -f >/dev/null 2>&1 || { echo "no free loop device"; return 1; }
	local k
	for k in "$NODE1_KIND" "$NODE2_KIND"; do
		case $k in
		hb) [ -x "$HEARTBEAT" ] || { echo "heartbeat 3.0.6 is not installed"; return 1; } ;;
		hbd) [ -x "$HBD" ] || { echo "no hbd binary at $HBD"; return 1; } ;;
		esac
	done
}

story_write_config() {
	local host=$1 e; e=$(hbt_etc "$host")
	{
		echo "use_logd no"
		echo "logfile /var/log/ha-log"
		echo "debugfile /var/log/ha-debug"
		echo "keepalive $STORY_KEEPALIVE"
		echo "deadtime $STORY_DEADTIME"
		echo "warntime $STORY_WARNTIME"
		echo "initdead $STORY_INITDEAD"
		echo "auto_failback $STORY_MODE"
		echo "bcast eth0"
		echo "node node1 node2"
	} >"$e/ha.cf"
	printf 'auth 1\n1 sha1 story-secret\n' >"$e/authkeys"
	chmod 600 "$e/authkeys"
	echo "node1 $VIP/24 Filesystem::$RSD_LOOP::/srv/ha::ext4 httpd::/etc/ha.d/httpd.conf mq" \
		>"$e/haresources"
	# The web server: the sample configuration, document root on the disk.
	rsd_httpd_conf "$host" 80 /srv/ha/www
	# The broker lets the client in with this user (mq creates it).
	printf 'MQ_USER=%s\nMQ_PASSWORD=%s\n' "$STORY_USER" "$STORY_PASSWORD" >"$e/mq.conf"
	rsd_install "$host"
}

# story_setup: hosts node1, node2 (daemons per NODE1_KIND/NODE2_KIND) and
# client, the shared disk with the web page on it, everything booted.
story_setup() {
	hbt_cluster node1 node2 client || return 1
	rsd_on_exit story_cleanup
	VIP="$HBT_SUBNET.200"
	rsd_disk_make 200 || return 1
	local h
	for h in node1 node2; do
		story_write_config "$h" || return 1
		rsc_fake_reboot "$h"      # a failed stop "reboots" only the host
		rsd_private_srv "$h"
	done
	for h in node1 node2 client; do hbt_boot "$h" || return 1; done
	hbt_run node1 sh -c "mkdir -p /srv/ha && mount $RSD_LOOP /srv/ha &&
		mkdir -p /srv/ha/www && echo '$STORY_PAGE' >/srv/ha/www/index.html &&
		umount /srv/ha" || return 1
}

# story_cleanup: the sampler, the hosts, then the disk (once no host has it
# mounted). story_setup installs it for the script's exit.
story_cleanup() { disk_sampler_stop 2>/dev/null; hbt_teardown; rsd_disk_remove; }

# --- what the client sees ----------------------------------------------------

page() { hbt_run client curl -s --connect-timeout 0.3 -m 1 "http://$VIP/" 2>/dev/null; }
page_served() { [ "$(page)" = "$STORY_PAGE" ]; }
# vip_at HOST: the client's neighbour entry for the VIP is HOST's MAC.
vip_at() {
	ip -n "$(hbt_ns client)" neigh show "$VIP" dev eth0 2>/dev/null | grep -qi "lladdr $(mac_of "$1")"
}
# amqp CMD [ARGS...]: the client's AMQP tool through the VIP; the queue is
# $STORY_QUEUE unless AMQP_QUEUE says otherwise.
amqp() {
	local cmd=$1; shift
	hbt_run client "$PY" "$AMQP" "$cmd" --host "$VIP" --user "$STORY_USER" \
		--password "$STORY_PASSWORD" --queue "${AMQP_QUEUE:-$STORY_QUEUE}" "$@"
}
# publish N PREFIX: N persistent messages with confirms; the confirmed ones
# are appended to $HBT_DIR/confirmed.
publish() { amqp publish --count "$1" --prefix "$2" --confirmed-file "$HBT_DIR/confirmed" >/dev/null 2>&1; }
# broker_accepts: one confirmed publish (into a queue of its own, so the
# story's queue holds only the story's messages).
broker_accepts() { AMQP_QUEUE=hbd-probe amqp wait-publish --timeout 2 >/dev/null 2>&1; }
# consume_all: every message now in the queue, into $HBT_DIR/consumed.
consume_all() { amqp consume >>"$HBT_DIR/consumed" 2>/dev/null; }
# confirmed_all_consumed: each confirmed body was consumed (a message
# published but unconfirmed may or may not be there; both are fine).
confirmed_all_consumed() {
	[ -s "$HBT_DIR/confirmed" ] || return 1
	[ -z "$(comm -23 <(sort -u "$HBT_DIR/confirmed") <(sort -u "$HBT_DIR/consumed"))" ]
}
missing_messages() { comm -23 <(sort -u "$HBT_DIR/confirmed") <(sort -u "$HBT_DIR/consumed") | wc -l; }

# group_served_by HOST: the page comes through the VIP from HOST and the
# broker accepts a confirmed publish.
group_served_by() { page_served && vip_at "$1" && broker_accepts; }

# --- the disk: never mounted on both hosts -----------------------------------

mounted_on() {
	local pid; pid=$(hbt_init_pid "$1") || return 1
	[ -n "$pid" ] && grep -q " /srv/ha " "/proc/$pid/mounts" 2>/dev/null
}
# disk_sampler_start / disk_sampler_stop: look at both hosts' mount tables
# every 50 ms; sets DISK_SAMPLES and DISK_DOUBLES (looks with the disk
# mounted on both).
DISK_SAMPLER=
disk_sampler_start() {
	rm -f "$HBT_DIR/disk.stop"
	(
		n=0 both=0
		while [ ! -e "$HBT_DIR/disk.stop" ] && [ $n -lt 40000 ]; do
			m1=0 m2=0
			mounted_on node1 && m1=1
			mounted_on node2 && m2=1
			[ $m1 = 1 ] && [ $m2 = 1 ] && { both=$((both + 1)); echo "$(now_ms) both" >>"$HBT_DIR/disk.log"; }
			n=$((n + 1))
			echo "$n $both" >"$HBT_DIR/disk.count"
			sleep 0.05
		done
	) &
	DISK_SAMPLER=$!
}
disk_sampler_stop() {
	: >"$HBT_DIR/disk.stop"
	[ -n "$DISK_SAMPLER" ] && wait "$DISK_SAMPLER" 2>/dev/null
	DISK_SAMPLER=
	read -r DISK_SAMPLES DISK_DOUBLES <"$HBT_DIR/disk.count" || { DISK_SAMPLES=0 DISK_DOUBLES=0; }
}

# --- the log: what the scripts did ------------------------------------------

# script_lines HOST MARK: the resource script and daemon lines of HOST's
# ha-log since line MARK that tell the story.
script_lines() {
	tail -n "+$(($2 + 1))" "$(ha_log_of "$1")" 2>/dev/null | grep -E \
		"is dead|Taking over|Acquiring resource group|Releasing resource group|Running /etc/ha.d//?resource.d/.* (start|stop)|fsck|Mounting|unmounted|answers at|accepts connections|Adding inet|Removing inet|takeover complete|foreign resources|standby|Local Resource acquisition completed"
}
# script_order HOST MARK OP: the scripts HOST ran with OP since MARK, in order.
script_order() {
	tail -n "+$(($2 + 1))" "$(ha_log_of "$1")" 2>/dev/null |
		sed -n "s|.*Running /etc/ha.d//*resource.d/\([A-Za-z0-9]*\) .* $3\$|\1|p" | tr '\n' ' ' | sed 's/ $//'
}

# --- a takeover's milestones ---------------------------------------------------

# milestones_start T0 HOST FILE: one watcher per milestone of HOST taking
# the group over, each polling on its own (a slow check never delays
# another) and appending "<ms after T0> <name>" to FILE when it happens:
# dead (HOST's cl_status says the peer is dead), vip (the VIP on HOST),
# mounted (the disk in HOST's mount table), page (served through the VIP),
# broker (a publish confirmed through the VIP). milestones_wait: until all
# are seen or gave up (120 s).
MILESTONE_PIDS=()
milestone_watch() {
	local t0=$1 file=$2 name=$3; shift 3
	( i=0
	  while [ $i -lt 2400 ]; do
		"$@" && { echo "$(( $(now_ms) - t0 )) $name" >>"$file"; exit 0; }
		sleep 0.05; i=$((i + 1))
	  done ) &
	MILESTONE_PIDS+=($!)
}
peer_dead_seen() { hbt_run "$1" "$(cl_status_of "$1")" nodestatus "$(peer_of "$1")" 2>/dev/null | grep -q dead; }
vip_on() { ip -n "$(hbt_ns "$1")" -o -4 addr show dev eth0 2>/dev/null | grep -q " $VIP/"; }
milestones_start() {
	local t0=$1 host=$2 file=$3
	: >"$file"
	MILESTONE_PIDS=()
	milestone_watch "$t0" "$file" dead peer_dead_seen "$host"
	milestone_watch "$t0" "$file" vip vip_on "$host"
	milestone_watch "$t0" "$file" mounted mounted_on "$host"
	milestone_watch "$t0" "$file" page page_served
	# The probe's complaints are kept: when the broker milestone is missing,
	# broker_probe_report says why.
	( AMQP_QUEUE=hbd-probe amqp wait-publish --timeout 120 >/dev/null 2>"$file.broker-err" &&
		echo "$(( $(now_ms) - t0 )) broker" >>"$file" ) &
	MILESTONE_PIDS+=($!)
}
milestones_wait() {
	local p
	for p in "${MILESTONE_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	MILESTONE_PIDS=()
}
# broker_probe_report FILE HOST: why the broker milestone of FILE is missing:
# the probe's last error and the broker's own start-up logs on HOST.
broker_probe_report() {
	local f
	echo "--- the broker probe's errors"
	tail -n 5 "$1.broker-err" 2>/dev/null
	for f in startup_err startup_log rabbit@localhost.log; do
		echo "--- $2's /var/log/rabbitmq/$f (last lines)"
		hbt_run "$2" tail -n 15 "/var/log/rabbitmq/$f" 2>/dev/null
	done
}
# milestone FILE NAME: its ms, or "-" when it was not seen.
milestone() { awk -v n="$2" '$2 == n { print $1; f = 1; exit } END { if (!f) print "-" }' "$1"; }
