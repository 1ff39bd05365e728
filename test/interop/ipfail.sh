#!/bin/bash
# Ping nodes and ipfail in test hosts: a router host is the ping node; ICMP
# between a node and the router is dropped with iptables in the node.
#   ipfail.sh KIND1 KIND2 MODE    KIND = hbd | hb (heartbeat 3.0.6 with its
#                                 real ipfail), MODE = auto_failback on|off
# Two groups: A (home node1, a VIP) and B (home node2, a VIP).
#  1. node1 loses the ping node  -> A moves to node2 (ipfail's give-up)
#  2. the router answers again   -> on: A comes back; off: A stays
#  3. both nodes lose it         -> nothing moves
#  4. node2 loses it             -> B moves to node1
#  5. a ping_group (router + the bridge) with one member still answering
#     -> nothing moves (run with PING_GROUP=yes: the config uses ping_group)
# Skips (77) without root or (for hb) without heartbeat 3.0.6.
set -u
NODE1_KIND=${1:-hbd} NODE2_KIND=${2:-hbd} MODE=${3:-on}
. "$(dirname "$0")/common.sh"
. "$here/rsc-lib.sh"
. "$top/test/scripts/lib.sh"

rsc_skip_unless_possible_kinds() {
	local why k
	if ! why=$(hbt_require 2>&1); then echo "SKIP: $why"; exit 77; fi
	for k in "$NODE1_KIND" "$NODE2_KIND"; do
		case $k in
		hb) [ -x "$HEARTBEAT" ] && [ -x /usr/libexec/heartbeat/ipfail ] ||
			{ echo "SKIP: heartbeat 3.0.6 with ipfail not installed"; exit 77; } ;;
		hbd) [ -x "$HBD" ] || { echo "SKIP: no hbd at $HBD"; exit 77; } ;;
		esac
	done
}
rsc_skip_unless_possible_kinds
trap 'set +e; hbt_teardown' EXIT

hbt_cluster node1 node2 client router || exit 1
VIP_A=$HBT_SUBNET.200 VIP_B=$HBT_SUBNET.201
ROUTER=$(hbt_ip router)
BRIDGE=$HBT_SUBNET.254
for h in node1 node2; do
	e=$(hbt_etc "$h")
	{
		echo "use_logd no"
		echo "logfile /var/log/ha-log"
		echo "debugfile /var/log/ha-debug"
		echo "keepalive 500ms"
		echo "deadtime 3"
		echo "warntime 2"
		echo "initdead 6"
		echo "deadping 2"
		echo "auto_failback $MODE"
		echo "bcast eth0"
		if [ "${PING_GROUP:-no}" = yes ]; then echo "ping_group uplink $ROUTER $BRIDGE"
		else echo "ping $ROUTER"; fi
		echo "respawn hacluster /usr/libexec/heartbeat/ipfail"
		echo "apiauth ipfail gid=haclient uid=hacluster"
		echo "node node1 node2"
	} >"$e/ha.cf"
	printf 'auth 1\n1 sha1 ipfail-secret\n' >"$e/authkeys"; chmod 600 "$e/authkeys"
	printf 'node1 %s/24/eth0\nnode2 %s/24/eth0\n' "$VIP_A" "$VIP_B" >"$e/haresources"
	rsd_install "$h"
	rsc_fake_reboot "$h"
done
for h in node1 node2 client router; do hbt_boot "$h" || exit 1; done
PINGNODE=$ROUTER; [ "${PING_GROUP:-no}" = yes ] && PINGNODE=uplink
echo "== ipfail: node1 $NODE1_KIND, node2 $NODE2_KIND, auto_failback $MODE, ping node $PINGNODE"

vip_on() { ip -n "$(hbt_ns "$1")" -o -4 addr show dev eth0 | grep -q " $2/"; }
owner_of() {  # VIP -> node1 / node2 / both / none
	local a=0 b=0
	vip_on node1 "$1" && a=1; vip_on node2 "$1" && b=1
	case $a$b in 10) echo node1 ;; 01) echo node2 ;; 11) echo both ;; *) echo none ;; esac
}
owners_are() { [ "$(owner_of "$VIP_A")" = "$1" ] && [ "$(owner_of "$VIP_B")" = "$2" ]; }
sees_ping() { hbt_run "$1" "$(cl_status_of "$1")" nodestatus "$PINGNODE" 2>/dev/null | grep -qx ping; }
sees_dead() { hbt_run "$1" "$(cl_status_of "$1")" nodestatus "$PINGNODE" 2>/dev/null | grep -qx dead; }
settled() { [ "$(rscstatus node1)" != transition ] && [ "$(rscstatus node2)" != transition ]; }
# The router's answers are lost on their way in (a drop on OUTPUT would make
# the sender's sendto fail with EPERM, which heartbeat logs as an ERROR).
cut_icmp() { hbt_ipt "$1" -I INPUT -p icmp -s "$ROUTER" -j DROP; }
heal_icmp() { hbt_ipt "$1" -D INPUT -p icmp -s "$ROUTER" -j DROP; }
# stays_for TENTHS A B: the owners stay A, B for that long.
stays_for() {
	local i=0
	while [ $i -lt "$1" ]; do
		owners_are "$2" "$3" || { echo "     after $i tenths: A on $(owner_of "$VIP_A"), B on $(owner_of "$VIP_B")"; return 1; }
		sleep 0.1; i=$((i + 1))
	done
}

