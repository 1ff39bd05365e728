#!/bin/bash
# Two hbd hosts joined only by a serial null-modem line (a socat pty pair
# over /dev/ttyS0): both become active over it, noise and torn frames on
# the line are dropped without losing the link, and when one host loses
# power the other declares it dead.
. "$(dirname "$0")/common.sh"
skip_unless_possible
. "$here/serial-lib.sh"

hbt_cluster node1 node2 || exit 1
serial_pair || exit 1
for h in node1 node2; do write_config "$h" "serial /dev/ttyS0" sha1 "debug 1"; done
hbt_boot node1 && hbt_boot node2 || exit 1

check "hbd starts on node1" hbt_run node1 "$HBD" 2>/dev/null
check "hbd starts on node2" hbt_run node2 "$HBD" 2>/dev/null
check "node1 opened the line" hbt_wait_for 50 log_has node1 "Starting serial heartbeat on tty /dev/ttyS0 \(19200 baud\)"
check "node1 sees node2 active" hbt_wait_for 300 log_has node1 "Status update for node node2: status active"
check "node2 sees node1 active" hbt_wait_for 300 log_has node2 "Status update for node node1: status active"
check "node1 logs the serial link up" log_has node1 "Link node2:/dev/ttyS0 up."
check "uucp lock of node1 holds hbd's pid" \
	hbt_run node1 sh -c '[ "$(cat /run/lock/LCK..ttyS0)" = "$(printf "%10d" "$(cat /run/heartbeat.pid)")" ]'
if [ -x "$CL_STATUS" ]; then
	lists_tty() { hbt_run node1 "$CL_STATUS" listhblinks node2 2>/dev/null | grep -q '^[[:space:]]*/dev/ttyS0$'; }
	check "cl_status listhblinks node2 shows /dev/ttyS0" hbt_wait_for 50 lists_tty
	check "cl_status hblinkstatus node2 /dev/ttyS0 up" link_says node1 node2 /dev/ttyS0 up
fi

# Noise, a torn frame and a frame with a bad digest, written into node1's
# end: socat carries them to node2 mixed with node1's own frames.
end=$(serial_end node1)
printf 'line noise \001\002\377\r\n' >"$end"
printf '>>>\nt=status\nsrc=node1\n' >"$end"
printf '>>>\nt=status\nst=active\nsrc=node1\nseq=1\nauth=2 0000\n<<<\n' >"$end"
head -c 3000 /dev/urandom | tr -d '\n' >"$end"
printf '\n' >"$end"
check "node2 counted the noise" hbt_wait_for 100 grep -q "serial /dev/ttyS0: dropped [0-9]* bytes outside frames" \
	"$(hbt_logdir node2)/ha-debug"
check "node2 dropped the bad frame" hbt_wait_for 100 grep -qE "dropped a [0-9]+-byte packet on /dev/ttyS0" \
	"$(hbt_logdir node2)/ha-debug"
sleep 4  # longer than deadtime: the link must stay up through the noise
check "no death after the noise" bash -c "! grep -q 'is dead' '$(hbt_logdir node2)/ha-log'"
check "the serial link stayed up" bash -c "! grep -q 'Link node1:/dev/ttyS0 dead' '$(hbt_logdir node2)/ha-log'"

hbt_stop node2
check "power loss: node1 declares node2 dead" hbt_wait_for 200 log_has node1 "WARN: node node2: is dead"
check "node1 logs the serial link dead" hbt_wait_for 50 log_has node1 "Link node2:/dev/ttyS0 dead."

[ "$fails" = 0 ] || show_logs node1 node2
exit $((fails > 0))
