#!/bin/bash
# hbd -t must give heartbeat 3.0.6's verdict (verdicts.txt, made by
# record.sh) on every configuration in cases/.  Each case runs in a
# throwaway host (test/hosts/lib.sh) whose hostname is the case's node.
#
#   HBD=path                    hbd binary (default: ./hbd of the build tree)
#   HBD_CHECK_WITH_HEARTBEAT=1  check the real heartbeat instead (self-test
#                               of this harness: must agree 100%)
# Run by `make check`; needs root and `ip netns`.  Fails (never skips) when
# it cannot check.
CORPUS_DIR=$(cd "$(dirname "$0")" && pwd)
. "$CORPUS_DIR/corpus-lib.sh"

fail() { echo "config-corpus: $*" >&2; exit 1; }

verdicts="$CORPUS_DIR/verdicts.txt"
[ -f "$verdicts" ] || fail "no $verdicts: run record.sh"
ncases=$(grep -cv '^#' "$verdicts")
[ "$ncases" -ge 40 ] || fail "$verdicts has only $ncases cases (want >= 40)"
hbt_require || fail "cannot create test hosts here (see above)"

if [ "${HBD_CHECK_WITH_HEARTBEAT:-0}" = 1 ]; then
	[ -x "$HEARTBEAT" ] || fail "no heartbeat at $HEARTBEAT"
	subject=heartbeat
else
	if [ -z "${HBD:-}" ]; then
		for HBD in "$PWD/hbd" "$CORPUS_DIR/../../hbd"; do
			[ -x "$HBD" ] && break
		done
	fi
	[ -x "$HBD" ] || fail "no hbd binary at $HBD (build it, or set HBD)"
	subject=hbd
fi

corpus_setup || fail "could not create the test host"
if [ $subject = hbd ]; then
	# A private copy: a parallel `make` may relink ./hbd while we run.
	cp "$HBD" "$HBT_DIR/hbd" || fail "cannot copy $HBD"
	HBD=$HBT_DIR/hbd
fi
out=$(mktemp)
trap 'set +e; rm -f "$out"; hbt_teardown' EXIT
# Deliberate differences (spec-differences.txt, its last section): hbd -t
# must give the listed stricter verdict instead of heartbeat's.
deliberate() {
	sed -n '/^# hbd -t deliberately differs/,/^$/s/^\([^ :#]*\): heartbeat [0-9]*, hbd \([0-9]*\) .*/\1 \2/p' \
		"$CORPUS_DIR/spec-differences.txt"
}
stricter_list=$(deliberate)
ok=0 bad=0
while read -r c want; do
	case $c in ''|'#'*) continue ;; esac
	if [ $subject = hbd ]; then
		stricter=$(echo "$stricter_list" | awk -v c="$c" '$1 == c { print $2 }')
		[ -n "$stricter" ] && want=$stricter
	fi
	if [ ! -f "$CORPUS_DIR/cases/$c/meta" ]; then
		echo "MISMATCH $c: case directory missing"; bad=$((bad + 1)); continue
	fi
	if [ $subject = heartbeat ]; then
		got=$(corpus_heartbeat "$c" "$out")
	else
		got=$(corpus_hbd "$c" "$out")
	fi
	if [ "$got" = "$want" ]; then
		echo "ok $c"; ok=$((ok + 1))
	else
		echo "MISMATCH $c: heartbeat $want, $subject $got"
		sed -e "s|$(hbt_etc "$CORPUS_HOST")/|$c/|g" -e "s|$HBT_DIR/stage/$c/|$c/|g" \
			-e 's/^/    /' "$out" | corpus_trim
		bad=$((bad + 1))
	fi
done <"$verdicts"
hbt_stop "$CORPUS_HOST"
echo "config-corpus: $subject agrees with heartbeat 3.0.6 on $ok of $((ok + bad)) cases"
[ "$bad" = 0 ]
