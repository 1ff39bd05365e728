#!/bin/bash
# hbd's ResourceManager (config-and-tools §5.5) against small test scripts
# in a scratch HA_DIR: order of calls, status text rules, exit codes, where
# lines go; and, when heartbeat 3.0.6 is installed, the same invocations of
# its own script (a copy made to honour HA_DIR/INITDIR, with its reboot and
# hb_standby paths disarmed; those paths are never exercised on it).
set -u
build=$PWD
[ -x "$build/ResourceManager" ] || { echo "missing $build/ResourceManager (make check builds it)"; exit 1; }
tmp=$(mktemp -d /tmp/hbd-rm-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { failures=$((failures + 1)); printf 'FAIL %s\n' "$*"; }
check() {  # check NAME COMMAND...
  name=$1
  shift
  "$@" || fail "$name"
}
same() {  # same NAME WANT GOT
  [ "$2" = "$3" ] || { fail "$1"; printf -- '--- want\n%s\n--- got\n%s\n' "$2" "$3"; }
}

ha=$tmp/ha
mkdir -p "$ha/resource.d" "$tmp/init" "$tmp/state" "$tmp/text" "$tmp/fail" "$tmp/hbd" "$tmp/heartbeat"
export STATE=$tmp/state CALLS=$tmp/calls TEXT=$tmp/text FAIL=$tmp/fail
# rsc::NAME: state in $STATE/NAME; status prints $TEXT/NAME if present;
# $FAIL/NAME.start / .stop hold an exit code to fail with.
cat > "$ha/resource.d/rsc" <<'EOF'
#!/bin/sh
echo "rsc $*" >> "$CALLS"
n=$1
echo "rsc $n $2 (stderr)" >&2
if [ -f "$FAIL/$n.$2" ]; then exit "$(cat "$FAIL/$n.$2")"; fi
case $2 in
  start) touch "$STATE/$n"; echo "rsc $n started" ;;
  stop) rm -f "$STATE/$n"; echo "rsc $n stopped" ;;
  status)
    if [ -f "$TEXT/$n" ]; then cat "$TEXT/$n"
    elif [ -f "$STATE/$n" ]; then echo "rsc $n is running"
    else echo "rsc $n is stopped"; fi ;;
esac
exit 0
EOF
# The second place scripts are found; a non-executable file of the same
# name in resource.d does not hide it.
# shellcheck disable=SC2016 # written into scripts, expanded when they run
sed 's/^echo "rsc /echo "init-$(basename $0) /' "$ha/resource.d/rsc" > "$tmp/init/svc"
# shellcheck disable=SC2016
printf '#!/bin/sh\necho "shadowed $*" >> "$CALLS"\n' > "$ha/resource.d/svc"
chmod 755 "$ha/resource.d/rsc" "$tmp/init/svc"
chmod 644 "$ha/resource.d/svc"
cat > "$ha/haresources" <<'EOF'
# groups of the test
NodeA  rsc::a1 rsc::a2 rsc::a3   # comment
nodeb  rsc::b1 \
       rsc::b2
nodea  svc::s1
EOF
ln -s "$build/ResourceManager" "$tmp/hbd/ResourceManager"
export HA_DIR=$ha HBD_INIT_DIR=$tmp/init INITDIR=$tmp/init HA_CURHOST=nodea
unset HA_LOGFILE HA_DEBUGLOG HA_LOGFACILITY HA_DATEFMT HA_LOGTAG HA_RESOURCEDIR HA_STOPRETRYMAX

