# Helpers of the serial interop tests (serial*.sh): a socat pty pair whose
# ends are bind-mounted over /dev/ttyS0 in two hosts (running-real-heartbeat.md).
# Sourced after common.sh.
command -v socat >/dev/null || { echo "SKIP: socat not installed"; exit 77; }
NODES="node1 node2"
SERIAL_SOCAT=

serial_teardown() {
	[ -n "$SERIAL_SOCAT" ] && kill "$SERIAL_SOCAT" 2>/dev/null && wait "$SERIAL_SOCAT" 2>/dev/null
	SERIAL_SOCAT=
	hbt_teardown
}

# serial_pair: the null-modem cable between node1 and node2 (before booting).
# The ends stay reachable from outside as $(serial_end HOST).
serial_end() { printf '%s\n' "$HBT_DIR/tty-$1"; }
serial_pair() {
	socat pty,raw,echo=0,link="$(serial_end node1)" pty,raw,echo=0,link="$(serial_end node2)" \
		2>"$HBT_DIR/socat.log" &
	SERIAL_SOCAT=$!
	trap serial_teardown EXIT
	hbt_wait_for 50 test -e "$(serial_end node2)" || return 1
	local h
	for h in node1 node2; do echo "$(serial_end "$h") /dev/ttyS0" >>"$(hbt_dir "$h")/binds"; done
}

# hb_says HOST EXPECTED ARGS...: heartbeat's own cl_status inside HOST prints EXPECTED.
hb_says() {
	local host=$1 want=$2; shift 2
	[ "$(hbt_run "$host" /usr/bin/cl_status "$@" 2>/dev/null)" = "$want" ]
}

# link_says HOST PEER MEDIUM STATE: hbd's cl_status hblinkstatus.
link_says() { cl_says "$1" "$4" hblinkstatus "$2" "$3"; }
