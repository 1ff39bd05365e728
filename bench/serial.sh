#!/bin/bash
# Serial link capacity (make bench section). Usage: bench/serial.sh [SRCDIR] [HBD]
# A socat pty pair ignores the baud rate, so this prints the rate hbd's
# pacing allows (512 bytes per 512/(baud/8) s) and measures what actually
# goes through: hbd in a test host with keepalive 20ms (more status
# messages than either line can carry) writes into its /dev/ttyS0 and the
# other end of the pair is read from outside for a few seconds.
src=${1:-$(cd "$(dirname "$0")/.." && pwd)}
HBD=${2:-$src/hbd}
SECONDS_MEASURED=${SECONDS_MEASURED:-5}
set -- # common.sh reads $0 only

. "$src/test/hosts/lib.sh"
. "$src/test/interop/common.sh" 2>/dev/null
if ! hbt_require >/dev/null 2>&1 || [ ! -x "$HBD" ]; then
	echo "## Serial link"; echo; echo "Skipped: needs root, test hosts and $HBD."; exit 0
fi
. "$src/test/interop/serial-lib.sh"

# Bytes of a status message on the line: the real ones from heartbeat's capture
# kept in the tree (socat's hex dump; a frame runs from ">>>" to "<<<").
status_bytes=$(awk '/^ [0-9a-f][0-9a-f] /{
		hex = substr($0, 1, 49); n = gsub(/[0-9a-f][0-9a-f]/, "&", hex)
		txt = $0; sub(/^ ([0-9a-f][0-9a-f] )+ */, "", txt)
		if (txt ~ /^>>>/) { in_frame = 1; bytes = 0; is_status = 0 }
		if (in_frame) bytes += n
		if (txt ~ /^t=status/) is_status = 1
		if (txt ~ /^<<</) { if (is_status) { total += bytes; frames++ }; in_frame = 0 }
	} END { if (frames) printf "%d", total / frames }' "$src/test/vectors/serial-sha1.txt" 2>/dev/null)
[ -n "$status_bytes" ] && [ "$status_bytes" -gt 0 ] || status_bytes=330

measure() {  # measure BAUD: frames/s and bytes/s read at the far end
	local baud=$1 out
	hbt_init >/dev/null && hbt_cluster node1 node2 >/dev/null && serial_pair || return 1
	write_config node1 "$(printf 'baud %s\nserial /dev/ttyS0' "$baud")" sha1
	sed -i -e 's/^keepalive .*/keepalive 20ms/' -e 's/^deadtime .*/deadtime 1/' \
		-e 's/^warntime .*/warntime 500ms/' "$(hbt_etc node1)/ha.cf"
	hbt_boot node1 && hbt_run node1 "$HBD" 2>/dev/null || return 1
	out=$HBT_DIR/far.bin
	# Drain what queued in the pty before anyone read, then measure.
	timeout 1 cat "$(serial_end node2)" >/dev/null
	timeout "$SECONDS_MEASURED" cat "$(serial_end node2)" >"$out"
	echo "$(grep -c '^>>>' "$out") $(wc -c <"$out")"
	serial_teardown >/dev/null 2>&1
	trap - EXIT
}

echo "## Serial link"
echo
echo "hbd over a socat pty pair (a pty ignores the baud rate; hbd paces writes itself),"
echo "keepalive 20ms so that more is offered than the line may carry; ${SECONDS_MEASURED} s read"
echo "at the far end. A status message is $status_bytes bytes (mean of heartbeat's serial-sha1"
echo "capture); on a real 8N1 line a byte takes 10 bits."
echo
echo "| baud | paced limit (B/s) | status msgs/s allowed | measured msgs/s | measured B/s | 1 s keepalive share of the line |"
echo "|---|---|---|---|---|---|"
for baud in 19200 115200; do
	read -r frames bytes < <(measure "$baud") || { frames=0; bytes=0; }
	awk -v b="$baud" -v s="$status_bytes" -v f="$frames" -v y="$bytes" -v t="$SECONDS_MEASURED" 'BEGIN{
		printf "| %d | %d | %.1f | %.1f | %.0f | %.2f %% |\n", b, b/8, (b/8)/s, f/t, y/t, 100*s*10/b }'
done