rsc_start node1 && rsc_start node2 || { echo "FAIL: daemons did not start"; exit 1; }
hbt_wait_for 600 owners_are node1 node2 || { show_logs node1 node2; echo "FAIL: groups did not start"; exit 1; }
both_see_ping() { sees_ping node1 && sees_ping node2; }
check "both nodes see the ping node ($PINGNODE) as ping" hbt_wait_for 100 both_see_ping
check "cl_status nodetype says ping" [ "$(hbt_run node1 "$(cl_status_of node1)" nodetype "$PINGNODE" 2>/dev/null)" = ping ]
for h in node1 node2; do
	is_hb "$h" && continue
	cls() { hbt_run "$h" "$CL_STATUS" "$@" 2>/dev/null; }
	check "$h: listnodes -p lists only the ping node" [ "$(cls listnodes -p)" = "$PINGNODE" ]
	check "$h: listhblinks of the ping node is its own link" [ "$(cls listhblinks "$PINGNODE" | tr -d '\t ')" = "$PINGNODE" ]
	check "$h: hblinkstatus says up" [ "$(cls hblinkstatus "$PINGNODE" "$PINGNODE")" = up ]
	hbctl_shows_reply() { hbt_run "$1" "$(dirname "$HBD")/hbctl" status 2>/dev/null | grep -Eq "^$PINGNODE +ping +ping +[0-9]+ ms ago"; }
	check "$h: hbctl status shows the ping node's last reply" hbctl_shows_reply "$h"
done
hbt_wait_for 300 settled
sleep 2

if [ "${PING_GROUP:-no}" = yes ]; then
	# --- 5. a group member still answers: nothing moves ---------------------
	M1=$(log_mark node1)
	cut_icmp node1
	check "one member of the group lost: the group stays ping, nothing moves for 8 s" \
		stays_for 80 node1 node2
	check "node1 still sees the group as ping" sees_ping node1
	hbt_ipt node1 -I INPUT -p icmp -s "$BRIDGE" -j DROP
	check "both members lost: node1 sees the group dead" hbt_wait_for 100 sees_dead node1
	check "and group A moves to node2" hbt_wait_for 300 owners_are node2 node2
	hbt_ipt node1 -D INPUT -p icmp -s "$BRIDGE" -j DROP
	heal_icmp node1
else
	# --- 1. node1 loses the ping node ------------------------------------------
	M1=$(log_mark node1) M2=$(log_mark node2)
	t0=$(now_ms)
	cut_icmp node1
	check "node1 declares the ping node dead" hbt_wait_for 100 sees_dead node1
	check "group A moves to node2 (node1 gives up)" hbt_wait_for 300 owners_are node2 node2
	echo "     A on node2 $(( $(now_ms) - t0 )) ms after node1 lost the ping node (deadping 2 s, keepalive 500 ms)"
	check "node1 logs ipfail's give-up" \
		hbt_wait_for 50 log_since node1 "$M1" "Giving up because we were told that we have less ping nodes"
	check "node2 told node1 it sees more" log_since node2 "$M2" "Telling other node that we have more visible ping nodes"

	# --- 2. the router answers again --------------------------------------------
	hbt_wait_for 300 settled
	heal_icmp node1
	if [ "$MODE" = on ]; then
		check "auto_failback on: group A comes back to node1" hbt_wait_for 400 owners_are node1 node2
	else
		check "auto_failback off: group A stays on node2" stays_for 100 node2 node2
	fi
	hbt_wait_for 300 settled
	sleep 2
	A=$(owner_of "$VIP_A")

	# --- 3. both lose it: nothing moves (hbd with hbd) ----------------------------
	# heartbeat's ipfail hears of its own ping node's death up to ~2 s after
	# heartbeat logs it, longer than the 2 x keepalive give-up delay of the
	# other side: with a heartbeat node both losing the uplink is a race
	# (heartbeat with heartbeat has it too), so the mixed runs skip it.
	if ! is_hb node1 && ! is_hb node2; then
		cut_icmp node1; cut_icmp node2
		hbt_wait_for 100 sees_dead node1; hbt_wait_for 100 sees_dead node2
		check "both see it dead and nothing moves for 8 s" stays_for 80 "$A" node2
		heal_icmp node1; heal_icmp node2
		hbt_wait_for 100 sees_ping node1; hbt_wait_for 100 sees_ping node2
		check "nothing moves when it comes back for both (5 s)" stays_for 50 "$A" node2
		hbt_wait_for 300 settled
		sleep 2
	fi

	# --- 4. node2 loses it: B moves to node1 --------------------------------------
	M2=$(log_mark node2)
	cut_icmp node2
	check "node2 gives up everything it holds: both groups on node1" hbt_wait_for 300 owners_are node1 node1
	check "node2 logs ipfail's give-up" \
		log_since node2 "$M2" "Giving up because we were told that we have less ping nodes"
	heal_icmp node2
fi

for h in node1 node2; do
	errors=$(grep -E "ERROR|CRIT" "$(ha_log_of "$h")" |
		grep -v "No STONITH\|Late heartbeat\|Cannot lock ourselves into memory")
	if [ -n "$errors" ]; then
		echo "     $h's errors:"; printf '%s\n' "$errors" | head -5 | sed 's/^/       /'
		check "no ERROR/CRIT lines in $h's log" false
	fi
done
if [ "$fails" != 0 ]; then show_logs node1 node2; echo "FAIL: ipfail $NODE1_KIND $NODE2_KIND $MODE"; exit 1; fi
echo "PASS: ipfail $NODE1_KIND $NODE2_KIND $MODE${PING_GROUP:+ ping_group=$PING_GROUP}"
