#!/bin/bash
# hbd's hb_standby and hb_takeover (config-and-tools §5.3) against a real
# FIFO in a scratch directory: the block arrives whole; with nobody reading
# they fail at once; outputs, exit codes, blocks and log lines are compared
# with heartbeat 3.0.6's own scripts when those are installed (they are
# given the same FIFO through HA_FIFO).
set -u
build=$PWD
for t in hb_standby hb_takeover; do
  [ -x "$build/$t" ] || { echo "missing $build/$t (make check builds it)"; exit 1; }
done
tmp=$(mktemp -d /tmp/hbd-standby-test.XXXXXX)
trap 'exec 3<&- 2>/dev/null; rm -rf "$tmp"' EXIT
failures=0
fail() { failures=$((failures + 1)); printf 'FAIL %s\n' "$*"; }
check() {  # check NAME COMMAND...
  name=$1
  shift
  "$@" || fail "$name"
}

# Both tools are run as ./NAME from a directory of their own, so "$0" in
# their messages is the same text.
mkdir -p "$tmp/hbd" "$tmp/heartbeat"
ln -s "$build/hb_standby" "$tmp/hbd/hb_standby"
ln -s "$build/hb_takeover" "$tmp/hbd/hb_takeover"
heartbeat_tools=/usr/share/heartbeat
have_heartbeat=yes
for t in hb_standby hb_takeover; do
  # heartbeat's are shell scripts; an installed hbd would be a binary.
  if [ "$(head -c 2 "$heartbeat_tools/$t" 2>/dev/null)" = "#!" ]; then
    ln -s "$heartbeat_tools/$t" "$tmp/heartbeat/$t"
  else
    have_heartbeat=no
  fi
done

fifo=$tmp/fifo
mkfifo -m 0600 "$fifo"
# The daemon's way of reading: held open read-write, so writers never block
# and the reader never sees end-of-file.
exec 3<>"$fifo"
drain() { dd iflag=nonblock bs=65536 <&3 2>/dev/null; }

# run IMPL TOOL ARGS...: output "rc=N", then stdout, stderr (dates made
# "DATE") and what reached the FIFO, each under a header line.
run() {
  impl=$1 tool=$2
  shift 2
  (cd "$tmp/$impl" && env -u HA_LOGFILE -u HA_DEBUGLOG -u HA_LOGFACILITY -u HA_DATEFMT \
     -u HA_LOGTAG HA_FIFO="$fifo" "./$tool" "$@" </dev/null >"$tmp/out" 2>"$tmp/err")
  echo "rc=$?"
  echo "--- stdout"; cat "$tmp/out"
  echo "--- stderr"; sed 's/^[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] /DATE /' "$tmp/err"
  echo "--- fifo"; drain
}

# What hbd's tools must do, whatever heartbeat is installed.
expect() {  # expect NAME WANT TOOL ARGS...
  name=$1 want=$2
  shift 2
  got=$(run hbd "$@")
  [ "$got" = "$want" ] || { fail "$name"; printf -- '--- want\n%s\n--- got\n%s\n' "$want" "$got"; }
}
usage_err='./hb_standby [all|foreign|local|failback]'
expect "hb_standby" "rc=0
--- stdout
--- stderr
DATE Going standby [all].
--- fifo
>>>
t=ask_resources
rsc_hold=all
info=me
<<<" hb_standby
expect "hb_standby failback is sent as foreign" "rc=0
--- stdout
--- stderr
DATE Going standby [foreign].
--- fifo
>>>
t=ask_resources
rsc_hold=foreign
info=me
<<<" hb_standby failback
expect "hb_takeover failback is sent as failback" "rc=0
--- stdout
--- stderr
--- fifo
>>>
t=hb_takeover
rsc_hold=failback
<<<" hb_takeover failback
expect "hb_standby too many" "rc=1
--- stdout
./hb_standby: too many arguments
usage:
--- stderr
$usage_err
--- fifo" hb_standby all local
expect "hb_standby wrong" "rc=1
--- stdout
./hb_standby: wrong resources(bogus).
usage:
--- stderr
$usage_err
--- fifo" hb_standby bogus

