#!/bin/sh
# The init script's actions, outputs and exit codes (config-and-tools §5.2),
# run against a fake hbd and a fake `sleep` in a scratch directory.
set -u
srcdir=${srcdir:-.}
script=$PWD/heartbeat/tools/init.d/heartbeat
[ -f "$script" ] || { echo "missing $script (make check builds it)"; exit 1; }

tmp=$(mktemp -d /tmp/hbd-init-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/ha.d" "$tmp/bin"
# The fake daemon logs its arguments; FAKE_RC/FAKE_ERR/FAKE_OUT say how it answers.
cat > "$tmp/hbd" <<'FAKE'
#!/bin/sh
echo "hbd $*" >> "$FAKE_LOG"
[ -n "${FAKE_OUT:-}" ] && printf '%s\n' "$FAKE_OUT"
[ -n "${FAKE_ERR:-}" ] && printf '%s\n' "$FAKE_ERR" >&2
exit "${FAKE_RC:-0}"
FAKE
# shellcheck disable=SC2016 # the fakes expand $* when they run
printf '#!/bin/sh\necho "sleep $*" >> "$FAKE_LOG"\n' > "$tmp/bin/sleep"
# The fake ResourceManager logs its arguments; FAKE_RM_ERR is its stderr.
cat > "$tmp/ResourceManager" <<'FAKE'
#!/bin/sh
echo "ResourceManager $*" >> "$FAKE_LOG"
[ -n "${FAKE_RM_ERR:-}" ] && printf '%s\n' "$FAKE_RM_ERR" >&2
exit "${FAKE_RM_RC:-0}"
FAKE
chmod +x "$tmp/hbd" "$tmp/bin/sleep" "$tmp/ResourceManager"

export HBD="$tmp/hbd" HA_DIR="$tmp/ha.d" HB_LOCKDIR="$tmp/lock" HB_RUNDIR="$tmp/run"
export HB_STANDBY="$tmp/no-hb_standby" FAKE_LOG="$tmp/calls" PATH="$tmp/bin:$PATH"
export HB_RESOURCE_MANAGER="$tmp/ResourceManager"
mkdir -p "$HB_RUNDIR"
failures=0

# expect NAME RC EXPECTED-OUTPUT -- ACTION [FAKE env assignments...]
expect() {
  name=$1 want_rc=$2 want_out=$3
  shift 3
  : > "$FAKE_LOG"
  out=$(env "$@" sh "$script" "$action" 2>&1; echo "rc=$?")
  want=$(printf '%s\nrc=%s' "$want_out" "$want_rc")
  if [ "$out" != "$want" ]; then
    failures=$((failures + 1))
    printf 'FAIL %s (%s)\n--- want\n%s\n--- got\n%s\n' "$name" "$action" "$want" "$out"
  fi
}
check() {  # check NAME COMMAND...: a condition that must hold
  name=$1
  shift
  if ! "$@"; then failures=$((failures + 1)); echo "FAIL $name"; fi
}

for action in start stop status restart reload force-reload standby bogus; do
  expect "not configured" 0 "Heartbeat not configured: $tmp/ha.d/ha.cf not found. Heartbeat failure [rc=1]. Failed."
done

printf 'keepalive 1\ndeadtime 1500ms # comment\nnode nodea nodeb\n' > "$tmp/ha.d/ha.cf"

action=start
expect "start" 0 "Starting High-Availability services: Done.
"
check "start runs hbd without options" grep -qx "hbd " "$FAKE_LOG"
check "start first runs ResourceManager verifyallidle" \
  test "$(cat "$FAKE_LOG")" = "ResourceManager verifyallidle
hbd "
check "start touches the lock" test -f "$tmp/lock/heartbeat"
check "start makes the run dirs" test -d "$tmp/run/heartbeat/rsctmp"
rm -f "$tmp/lock/heartbeat"
expect "start failure" 6 "Starting High-Availability services:  Heartbeat failure [rc=6]. Failed.

ERROR: Configuration error, heartbeat not started.
" FAKE_RC=6 FAKE_ERR="ERROR: Configuration error, heartbeat not started."
check "failed start leaves no lock" test ! -f "$tmp/lock/heartbeat"
# Running groups are warned about, as heartbeat does; the start goes on.
expect "start, a group already running" 0 "Starting High-Availability services: CRITICAL: Resource 198.18.0.9 is active, and should not be!
Done.
" FAKE_RM_RC=1 FAKE_RM_ERR="CRITICAL: Resource 198.18.0.9 is active, and should not be!"
rm -f "$tmp/lock/heartbeat"

action=stop
touch "$tmp/lock/heartbeat"
expect "stop" 0 "Stopping High-Availability services: Done.
" FAKE_ERR="INFO: Heartbeat already stopped."
check "stop runs hbd -k" grep -qx "hbd -k" "$FAKE_LOG"
check "stop removes the lock" test ! -f "$tmp/lock/heartbeat"
expect "stop failure" 4 "Stopping High-Availability services:  Heartbeat failure [rc=4]. Failed.
" FAKE_RC=4

action=status
expect "status running" 0 "heartbeat OK [pid 1 et al] is running on nodea [nodea]..." \
  FAKE_OUT="heartbeat OK [pid 1 et al] is running on nodea [nodea]..."
check "status runs hbd -s" grep -qx "hbd -s" "$FAKE_LOG"
expect "status stopped" 3 "heartbeat is stopped. No process" FAKE_RC=3 FAKE_OUT="heartbeat is stopped. No process"

action=reload
expect "reload" 0 "Reloading High-Availability services: Done.
"
check "reload runs hbd -r" grep -qx "hbd -r" "$FAKE_LOG"
action=force-reload
expect "force-reload failure" 6 "Reloading High-Availability services: Config errors: Heartbeat pid 7 NOT restarted
 Heartbeat failure [rc=6]. Failed.
" FAKE_RC=6 FAKE_ERR="Config errors: Heartbeat pid 7 NOT restarted"

action=restart
restart_out="Stopping High-Availability services: Done.

Waiting to allow resource takeover to complete:Done.

Starting High-Availability services: Done.
"
expect "restart" 0 "$restart_out"
check "restart waits 1500ms rounded up + 10 s" grep -qx "sleep 12" "$FAKE_LOG"
for case in "deadtime 6:16" "deadtime	2.2:13" "deadtime 500 MS:11" "deadtime 250us:11" \
            "deadtime 6,:16" "keepalive 2:40" "deadtime 5
deadtime 7:17"; do
  printf '%s\n' "${case%:*}" > "$tmp/ha.d/ha.cf"
  expect "restart $case" 0 "$restart_out"
  check "restart waits ${case##*:} s for '${case%:*}'" grep -qx "sleep ${case##*:}" "$FAKE_LOG"
done

action=standby
for case in "auto_failback legacy:auto_failback is set to legacy.  Cannot enter standby." \
            "nice_failback off:nice_failback is disabled.  Cannot enter standby." \
            "keepalive 1:auto_failback defaulted to legacy.  Cannot enter standby." \
            "crm yes:use 'crm_stanby -v on' instead"; do
  printf '%s\n' "${case%%:*}" > "$tmp/ha.d/ha.cf"
  expect "standby refused: ${case%%:*}" 1 "${case#*:}"
done
printf 'auto_failback On\n' > "$tmp/ha.d/ha.cf"
expect "standby, daemon down" 1 "auto_failback: on
Heartbeat is not currently running." FAKE_RC=3
expect "standby, no hb_standby" 1 "auto_failback: on
Cannot enter standby: $tmp/no-hb_standby is missing."
# shellcheck disable=SC2016
printf '#!/bin/sh\necho "hb_standby $*" >> "$FAKE_LOG"\n' > "$tmp/hb_standby"
chmod +x "$tmp/hb_standby"
HB_STANDBY="$tmp/hb_standby"
expect "standby" 0 "auto_failback: on
Attempting to enter standby modeDone."
check "standby runs hb_standby" grep -qx "hb_standby " "$FAKE_LOG"

# hbd's own hb_standby, talking to a FIFO held open the way the daemon does.
if [ -x "$PWD/hb_standby" ]; then
  HB_STANDBY=$PWD/hb_standby
  mkfifo -m 0600 "$tmp/fifo"
  exec 3<>"$tmp/fifo"
  expect "standby with hbd's hb_standby" 0 "auto_failback: on
Attempting to enter standby modeDone." HA_FIFO="$tmp/fifo" HA_LOGFILE="$tmp/ha-log"
  check "hb_standby's block reached the FIFO" \
    test "$(dd iflag=nonblock bs=65536 <&3 2>/dev/null)" = ">>>
t=ask_resources
rsc_hold=all
info=me
<<<"
  check "hb_standby logged its line" grep -q "hb_standby(default)\[[0-9]*\]:    Going standby \[all\]\.$" "$tmp/ha-log"
  exec 3<&-
  # hbd -s says running, but nobody reads the FIFO: hbd's tool fails at once
  # (heartbeat's would hang here for ever).
  expect "standby, FIFO not read" 1 "auto_failback: on
Attempting to enter standby mode$HB_STANDBY: heartbeat (hbd) is not running: nobody reads $tmp/fifo
 Heartbeat failure [rc=1]. Failed." HA_FIFO="$tmp/fifo" HA_LOGFILE="$tmp/ha-log"
else
  failures=$((failures + 1))
  echo "FAIL missing $PWD/hb_standby (make check builds it)"
fi
HB_STANDBY="$tmp/no-hb_standby"

action=bogus
expect "usage" 1 "Usage: $script {start|stop|status|restart|reload|force-reload}"

check "sh -n" sh -n "$script"
if command -v shellcheck >/dev/null 2>&1; then
  check "shellcheck" shellcheck -s sh "$script"
fi

[ "$failures" -eq 0 ] && echo "init script: all checks passed"
[ "$failures" -eq 0 ]