# rm IMPL ARGS...: run ./ResourceManager of IMPL; stdout in $tmp/out,
# stderr (dates made DATE) in $tmp/err; prints the exit status.
rm_() {
  impl=$1
  shift
  (cd "$tmp/$impl" && ./ResourceManager "$@" </dev/null >"$tmp/out" 2>"$tmp/err.raw")
  rc=$?
  sed 's/^[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] /DATE /' "$tmp/err.raw" > "$tmp/err"
  echo "$rc"
}
calls() { if [ -f "$CALLS" ]; then tr '\n' ';' < "$CALLS"; fi; rm -f "$CALLS"; }
reset() { rm -f "$STATE"/* "$TEXT"/* "$FAIL"/* "$CALLS"; }

# --- hbd on its own ---------------------------------------------------------
reset
same "takegroup exit" 0 "$(rm_ hbd takegroup rsc::a1)"
same "takegroup: status then start, left to right" \
  "rsc a1 status;rsc a1 start;rsc a2 status;rsc a2 start;rsc a3 status;rsc a3 start;" "$(calls)"
same "takegroup: by hand, log lines on stderr" "DATE info: Acquiring resource group: nodea rsc::a1 rsc::a2 rsc::a3
DATE info: Running $ha/resource.d/rsc a1 start
DATE info: Running $ha/resource.d/rsc a2 start
DATE info: Running $ha/resource.d/rsc a3 start" "$(cat "$tmp/err")"
same "takegroup: nothing on stdout" "" "$(cat "$tmp/out")"
same "statgroup ALL" "0 ALL" "$(rm_ hbd statgroup rsc::a1) $(cat "$tmp/out")"
rm -f "$STATE/a2"
same "statgroup SOME" "0 SOME" "$(rm_ hbd statgroup rsc::a1) $(cat "$tmp/out")"
calls >/dev/null
same "takegroup skips what runs" 0 "$(rm_ hbd takegroup rsc::a1)"
same "takegroup: only a2 started" "rsc a1 status;rsc a2 status;rsc a2 start;rsc a3 status;" "$(calls)"
same "givegroup exit" 0 "$(rm_ hbd givegroup rsc::a1)"
same "givegroup: stop, right to left" "rsc a3 stop;rsc a2 stop;rsc a1 stop;" "$(calls)"
same "statgroup NONE" "0 NONE" "$(rm_ hbd statgroup rsc::a1) $(cat "$tmp/out")"
same "statgroup of no group" "0 NONE" "$(rm_ hbd statgroup nosuch) $(cat "$tmp/out")"

reset
echo 7 > "$FAIL/a2.start"
same "takegroup: a failed start's code" 7 "$(rm_ hbd takegroup rsc::a1)"
same "takegroup: the whole group given up" \
  "rsc a1 status;rsc a1 start;rsc a2 status;rsc a2 start;rsc a3 stop;rsc a2 stop;rsc a1 stop;" "$(calls)"
check "takegroup: CRIT logged" grep -qx "DATE CRIT: Giving up resources due to failure of rsc::a2" "$tmp/err"
check "takegroup: nothing left running" [ -z "$(ls "$STATE")" ]

reset
echo 5 > "$FAIL/a3.stop"
touch "$STATE/a3"
same "givegroup: the failed stop's code" 5 "$(HA_STOPRETRYMAX=1 rm_ hbd givegroup rsc::a1)"
same "givegroup: retried once, then status, then no further" \
  "rsc a3 stop;rsc a3 stop;rsc a3 status;" "$(calls)"
check "givegroup: the reboot verdict logged" grep -qx "DATE CRIT: Resource STOP failure. Reboot required!" "$tmp/err"
check "givegroup: and not acted on" grep -q "CRIT: Not rebooting: " "$tmp/err"
rm -f "$STATE/a3"
same "givegroup: a stop failing on a stopped resource is survived" 0 "$(HA_STOPRETRYMAX=1 rm_ hbd givegroup rsc::a1)"
check "givegroup: LSB warning" grep -qx "DATE WARN: Machine reboot narrowly avoided!" "$tmp/err"
same "givegroup: then the rest" "rsc a3 stop;rsc a3 stop;rsc a3 status;rsc a2 stop;rsc a1 stop;" "$(calls)"

reset
same "takegroup from the init dir" 0 "$(rm_ hbd takegroup svc::s1)"
same "takegroup: init dir's script, not the non-executable one" \
  "init-svc s1 status;init-svc s1 start;" "$(calls)"
check "takegroup: the path logged" grep -qx "DATE info: Running $tmp/init/svc s1 start" "$tmp/err"

reset
for case in "x is running:0" "x is not running:3" "Not Running:3" "INFO:  Running OK:0" \
            "OK:0" "TOKEN:0" "RUNNING:3" "stopped:3" ":3" "running? not:0"; do
  printf '%s\n' "${case%:*}" > "$TEXT/a1"
  same "status '${case%:*}'" "${case##*:}" "$(rm_ hbd status rsc::a1)"
done
check "status: the script's stderr reaches ours" grep -q "rsc a1 status (stderr)" "$tmp/err"
same "status: no script" 3 "$(rm_ hbd status nosuch::x)"
same "status: no script, logged" "DATE ERROR: Cannot locate resource script nosuch" "$(cat "$tmp/err")"

reset
same "unknown key" "1" "$(rm_ hbd takegroup rsc::a2)"
same "unknown key: message" "./ResourceManager: takegroup: no resource group has the key [rsc::a2] in $ha/haresources" "$(cat "$tmp/err")"
same "unknown key: nothing run" "" "$(calls)"

touch "$STATE/a1" "$STATE/b1" "$STATE/a2"
same "verifyallidle counts running keys" 2 "$(rm_ hbd verifyallidle)"
same "verifyallidle: only keys asked" "rsc a1 status;rsc b1 status;init-svc s1 status;" "$(calls)"

same "ourkeys" "0 rsc::a1 rsc::a2 rsc::a3 |svc::s1 |" "$(rm_ hbd ourkeys) $(tr '\n' '|' < "$tmp/out")"
same "otherkeys" "0 rsc::b1 rsc::b2 |" "$(HA_CURHOST=NodeA rm_ hbd otherkeys) $(tr '\n' '|' < "$tmp/out")"

# Run by hand, ha.cf's log files get the lines too (hbd), in the 3.0 layout.
reset
printf 'logfile %s\ndebugfile %s\n' "$tmp/ha-log" "$tmp/ha-debug" > "$ha/ha.cf"
same "takegroup with ha.cf logging" 0 "$(rm_ hbd takegroup rsc::b1)"
check "ha-log has the 3.0 layout" grep -Eq \
  "^[0-9]{4}/[0-9]{2}/[0-9]{2}_[0-9:]{8}  ResourceManager\(default\)\[[0-9]+\]:    info: Acquiring resource group: nodeb rsc::b1 rsc::b2$" "$tmp/ha-log"
check "ha-debug has the scripts' output" grep -qx "rsc b1 started" "$tmp/ha-debug"
check "the terminal still gets the lines" grep -q "DATE info: Running $ha/resource.d/rsc b2 start" "$tmp/err"
rm -f "$ha/ha.cf"
rm_ hbd givegroup rsc::b1 >/dev/null

# --- the same as heartbeat's -------------------------------------------------
real=/usr/share/heartbeat/ResourceManager
if [ "$(head -c 2 "$real" 2>/dev/null)" = "#!" ]; then
  # shellcheck disable=SC2016 # shell text for the copy, not for us
  sed -e 's|^HA_DIR=/etc/ha.d|HA_DIR=${HA_DIR:-/etc/ha.d}|' \
      -e 's|^INITDIR=/etc/init.d|INITDIR=${INITDIR:-/etc/init.d}|' \
      -e 's|^STANDBY=.*|STANDBY=/bin/false|' -e 's|pkill -9|: pkill -9|' \
      -e 's|/sbin/reboot|/bin/false|g' -e 's|/sbin/init|/bin/false|g' "$real" > "$tmp/heartbeat/ResourceManager"
  chmod 755 "$tmp/heartbeat/ResourceManager"
  ln -s /etc/ha.d/shellfuncs "$ha/shellfuncs"  # it sources $HA_DIR/shellfuncs
  grep -q '/sbin/reboot\|^STANDBY=/usr' "$tmp/heartbeat/ResourceManager" && { echo "could not disarm $real"; exit 1; }
  both() {  # both NAME ARGS...: exit status, stdout and stderr must be heartbeat's
    name=$1
    shift
    w_rc=$(rm_ heartbeat "$@"); w_out=$(cat "$tmp/out"); w_err=$(cat "$tmp/err"); w_calls=$(calls)
    g_rc=$(rm_ hbd "$@"); g_out=$(cat "$tmp/out"); g_err=$(cat "$tmp/err"); g_calls=$(calls)
    same "$name: exit status as heartbeat's" "$w_rc" "$g_rc"
    same "$name: stdout as heartbeat's" "$w_out" "$g_out"
    same "$name: stderr as heartbeat's" "$w_err" "$g_err"
    same "$name: script calls as heartbeat's" "$w_calls" "$g_calls"
  }
  reset
  both "listkeys nodea" listkeys nodea
  both "listkeys NODEB" listkeys NODEB
  both "listkeys .*" listkeys '.*'
  both "listkeys node[ab]" listkeys 'node[ab]'
  both "listkeys (none)" listkeys
  both "allkeys" allkeys
  both "ourkeys" ourkeys
  both "otherkeys" otherkeys
  both "usage" bogus
  both "no verb" 
  for text in "x is running" "x is not running" "Not Running" "OK" "TOKEN" "RUNNING" "stopped" ""; do
    printf '%s\n' "$text" > "$TEXT/a1"
    both "status '$text'" status rsc::a1
  done
  reset
  both "verifyallidle, all idle" verifyallidle
  touch "$STATE/a1" "$STATE/b1"
  both "verifyallidle, two running" verifyallidle
  reset

  # takegroup/givegroup: the log file and debug file, line for line.
  files() {  # files IMPL VERB KEY
    rm -f "$tmp/log" "$tmp/debug"
    (cd "$tmp/$1" && HA_LOGFILE="$tmp/log" HA_DEBUGLOG="$tmp/debug" HA_DATEFMT='%Y/%m/%d_%T	' \
       ./ResourceManager "$2" "$3" </dev/null >/dev/null 2>&1)
    echo "rc=$?"
    sed -e 's/[0-9]\{4\}\/[0-9][0-9]\/[0-9][0-9]_[0-9:]\{8\}/DATE/' -e 's/(default)\[[0-9]*\]/(default)[PID]/' \
      "$tmp/log" "$tmp/debug"
  }
  touch "$STATE/a2"
  want=$(files heartbeat takegroup rsc::a1; files heartbeat givegroup rsc::a1)
  touch "$STATE/a2"
  got=$(files hbd takegroup rsc::a1; files hbd givegroup rsc::a1)
  same "takegroup/givegroup log and debug files as heartbeat's" "$want" "$got"
  check "takegroup/givegroup files are not empty" grep -q "Releasing resource group" <<<"$got"

  # statgroup: heartbeat's answer goes into the debug file, hbd's to stdout.
  touch "$STATE/a1"
  rm -f "$tmp/debug"
  (cd "$tmp/heartbeat" && HA_DEBUGLOG="$tmp/debug" ./ResourceManager statgroup rsc::a1 </dev/null >/dev/null 2>&1)
  rm_ hbd statgroup rsc::a1 >/dev/null
  same "statgroup: heartbeat's answer" "$(tail -n 1 "$tmp/debug")" "$(cat "$tmp/out")"
  reset
  compared=yes
else
  echo "heartbeat 3.0.6's ResourceManager not installed at $real: comparisons skipped"
  compared=no
fi

[ "$failures" -eq 0 ] && echo "ResourceManager: all checks passed (heartbeat comparisons: $compared)"
[ "$failures" -eq 0 ]
