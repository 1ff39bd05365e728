#!/bin/bash
# Services failover benchmark: the whole story's group (test/interop/
# story-lib.sh: VIP, ext4 on a shared loop disk, Apache, RabbitMQ, all through
# hbd's resource.d scripts) on a heartbeat 3.0.6 pair and on an hbd pair, in
# one run, at keepalive 1 s / deadtime 3 s and 100 ms / 500 ms. For each owner
# crash (power loss of node1) the client measures the time to
#   - the page served through the VIP, and
#   - the first publish the broker confirms through the VIP,
# and watchers outside the hosts (each polling every 50 ms) split it: detection (node2's
# cl_status says node1 is dead), VIP added on node2 (the daemon's own work
# plus IPaddr with its ARP probe), disk mounted (fsck + mount), page served
# (Apache's start), publish confirmed (RabbitMQ's start).
# BENCH_SERVICES_REPS runs each (default 10). Markdown on stdout.
# Usage: services.sh SRCDIR BUILDDIR
set -u
src=$1 build=$2
reps=${BENCH_SERVICES_REPS:-10}
here=$src/test/interop top=$src
# A copy of the build, so that rebuilding during the run changes nothing.
bin=$(mktemp -d /tmp/hbd-bench-services.XXXXXX)
for f in hbd cl_status hb_standby hb_takeover; do cp "$build/$f" "$bin/"; done
HBD=$bin/hbd CL_STATUS=$bin/cl_status HEARTBEAT=/usr/libexec/heartbeat/heartbeat
. "$src/test/hosts/lib.sh"
NODE1_KIND=hbd NODE2_KIND=hbd
. "$here/rsc-lib.sh"
. "$here/story-lib.sh"
say() { echo "bench-services: $*" >&2; }
show_logs() { :; }

if ! why=$(story_possible); then
	echo "## Services failover"; echo; echo "Not run: $why."; rm -rf "$bin"; exit 0
fi
hbt_cluster node1 node2 client >/dev/null || exit 1
rsd_on_exit 'story_cleanup; rm -rf "$bin"'
VIP="$HBT_SUBNET.200"
rsd_disk_make 200 || exit 1
hbt_boot client || exit 1

settled() {
	local a b
	a=$(rscstatus node1) && b=$(rscstatus node2) && [ -n "$a" ] && [ -n "$b" ] &&
		[ "$a" != transition ] && [ "$b" != transition ]
}

# form KIND KEEPALIVE DEADTIME WARNTIME INITDEAD: a fresh cluster of KIND
# with node1 serving the group.
form() {
	NODE1_KIND=$1 NODE2_KIND=$1
	STORY_KEEPALIVE=$2 STORY_DEADTIME=$3 STORY_WARNTIME=$4 STORY_INITDEAD=$5
	local h
	for h in node1 node2; do
		rsc_power_off "$h" >/dev/null 2>&1; hbt_link "$h" up
		hbt_reset_state "$h"; : >"$(hbt_dir "$h")/binds"
		story_write_config "$h"; rsc_fake_reboot "$h"; rsd_private_srv "$h"
	done
	mkfs.ext4 -q -F -L hbd-shared "$RSD_LOOP" >/dev/null || return 1
	for h in node1 node2; do hbt_boot "$h" || return 1; done
	hbt_run node1 sh -c "mkdir -p /srv/ha && mount $RSD_LOOP /srv/ha &&
		mkdir -p /srv/ha/www && echo '$STORY_PAGE' >/srv/ha/www/index.html && umount /srv/ha" || return 1
	rsc_start node1 && rsc_start node2 || return 1
	hbt_wait_for 1800 group_served_by node1 || { say "$1: node1 did not start the group"; return 1; }
}

# one_crash: prints "page publish dead vip mounted" in ms after the crash
# ("-" when not seen within 120 s), then brings node1 back.
one_crash() {
	hbt_wait_for 600 settled || say "not settled before the crash"
	sleep 1
	local t0 m="$HBT_DIR/milestones"
	t0=$(now_ms)
	rsc_power_off node1 >/dev/null 2>&1
	milestones_start "$t0" node2 "$m"
	milestones_wait
	echo "$(milestone "$m" page) $(milestone "$m" broker) $(milestone "$m" dead) $(milestone "$m" vip) $(milestone "$m" mounted)"
	{ rsc_power_on node1 && rsc_start node1; } >/dev/null 2>&1
	hbt_wait_for 1800 group_served_by node1 || say "no failback to node1"
}

