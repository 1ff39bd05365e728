# Shared set-up of the interop tests: test hosts, configurations, waits.
# Sourced by the test scripts; needs root (else the tests skip with 77).
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/hosts/lib.sh"

HEARTBEAT=/usr/libexec/heartbeat/heartbeat
if [ -x "$PWD/hbd" ]; then HBD=${HBD:-$PWD/hbd}; else HBD=${HBD:-$top/hbd}; fi

CL_STATUS=$(dirname "$HBD")/cl_status  # hbd's own; /usr/bin/cl_status is heartbeat's

fails=0
failed_checks=""  # repeated after the log tails, so a CI reader that sees only the end finds them
check() {  # check DESCRIPTION CMD...
	local what=$1; shift
	if "$@"; then echo "ok   $what"; else
		echo "FAIL $what"; fails=$((fails + 1))
		failed_checks="$failed_checks
FAIL $what  (after $(( SECONDS )) s)"
	fi
}

skip_unless_possible() {
	local why
	if ! why=$(hbt_require 2>&1); then echo "SKIP: $why"; exit 77; fi
	[ -x "$HBD" ] || { echo "SKIP: no hbd binary at $HBD"; exit 77; }
}

# write_config HOST MEDIUM-LINE AUTH-METHOD [EXTRA-LINE...]
write_config() {
	local host=$1 medium=$2 method=$3 e
	shift 3
	e=$(hbt_etc "$host")
	{
		echo "use_logd no"
		echo "logfile /var/log/ha-log"
		echo "debugfile /var/log/ha-debug"
		echo "memreserve 2000"
		echo "keepalive 500ms"
		echo "deadtime 3"
		echo "warntime 2"
		echo "initdead 10"
		echo "auto_failback on"
		echo "$medium"
		for line in "$@"; do echo "$line"; done
		echo "node $NODES"
	} >"$e/ha.cf"
	case $method in
	crc) printf 'auth 2\n2 crc\n' ;;
	*) printf 'auth 2\n2 %s interop-secret\n' "$method" ;;
	esac >"$e/authkeys"
	chmod 600 "$e/authkeys"
	: >"$e/haresources"
}

# log_has HOST REGEX: the host's ha-log has a matching line.
log_has() { grep -qE -- "$2" "$(hbt_logdir "$1")/ha-log" 2>/dev/null; }

show_logs() {
	local h
	for h in "$@"; do
		echo "---- ha-log of $h"
		tail -n 40 "$(hbt_logdir "$h")/ha-log" 2>/dev/null
	done
	[ -z "$failed_checks" ] || printf '# the failed checks again:%s\n' "$failed_checks"
}

# cl_says HOST EXPECTED ARGS...: hbd's cl_status inside HOST prints EXPECTED.
cl_says() {
	local host=$1 want=$2; shift 2
	[ "$(hbt_run "$host" "$CL_STATUS" "$@" 2>/dev/null)" = "$want" ]
}