# Same outputs, exit codes and blocks as heartbeat's scripts.
if [ $have_heartbeat = yes ]; then
  for tool in hb_standby hb_takeover; do
    for args in "" all local foreign failback bogus --help "all local" "a b c"; do
      # shellcheck disable=SC2086 # the words are the arguments
      want=$(run heartbeat $tool $args)
      # shellcheck disable=SC2086
      got=$(run hbd $tool $args)
      [ "$got" = "$want" ] ||
        { fail "$tool $args differs from heartbeat's"; printf -- '--- heartbeat\n%s\n--- hbd\n%s\n' "$want" "$got"; }
    done
  done

  # The log file and debug file lines, as the script layer writes them.
  logs() {  # logs IMPL: hb_standby local with HA_LOGFILE/HA_DEBUGLOG set
    rm -f "$tmp/log" "$tmp/debug"
    (cd "$tmp/$1" && HA_FIFO="$fifo" HA_LOGFILE="$tmp/log" HA_DEBUGLOG="$tmp/debug" \
       HA_DATEFMT='%Y/%m/%d_%T	' ./hb_standby local </dev/null >/dev/null 2>&1)
    drain >/dev/null
    sed -e 's/[0-9]\{4\}\/[0-9][0-9]\/[0-9][0-9]_[0-9:]\{8\}/DATE/' -e 's/\[[0-9]*\]/[PID]/' \
      "$tmp/log" "$tmp/debug"
  }
  want=$(logs heartbeat)
  got=$(logs hbd)
  [ "$got" = "$want" ] ||
    { fail "log lines differ from heartbeat's"; printf -- '--- heartbeat\n%s\n--- hbd\n%s\n' "$want" "$got"; }
  check "log lines are there" [ -n "$got" ]

  # On a terminal ha_log prints the bare text.
  if command -v script >/dev/null 2>&1; then
    tty_line() {
      (cd "$tmp/$1" && env -u HA_LOGFILE -u HA_DEBUGLOG -u HA_LOGFACILITY -u HA_LOGTAG \
         HA_FIFO="$fifo" script -qec "./hb_standby local" /dev/null | tr -d '\r')
      drain >/dev/null
    }
    want=$(tty_line heartbeat)
    got=$(tty_line hbd)
    check "tty line" [ "$got" = "Going standby [local]." ]
    [ "$got" = "$want" ] || fail "tty line differs from heartbeat's: '$want' vs '$got'"
  fi
else
  echo "heartbeat 3.0.6's hb_standby/hb_takeover not installed in $heartbeat_tools: comparisons skipped"
fi

# Twenty at once: every block arrives whole (one write each, < PIPE_BUF).
pids=""
for i in $(seq 1 20); do
  case $((i % 3)) in 0) w=local ;; 1) w=foreign ;; *) w=all ;; esac
  HA_FIFO="$fifo" HA_LOGFILE=/dev/null "$build/hb_standby" $w </dev/null &
  pids="$pids $!"
done
for p in $pids; do wait "$p" || fail "concurrent hb_standby $p"; done
drain > "$tmp/blocks"
bad=$(awk 'NR % 5 == 1 && $0 != ">>>" { bad++ }
           NR % 5 == 2 && $0 != "t=ask_resources" { bad++ }
           NR % 5 == 3 && $0 !~ /^rsc_hold=(all|local|foreign)$/ { bad++ }
           NR % 5 == 4 && $0 != "info=me" { bad++ }
           NR % 5 == 0 && $0 != "<<<" { bad++ }
           END { print bad + 0, NR }' "$tmp/blocks")
check "20 concurrent blocks arrive whole ($bad)" [ "$bad" = "0 100" ]

# Nobody reads: an immediate, clear failure, nothing logged, nothing written.
exec 3<&-
for tool in hb_standby hb_takeover; do
  rm -f "$tmp/log"
  out=$(cd "$tmp/hbd" && HA_FIFO="$fifo" HA_LOGFILE="$tmp/log" timeout 10 "./$tool" local 2>&1 </dev/null)
  rc=$?
  check "$tool without a reader exits 1 ($rc)" [ "$rc" = 1 ]
  check "$tool without a reader says so: $out" \
    [ "$out" = "./$tool: heartbeat (hbd) is not running: nobody reads $fifo" ]
  check "$tool without a reader logs nothing" [ ! -s "$tmp/log" ]
done
out=$(cd "$tmp/hbd" && HA_FIFO="$tmp/none" timeout 10 ./hb_standby 2>&1 </dev/null)
rc=$?
check "no FIFO: exit 1 ($rc)" [ "$rc" = 1 ]
check "no FIFO: message ($out)" [ "$out" = "./hb_standby: heartbeat (hbd) is not running: $tmp/none does not exist" ]
check "no FIFO: none created" [ ! -e "$tmp/none" ]

[ "$failures" -eq 0 ] && echo "hb_standby/hb_takeover: all checks passed (heartbeat comparisons: $have_heartbeat)"
[ "$failures" -eq 0 ]
