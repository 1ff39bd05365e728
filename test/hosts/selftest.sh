#!/bin/bash
# Self-test of the host harness: two hosts on one bridge, isolation of
# hostname / mounts / PIDs, cut and heal, loss rules, stop and teardown.
# With heartbeat installed it also checks that two real heartbeats hear
# each other.  Usage: test/hosts/selftest.sh   (root)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

fails=0
check() {  # check DESCRIPTION CMD...
	local what=$1; shift
	if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}

hbt_cluster node1 node2 || exit 1
hbt_boot node1 && hbt_boot node2 || exit 1

check "hostname is the node name" test "$(hbt_run node1 hostname)" = node1
check "eth0 has the host address with broadcast" \
	bash -c "ip -n $(hbt_ns node1) -4 addr show eth0 | grep -q 'inet $(hbt_ip node1)/24 brd '"
check "/sys/class/net shows the host's own interfaces" \
	test "$(hbt_run node1 ls /sys/class/net | tr '\n' ' ')" = "eth0 lo "
echo mark1 >"$(hbt_etc node1)/mark"
own_etc() { [ "$(hbt_run node1 cat /etc/ha.d/mark)" = mark1 ] && ! hbt_run node2 test -e /etc/ha.d/mark; }
check "/etc/ha.d is the host's own" own_etc
check "/run is private" hbt_run node1 sh -c 'touch /run/x && test -d /run/heartbeat'
check "PID namespace: init is PID 1" test "$(hbt_run node1 cat /proc/1/comm)" = bash
reach() { hbt_run "$1" ping -c1 -W2 "$2" >/dev/null 2>&1; }
check "hosts reach each other" reach node1 "$(hbt_ip node2)"
check "hosts reach the bridge (.254)" reach node1 "$HBT_SUBNET.254"
hbt_cut node2
check "cut: node1 no longer reaches node2" bash -c "! ip netns exec $(hbt_ns node1) ping -c1 -W1 $(hbt_ip node2) >/dev/null"
hbt_heal node2
check "heal: node1 reaches node2 again" reach node1 "$(hbt_ip node2)"
hbt_link node2 down
check "link down: no carrier on node2's eth0" bash -c "ip -n $(hbt_ns node2) link show eth0 | grep -q NO-CARRIER"
hbt_link node2 up
hbt_loss node1 0.5 both
nloss() { hbt_ipt node1 -S | grep -c -- '-m statistic --mode random --probability 0.5'; }
check "loss rules installed" test "$(nloss)" = 2
hbt_loss node1 0
check "loss removed" bash -c "! ip netns exec $(hbt_ns node1) iptables -S | grep -q statistic"

hb=/usr/libexec/heartbeat/heartbeat
if [ -x "$hb" ]; then
	for h in node1 node2; do
		e=$(hbt_etc "$h")
		cat >"$e/ha.cf" <<-EOF
		use_logd no
		logfile /var/log/ha-log
		memreserve 2000
		keepalive 200ms
		deadtime 2
		initdead 4
		bcast eth0
		auto_failback on
		node node1 node2
		EOF
		printf 'auth 1\n1 sha1 selftest\n' >"$e/authkeys"
		chmod 600 "$e/authkeys"
		: >"$e/haresources"
		hbt_run "$h" "$hb" 2>/dev/null
	done
	seen() { grep -q "Status update for node $2: status" "$(hbt_logdir "$1")/ha-log" 2>/dev/null; }
	check "heartbeat on node1 hears node2" hbt_wait_for 100 seen node1 node2
	check "heartbeat on node2 hears node1" hbt_wait_for 100 seen node2 node1
	check "two UUIDs" bash -c "! cmp -s $(hbt_libdir node1)/hb_uuid $(hbt_libdir node2)/hb_uuid"
fi

hbt_stop node1
check "stop kills every process of the host" test -z "$(ip netns pids "$(hbt_ns node1)")"
check "the other host keeps running" hbt_run node2 true
hbt_boot node1
check "a stopped host boots again" test "$(hbt_run node1 hostname)" = node1

ns1=$(hbt_ns node1) dir=$HBT_DIR
hbt_teardown
check "teardown removes the namespaces" bash -c "! ip netns list | grep -q '^$ns1 '"
check "teardown removes the work directory" test ! -e "$dir"
[ $fails = 0 ] && echo "selftest: all passed" || echo "selftest: $fails failed"
[ $fails = 0 ]
