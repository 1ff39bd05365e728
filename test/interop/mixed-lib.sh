# Helpers of the mixed-cluster tests (mixed*.sh): node1 runs the real
# heartbeat 3.0.6, node2 runs hbd.  Sourced after common.sh.
[ -x "$HEARTBEAT" ] || { echo "SKIP: heartbeat 3.0.6 not installed"; exit 77; }
NODES="node1 node2"
HB_CL_STATUS=/usr/bin/cl_status  # heartbeat's own

# mixed_config MEDIUM METHOD: ha.cf, authkeys and haresources of both hosts.
mixed_config() {
	local medium=$1 method=$2 line1 line2
	case $medium in
	bcast) line1="bcast eth0"; line2="bcast eth0" ;;
	ucast) line1="ucast eth0 $(hbt_ip node2)"; line2="ucast eth0 $(hbt_ip node1)" ;;
	mcast) line1="mcast eth0 239.18.0.1 694 1 0"; line2=$line1 ;;
	*) echo "unknown medium: $medium" >&2; return 1 ;;
	esac
	write_config node1 "$line1" "$method" && write_config node2 "$line2" "$method"
}

# set_timers HOST KEEPALIVE DEADTIME WARNTIME INITDEAD: replace the timing
# lines write_config wrote (heartbeat takes each directive once).
set_timers() {
	sed -i -e "s/^keepalive .*/keepalive $2/" -e "s/^deadtime .*/deadtime $3/" \
		-e "s/^warntime .*/warntime $4/" -e "s/^initdead .*/initdead $5/" \
		"$(hbt_etc "$1")/ha.cf"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# The daemons, started inside their hosts; the start time is remembered
# for past_start_window.
declare -A MIXED_STARTED
start_heartbeat() { hbt_run node1 "$HEARTBEAT" 2>/dev/null && MIXED_STARTED[node1]=$(now_ms); }
start_hbd() { hbt_run node2 "$HBD" 2>/dev/null && MIXED_STARTED[node2]=$(now_ms); }

# past_start_window HOST: sleep until the daemon of HOST has run for more
# than 5 s: before that it advertises deadtime+2 s (wire-protocol §5.1), and
# a crash then would be detected under the start-up deadtime.
past_start_window() {
	local left=$((MIXED_STARTED[$1] + 5500 - $(now_ms)))
	[ "$left" -gt 0 ] && sleep "$((left / 1000)).$(printf '%03d' $((left % 1000)))"
	return 0
}

# log_mark HOST: the number of lines in HOST's ha-log so far; log_after HOST
# MARK REGEX: a line after that mark matches.
log_mark() { cat "$(hbt_logdir "$1")/ha-log" 2>/dev/null | wc -l; }
log_after() {
	tail -n "+$(($2 + 1))" "$(hbt_logdir "$1")/ha-log" 2>/dev/null | grep -qE -- "$3"
}
# log_count HOST REGEX: how many lines of HOST's ha-log match.
log_count() { grep -cE -- "$2" "$(hbt_logdir "$1")/ha-log" 2>/dev/null; }

# hb_says HOST EXPECTED ARGS...: heartbeat's cl_status inside HOST prints EXPECTED.
hb_says() {
	local host=$1 want=$2; shift 2
	[ "$(hbt_run "$host" "$HB_CL_STATUS" "$@" 2>/dev/null)" = "$want" ]
}

# generation HOST: the generation in HOST's /var/lib/heartbeat/hb_generation.
generation() { tr -d ' \n' <"$(hbt_libdir "$1")/hb_generation" 2>/dev/null; }
