#!/bin/sh
# Self-test of the test resource script rsc/rec (no root, no hosts): the
# records, the status text heartbeat interprets, idempotence and each fault.
here=$(cd "$(dirname "$0")" && pwd)
REC=$here/rsc/rec
REC_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/rsc-rec.XXXXXX") || exit 1
export REC_ROOT
trap 'rm -rf "$REC_ROOT"' EXIT
mkdir -p "$REC_ROOT/var/log" "$REC_ROOT/etc/ha.d/rec-fault"
fails=0
check() {  # check DESCRIPTION CMD...
	what=$1; shift
	if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
}
says() {  # says EXPECTED-STDOUT EXPECTED-STATUS ARGS...
	want_out=$1 want_rc=$2; shift 2
	out=$("$REC" "$@" 2>/dev/null); rc=$?
	[ "$out" = "$want_out" ] && [ "$rc" = "$want_rc" ]
}
last_record() {  # last_record "NAME OP RESULT"
	tail -n 1 "$REC_ROOT/var/log/rec.log" | grep -qE "^[0-9]+\.[0-9]{3} $1\$"
}
running() { [ -e "$REC_ROOT/run/rec/$1" ]; }
fault() { : >"$REC_ROOT/etc/ha.d/rec-fault/$1"; }
unfault() { rm -f "$REC_ROOT/etc/ha.d/rec-fault/$1"; }

check "status of a new resource: stopped, exit 3" says "X1 is stopped" 3 X1 status
check "the status call is recorded" last_record "X1 status stopped"
check "stop of a stopped resource succeeds" says "X1 stopped" 0 X1 stop
check "start succeeds" says "X1 started" 0 X1 start
check "start is recorded ok" last_record "X1 start ok"
check "state file present" running X1
check "status: running, exit 0" says "X1 is running" 0 X1 status
check "start again succeeds" says "X1 started" 0 X1 start
check "stop succeeds" says "X1 stopped" 0 X1 stop
check "state file gone" eval '! running X1'

fault X2.start-fails
check "injected start failure exits 1" says "X2: start failed (injected)" 1 X2 start
check "failed start recorded" last_record "X2 start fail"
check "failed start leaves it stopped" says "X2 is stopped" 3 X2 status
unfault X2.start-fails
"$REC" X2 start >/dev/null
fault X2.stop-fails
check "injected stop failure exits 1" says "X2: stop failed (injected)" 1 X2 stop
check "failed stop recorded" last_record "X2 stop fail"
check "failed stop leaves it running" says "X2 is running" 0 X2 status
unfault X2.stop-fails

fault X3.hang-start
"$REC" X3 start >/dev/null 2>&1 &
pid=$!
i=0
while ! last_record "X3 start hang" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "hanging start recorded" last_record "X3 start hang"
check "hanging start still runs" kill -0 $pid
kill $pid; wait $pid 2>/dev/null
check "killing the hanging start ends it (exec sleep)" eval '! kill -0 $pid 2>/dev/null'
check "no state after a hanging start" eval '! running X3'

check "bad usage exits 2" says "" 2 X1 restart
check "missing argument exits 2" says "" 2 X1
check "four records per line: time name op result" \
	eval '! grep -qvE "^[0-9]+\.[0-9]{3} [A-Z0-9]+ [a-z]+ [a-z]+\$" "$REC_ROOT/var/log/rec.log"'
exit $((fails > 0))