stats() {  # values (ms)... -> "median s (p95 s)"
	printf '%s\n' "$@" | grep -E '^[0-9]+$' | sort -n | awk '
	{ v[NR] = $1 }
	END {
		if (NR == 0) { print "no result"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		p = int(0.95 * NR + 0.999); if (p > NR) p = NR
		printf "%.2f s (p95 %.2f), n=%d", m / 1000, v[p] / 1000, NR
	}'
}
median() {  # values (ms)... -> median in s
	printf '%s\n' "$@" | grep -E '^-?[0-9]+$' | sort -n | awk '{ v[NR] = $1 }
		END { if (NR == 0) { print "-"; exit }
		      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      printf "%.2f", m / 1000 }'
}

declare -A row_page row_pub row_split
for timing in "1 3 2 10" "100ms 500ms 300ms 5"; do
	set -- $timing
	for kind in ${BENCH_KINDS:-hb hbd}; do
		name=hbd; [ "$kind" = hb ] && name="heartbeat 3.0.6"
		say "$name keepalive $1 deadtime $2: forming the cluster"
		form "$kind" "$@" || { say "$name: no cluster"; continue; }
		pages=() pubs=() deads=() ips=() mnts=() webs=() brokers=()
		for r in $(seq "$reps"); do
			read -r page pub dead vip mnt <<<"$(one_crash)"
			say "$name $1/$2 run $r: page $page publish $pub (dead $dead, vip $vip, mounted $mnt) ms"
			pages+=("$page") pubs+=("$pub") deads+=("$dead")
			[ "$dead" != - ] && [ "$vip" != - ] && ips+=($((vip - dead)))
			[ "$vip" != - ] && [ "$mnt" != - ] && mnts+=($((mnt - vip)))
			[ "$mnt" != - ] && [ "$page" != - ] && webs+=($((page - mnt)))
			[ "$page" != - ] && [ "$pub" != - ] && brokers+=($((pub - page)))
		done
		key="$kind $1"
		row_page[$key]=$(stats "${pages[@]}")
		row_pub[$key]=$(stats "${pubs[@]}")
		row_split[$key]="$(median "${deads[@]}") / $(median "${ips[@]}") / $(median "${mnts[@]}") / $(median "${webs[@]}") / $(median "${brokers[@]}")"
		say "$name $1/$2: page ${row_page[$key]}, publish ${row_pub[$key]}, split ${row_split[$key]}"
	done
done

cat <<MD
## Services failover: the page and the broker back after an owner crash

Group \`node1 $VIP/24 Filesystem::/dev/loopN::/srv/ha::ext4 httpd::/etc/ha.d/httpd.conf mq\`
through hbd's own resource.d scripts on both implementations (ext4 on a loop
device both hosts see; Apache 2 with its document root on the disk; RabbitMQ
with its data on the disk, node name rabbit@localhost), \`auto_failback on\`,
bcast, sha1, a client host. Owner crash = power loss of node1's host. Time
from the crash to the page served through the VIP and to the first publish
RabbitMQ confirms through the VIP (a python3-pika client retrying); $reps
runs each, median (p95).

| keepalive / deadtime | page: heartbeat 3.0.6 | page: hbd | confirmed publish: heartbeat 3.0.6 | confirmed publish: hbd |
|---|---|---|---|---|
| 1 s / 3 s | ${row_page[hb 1]:-not run} | ${row_page[hbd 1]:-not run} | ${row_pub[hb 1]:-not run} | ${row_pub[hbd 1]:-not run} |
| 100 ms / 500 ms | ${row_page[hb 100ms]:-not run} | ${row_page[hbd 100ms]:-not run} | ${row_pub[hb 100ms]:-not run} | ${row_pub[hbd 100ms]:-not run} |

Where the seconds go (medians, s): detection (crash → node2's \`cl_status\`
says dead) / the daemon's takeover + IPaddr (dead → VIP on node2, including
IPaddr's 200 ms duplicate-address probe) / fsck + mount / Apache start (mounted
→ page served) / RabbitMQ start (page → confirmed publish). Each milestone is
polled from outside every 50 ms by a watcher of its own, so each step is
±50 ms (the page check ±300 ms while nothing answers).

| keepalive / deadtime | heartbeat 3.0.6 | hbd |
|---|---|---|
| 1 s / 3 s | ${row_split[hb 1]:-not run} | ${row_split[hbd 1]:-not run} |
| 100 ms / 500 ms | ${row_split[hb 100ms]:-not run} | ${row_split[hbd 100ms]:-not run} |

Notes:
- Both implementations run the same scripts with the same settings; the
  differences are the daemon's. Detection is counted from the crash, which
  falls anywhere in the keepalive interval: a dead declaration exactly
  deadtime after the last packet lands between deadtime − keepalive and
  deadtime after the crash.
- "dead → VIP" is the daemon's own work plus IPaddr's: about 200 ms of it is
  IPaddr's ARP probe for the address (HBD_DAD_MS=0 turns it off), the rest
  the status call before the start, the script and the daemon's reaction.
- RabbitMQ's own start (an Erlang VM, recovery of its queues after an
  unclean stop) is most of the time to the first confirmed publish, and its
  spread is the spread of that column.
MD
