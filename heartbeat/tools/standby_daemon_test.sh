#!/bin/bash
# hb_standby and hb_takeover talking to a real hbd: one node in a test host
# (test/hosts/lib.sh) with one resource group. The daemon reads the block
# from its FIFO and acts on it; hb_standby's own line lands in ha-log in the
# script layout; once the daemon is stopped the tools fail at once. The
# peer nodeb never comes: it is declared dead after initdead.
# Needs root and `ip netns` (else exit 77: skipped).
set -u
build=$PWD
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/test/hosts/lib.sh"
for t in hbd hb_standby hb_takeover ResourceManager; do
  [ -x "$build/$t" ] || { echo "missing $build/$t (make check builds it)"; exit 1; }
done
if ! why=$(hbt_require 2>&1); then echo "SKIP: $why"; exit 77; fi

failures=0
check() {  # check NAME COMMAND...
  name=$1
  shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}
log_has() { grep -qE -- "$1" "$(hbt_logdir h)/ha-log" 2>/dev/null; }

hbt_add_host h nodea || exit 1
etc=$(hbt_etc h)
cat > "$etc/ha.cf" <<'EOF'
use_logd no
logfile /var/log/ha-log
debugfile /var/log/ha-debug
memreserve 2000
keepalive 500ms
deadtime 3
initdead 6
auto_failback on
bcast eth0
node nodea nodeb
EOF
printf 'auth 1\n1 sha1 tools-test\n' > "$etc/authkeys"
chmod 600 "$etc/authkeys"
cat > "$etc/resource.d/toolrsc" <<'EOF'
#!/bin/sh
# toolrsc::NAME: running while /run/toolrsc-NAME exists.
case $2 in
  start) touch "/run/toolrsc-$1" ;;
  stop) rm -f "/run/toolrsc-$1" ;;
  status) if [ -e "/run/toolrsc-$1" ]; then echo running; else echo stopped; fi ;;
esac
EOF
chmod 755 "$etc/resource.d/toolrsc"
echo "nodea toolrsc::g1" > "$etc/haresources"
hbt_boot h || exit 1
dump() { echo "---- ha-log"; tail -n 30 "$(hbt_logdir h)/ha-log" 2>/dev/null; }

check "hbd starts" hbt_run h "$build/hbd"
check "the group is acquired" hbt_wait_for 300 log_has "Running /etc/ha.d/resource.d/toolrsc g1 start"
check "ResourceManager status sees it" hbt_run h "$build/ResourceManager" status toolrsc::g1

# Until the daemon reads its FIFO the tool fails and sends nothing; then it
# delivers. So polling it is harmless.
standby() { hbt_run h "$build/hb_standby" </dev/null 2>/dev/null; }
check "hb_standby delivers" hbt_wait_for 100 standby
check "the daemon got the request" \
  hbt_wait_for 50 log_has "nodea wants to go standby \[all\]|standby message \[me\] from nodea ignored"
check "hb_standby logged its line in the script layout" \
  log_has "^[0-9]{4}/[0-9]{2}/[0-9]{2}_[0-9:]{8}  hb_standby\(default\)\[[0-9]+\]:    Going standby \[all\]\.$"
check "hb_takeover delivers" hbt_run h "$build/hb_takeover" local </dev/null

check "hbd stops" hbt_run h timeout 60 "$build/hbd" -k
out=$(hbt_run h timeout 10 "$build/hb_standby" 2>&1 </dev/null)
rc=$?
check "no daemon: hb_standby exits 1 ($rc)" [ "$rc" = 1 ]
check "no daemon: it says so ($out)" \
  [ "$out" = "$build/hb_standby: heartbeat (hbd) is not running: nobody reads /var/lib/heartbeat/fifo" ]
out=$(hbt_run h timeout 10 "$build/hb_takeover" 2>&1 </dev/null)
rc=$?
check "no daemon: hb_takeover exits 1 ($rc)" [ "$rc" = 1 ]

[ "$failures" -eq 0 ] || dump
[ "$failures" -eq 0 ] && echo "hb_standby/hb_takeover with hbd: all checks passed"
[ "$failures" -eq 0 ]
