#!/bin/bash
# hbd's IPaddr, IPaddr2 and SendArp run by hand in test hosts: arguments,
# interface and netmask from the routing table, alias labels, duplicate
# address detection, gratuitous ARP seen by a client, idempotent ops.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/test/hosts/lib.sh"
. "$top/test/scripts/lib.sh"
hbt_require || exit 77

hbt_cluster node1 node2 client || exit 1
for h in node1 node2; do rsd_install "$h"; done
for h in node1 node2 client; do hbt_boot "$h" || exit 1; done
VIP=$HBT_SUBNET.100 VIP2=$HBT_SUBNET.101
mac_of() { hbt_run "$1" cat /sys/class/net/eth0/address; }
client_mac_for() { hbt_run client ip neigh show "$1" | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'; }

echo "== arguments"
rsd_expect "no arguments: usage" 2 rsd_script node1 IPaddr
rsd_output_has "usage names the form" "usage: .*IPaddr ip\[/netmask"
rsd_expect "unknown operation: usage" 2 rsd_script node1 IPaddr "$VIP" restart
rsd_expect "not an address" 2 rsd_script node1 IPaddr 198.18.1 start
rsd_output_has "says which" "Invalid IP address \[198.18.1\]"
rsd_expect "bad netmask" 2 rsd_script node1 IPaddr "$VIP/33" start
rsd_expect "interface that does not exist" 6 rsd_script node1 IPaddr "$VIP/24/eth9" start
rsd_output_has "names it" "Interface eth9 .* does not exist"
rsd_expect "no route to the address" 6 rsd_script node1 IPaddr 198.19.250.1 start
rsd_output_has "says so" "No route to 198.19.250.1"

echo "== IPaddr"
rsd_expect "status before start" 3 rsd_script node1 IPaddr "$VIP" status
rsd_output_has "stopped text" "Resource is stopped"
if printf '%s\n' "$RSD_OUT" | grep -v "not .*running" | grep -q "running\|OK"; then
	rsd_fail "stopped status must not say running or OK"; fi
rsd_expect "start, nic and netmask from the route" 0 rsd_script node1 IPaddr "$VIP" start
rsd_output_has "calculated nic logged" "Using calculated nic for $VIP: eth0"
rsd_output_has "calculated netmask logged" "Using calculated netmask for $VIP: 255.255.255.0"
if hbt_run node1 ip -o -f inet addr show label eth0:0 | grep -q "inet $VIP/24 brd $HBT_SUBNET.255"; then
	rsd_ok "on alias eth0:0 with /24 and the subnet's broadcast"
else rsd_fail "not on eth0:0: $(hbt_run node1 ip -o -f inet addr show)"; fi
rsd_expect "start again" 0 rsd_script node1 IPaddr "$VIP" start
[ "$(hbt_run node1 ip -o -f inet addr show | grep -c "inet $VIP/")" = 1 ] &&
	rsd_ok "still one address" || rsd_fail "address added twice"
rsd_expect "status" 0 rsd_script node1 IPaddr "$VIP" status
rsd_output_has "running text" "Running OK"
rsd_expect "second address takes the next alias" 0 rsd_script node1 IPaddr "$VIP2/24/eth0" start
hbt_run node1 ip -o -f inet addr show label eth0:1 | grep -q "inet $VIP2/24" &&
	rsd_ok "eth0:1" || rsd_fail "second address not on eth0:1"
rsd_expect "stop it" 0 rsd_script node1 IPaddr "$VIP2/24/eth0" stop

hbt_run client ping -c 1 -W 1 "$VIP" >/dev/null 2>&1
[ "$(client_mac_for "$VIP")" = "$(mac_of node1)" ] &&
	rsd_ok "client reaches $VIP at node1's MAC" || rsd_fail "client's ARP entry: $(client_mac_for "$VIP")"

echo "== duplicate address detection"
rsd_expect "node2 refuses an address node1 answers for" 1 rsd_script node2 IPaddr "$VIP" start
rsd_output_has "says who answers" "already in use on the network \(answered by $(mac_of node1)\)"
hbt_run node2 ip -o addr show | grep -q "inet $VIP/" && rsd_fail "node2 took it anyway" ||
	rsd_ok "node2 did not add it"

echo "== moving: stop on node1, start on node2, the client follows the gratuitous ARPs"
rsd_expect "stop" 0 rsd_script node1 IPaddr "$VIP" stop
hbt_run node1 ip -o addr show | grep -q "inet $VIP/" && rsd_fail "still on node1" || rsd_ok "gone from node1"
rsd_expect "stop again" 0 rsd_script node1 IPaddr "$VIP" stop
cap="$(hbt_dir client)/arp.txt"
hbt_run client timeout 8 tcpdump -i eth0 -n -l -e arp 2>/dev/null >"$cap" &
tcpd=$!
sleep 1
rsd_expect "start on node2" 0 rsd_script node2 IPaddr "$VIP" start
# Awaited as a condition (a bash -c child would not know client_mac_for).
client_has_node2() { [ "$(client_mac_for "$VIP")" = "$(mac_of node2)" ]; }
hbt_wait_for 30 client_has_node2
[ "$(client_mac_for "$VIP")" = "$(mac_of node2)" ] &&
	rsd_ok "client's ARP entry moved to node2 without asking" ||
	rsd_fail "client still has $(client_mac_for "$VIP") for $VIP (node2 is $(mac_of node2))"
wait "$tcpd"
n=$(grep -c "$(mac_of node2) > ff:ff:ff:ff:ff:ff.*\(Request who-has $VIP tell $VIP\|Reply $VIP is-at\)" "$cap")
[ "$n" = 20 ] && rsd_ok "20 gratuitous ARP frames (10 request+reply pairs)" ||
	{ rsd_fail "$n gratuitous ARP frames, wanted 20:"; sed 's/^/     /' "$cap"; }
rsd_expect "stop on node2" 0 rsd_script node2 IPaddr "$VIP" stop

echo "== IPaddr2"
rsd_expect "status before start" 3 rsd_script node1 IPaddr2 "$VIP/24/eth0:web" status
rsd_expect "start with a label" 0 rsd_script node1 IPaddr2 "$VIP/24/eth0:web" start
rsd_output_has "logged like heartbeat" "Adding inet address $VIP/24 with broadcast address $HBT_SUBNET.255 to device eth0"
hbt_run node1 ip -o -f inet addr show label eth0:web | grep -q "inet $VIP/24" &&
	rsd_ok "label eth0:web" || rsd_fail "no label eth0:web"
rsd_expect "start again" 0 rsd_script node1 IPaddr2 "$VIP/24/eth0:web" start
rsd_expect "status" 0 rsd_script node1 IPaddr2 "$VIP/24/eth0:web" status
rsd_expect "stop" 0 rsd_script node1 IPaddr2 "$VIP/24/eth0:web" stop
rsd_expect "stop again" 0 rsd_script node1 IPaddr2 "$VIP/24/eth0:web" stop
rsd_expect "status after stop" 3 rsd_script node1 IPaddr2 "$VIP/24/eth0:web" status
rsd_expect "label too long" 2 rsd_script node1 IPaddr2 "$VIP/24/eth0:abcdefghijklm" start

echo "== SendArp"
rsd_expect "usage" 2 rsd_script node1 SendArp "$VIP" start
rsd_expect "start" 0 rsd_script node1 SendArp "$(hbt_ip node1)/eth0" start
rsd_expect "status" 0 rsd_script node1 SendArp "$(hbt_ip node1)/eth0" status
rsd_expect "stop" 0 rsd_script node1 SendArp "$(hbt_ip node1)/eth0" stop
rsd_expect "status after stop" 3 rsd_script node1 SendArp "$(hbt_ip node1)/eth0" status

echo "== log lines in heartbeat's layout when the daemon's environment says where"
hbt_run node1 env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HA_LOGFILE=/var/log/ha-log \
	/etc/ha.d/resource.d/IPaddr "$VIP" status >/dev/null 2>&1
grep -Eq "^[0-9]{4}/[0-9]{2}/[0-9]{2}_[0-9:]{8}  IPaddr\(IPaddr_$VIP\)\[[0-9]+\]:    INFO:  Resource is stopped$" \
	"$(hbt_logdir node1)/ha-log" && rsd_ok "ha-log line" ||
	{ rsd_fail "no such line in ha-log:"; sed 's/^/     /' "$(hbt_logdir node1)/ha-log"; }

rsd_summary "IPaddr, IPaddr2, SendArp"
