#!/bin/bash
# The mixed cluster under 20 % packet loss in both directions (each host
# drops a random fifth of the UDP it receives), with deadtime 15 x keepalive
# (3 s, so that a loaded test machine does not stall past it)
# (wire-protocol §5.6, §5.7): nobody is declared dead, and each side asks the
# other for retransmissions and gets them:
#  - heartbeat logs lost packets from hbd's node2 and later has none missing;
#  - hbd logs lost packets from heartbeat's node1 and later has none missing;
#  - on the wire (captured in node2's namespace, where every sent packet is
#    seen before the receiving host drops it) each side sends NS_rexmit and
#    each side sends a sequenced packet a second time after it was asked for.
# The loss is random; 20 s at keepalive 200 ms is ~100 status packets each
# way, so that no loss at all is practically impossible (0.8^100).
# Usage: mixed-loss.sh [bcast|ucast|mcast] [crc|md5|sha1] (default bcast sha1)
. "$(dirname "$0")/common.sh"
skip_unless_possible
. "$here/mixed-lib.sh"
command -v tcpdump >/dev/null || { echo "SKIP: no tcpdump"; exit 77; }
command -v perl >/dev/null || { echo "SKIP: no perl"; exit 77; }
LOSS_SECONDS=${LOSS_SECONDS:-20}

capture_pid=
stop_capture() {
	[ -n "$capture_pid" ] && kill "$capture_pid" 2>/dev/null && wait "$capture_pid" 2>/dev/null
	capture_pid=
}

# start_capture FILE: tcpdump of the heartbeat port on node2's eth0.
start_capture() {
	ip netns exec "$(hbt_ns node2)" timeout 300 \
		tcpdump -i eth0 -nn -U -w "$1" udp port 694 2>"$1.err" &
	capture_pid=$!
	hbt_wait_for 50 grep -qs 'listening on' "$1.err"
}

# decode FILE: one line per captured heartbeat message:
# SRC TYPE SEQ DEST FIRSTSEQ LASTSEQ (seq in decimal, "-" when absent).
# Netstring fields are plain text: "LEN:(0)name=value,".
decode() {
	tcpdump -r "$1" -nn -tt -A 2>/dev/null | perl -e '
		local $/; my $all = <STDIN>;
		for my $p (split /^\d+\.\d+ IP /m, $all) {
			my %f;
			$f{$1} = $2 while $p =~ /\(0\)(t|src|seq|dest|firstseq|lastseq)=([^,]*),/g;
			next unless defined $f{t} && defined $f{src};
			my $seq = defined $f{seq} ? hex($f{seq}) : "-";
			print join(" ", $f{src}, $f{t}, $seq, map { $f{$_} // "-" } qw(dest firstseq lastseq)), "\n";
		}'
}

# asked FROM TO: FROM sent TO a retransmission request.
asked() { awk -v a="$2" -v b="$3" '$1 == a && $2 == "NS_rexmit" && $4 == b { n++ } END { exit !n }' "$1"; }

# served DECODED BY FOR: BY sent a sequenced packet again after FOR asked for
# its seq (every sent packet is in the capture, so a second copy is a resend).
served() {
	awk -v by="$2" -v for_="$3" '
		$1 == for_ && $2 == "NS_rexmit" && $4 == by { for (s = $5; s <= $6; s++) asked[s] = 1 }
		$1 == by && $2 !~ /^NS_/ && $3 != "-" { if (sent[$3]++ && asked[$3]) n++ }
		END { exit !n }' "$1"
}

no_death_after() { ! log_after "$1" "$2" "is dead"; }

medium=${1:-bcast} method=${2:-sha1}
echo "# mixed cluster under 20 % loss: $medium $method"
hbt_cluster node1 node2 || exit 1
trap 'set +e; stop_capture; hbt_teardown' EXIT
mixed_config "$medium" "$method" || exit 1
for h in node1 node2; do set_timers "$h" 200ms 3 1 10; done
hbt_boot node1 && hbt_boot node2 || exit 1

check "heartbeat starts on node1" start_heartbeat
check "hbd starts on node2" start_hbd
check "heartbeat sees node2 active" hbt_wait_for 300 hb_says node1 active nodestatus node2
check "hbd sees node1 active" hbt_wait_for 300 log_has node2 "Status update for node node1: status active"
past_start_window node1
past_start_window node2

pcap="$HBT_DIR/loss.pcap"
check "tcpdump captures node2's eth0" start_capture "$pcap"
mark1=$(log_mark node1) mark2=$(log_mark node2)
hbt_loss node1 0.2 in && hbt_loss node2 0.2 in || exit 1
sleep "$LOSS_SECONDS"
hbt_loss node1 0 && hbt_loss node2 0

check "heartbeat declared nobody dead under loss" no_death_after node1 "$mark1"
check "hbd declared nobody dead under loss" no_death_after node2 "$mark2"
check "heartbeat logged lost packets from node2" log_after node1 "$mark1" "lost packet\(s\) for \[node2\]"
check "hbd logged lost packets from node1" log_after node2 "$mark2" "lost packet\(s\) for \[node1\]"
check "heartbeat recovered node2's packets" \
	hbt_wait_for 100 log_after node1 "$mark1" "No pkts missing from node2!"
check "hbd recovered node1's packets" \
	hbt_wait_for 100 log_after node2 "$mark2" "No pkts missing from node1!"
check "cl_status on node1: node2 still active" hb_says node1 active nodestatus node2
[ -x "$CL_STATUS" ] && check "hbd's cl_status: node1 still active" cl_says node2 active nodestatus node1
sleep 1  # the last retransmissions reach the capture
stop_capture
decode "$pcap" >"$pcap.txt"
echo "# captured $(wc -l <"$pcap.txt") messages," \
	"$(grep -c ' NS_rexmit ' "$pcap.txt") NS_rexmit"
check "heartbeat asked hbd for retransmissions" asked "$pcap.txt" node1 node2
check "hbd resent what heartbeat asked for" served "$pcap.txt" node2 node1
check "hbd asked heartbeat for retransmissions" asked "$pcap.txt" node2 node1
check "heartbeat resent what hbd asked for" served "$pcap.txt" node1 node2
check "hbd -k stops hbd" hbt_run node2 "$HBD" -k
[ "$fails" = 0 ] && [ -z "$SHOW_LOGS" ] || show_logs node1 node2
exit $((fails > 0))
