#!/bin/bash
# Record the real heartbeat 3.0.6's verdict on every case in cases/:
#   verdicts.txt          "<case> <exit status>" (0 = it started)
#   recorded/<case>.txt   its start-up messages (no dates/PIDs) and, for a
#                         started daemon, what it logged in its first second
#   spec-differences.txt  cases where it disagrees with the spec's prediction
#                         (meta "spec"), and the results of the "?" probes
# Usage (root): test/config-corpus/record.sh [CASE...]
CORPUS_DIR=$(cd "$(dirname "$0")" && pwd)
. "$CORPUS_DIR/corpus-lib.sh"

hbt_require || exit 1
[ -x "$HEARTBEAT" ] || { echo "record.sh: no heartbeat at $HEARTBEAT" >&2; exit 1; }
version=$("$HEARTBEAT" -V 2>&1 | head -n 1)
package=$(dpkg-query -W -f '${Version}' heartbeat 2>/dev/null)
corpus_setup || exit 1

if [ $# -gt 0 ]; then cases="$*"; else cases=$(corpus_cases); fi
mkdir -p "$CORPUS_DIR/recorded"
new=$(mktemp); diffs=$(mktemp); probes=$(mktemp); died=$(mktemp)

# started_report: state of a started heartbeat after settling, and the
# warnings/errors it logged after the start banner.
started_report() {
	local logdir; logdir=$(hbt_logdir "$CORPUS_HOST")
	echo "--- after start (1 s) ---"
	if hbt_run "$CORPUS_HOST" sh -c 'kill -0 "$(cat /run/heartbeat.pid)"' 2>/dev/null; then
		echo "master process: running"
	else
		echo "master process: gone"
	fi
	local f
	for f in ha-log ha-debug; do
		[ -s "$logdir/$f" ] || continue
		sed -n '/Configuration validated/,$p' "$logdir/$f" | corpus_trim |
			grep -E ': (WARN|ERROR|CRIT|EMERG|ALERT):' |
			grep -v 'Cannot lock ourselves into memory' | awk '!seen[$0]++'
		break
	done
}

for c in $cases; do
	[ -f "$CORPUS_DIR/cases/$c/meta" ] || { echo "no case $c" >&2; exit 1; }
	err=$(mktemp)
	rc=$(corpus_heartbeat "$c" "$err" 1)
	spec=$(corpus_meta "$c" spec)
	about=$(corpus_meta "$c" about)
	{
		echo "# $c: $about"
		echo "# heartbeat exit status: $rc (spec predicts: $spec)"
		echo "--- stderr ---"
		corpus_trim <"$err"
		[ "$rc" = 0 ] && started_report
	} | sed "s/${HBT_SUBNET//./\\.}\./198.18.X./g" >"$CORPUS_DIR/recorded/$c.txt"
	hbt_stop "$CORPUS_HOST"
	rm -f "$err"
	grep -q '^master process: gone' "$CORPUS_DIR/recorded/$c.txt" &&
		echo "$c: exit 0, but the daemon was gone 1 s later -- $about" >>"$died"
	echo "$c $rc" >>"$new"
	if [ "$spec" = "?" ]; then
		echo "$c: heartbeat $rc -- $about" >>"$probes"
	elif [ "$spec" != "$rc" ]; then
		echo "$c: spec $spec, heartbeat $rc -- $about" >>"$diffs"
	fi
	printf '%-40s %s\n' "$c" "$rc"
done

# Merge with earlier results when only some cases were re-recorded.
out="$CORPUS_DIR/verdicts.txt"
{
	echo "# Verdicts of heartbeat $version (Debian package $package) on cases/, by record.sh."
	echo "# <case> <exit status>: 0 = started, 6 = configuration error, 4 = permission error."
	{
		[ -f "$out" ] && grep -v '^#' "$out" | while read -r c v; do
			grep -q "^$c " "$new" || { [ -d "$CORPUS_DIR/cases/$c" ] && echo "$c $v"; }
		done
		cat "$new"
	} | sort
} >"$out.tmp" && mv "$out.tmp" "$out"

if [ $# -eq 0 ]; then
	{
		echo "# Where heartbeat $version disagrees with the spec's prediction (meta 'spec'):"
		cat "$diffs"
		echo
		echo "# Probes (the spec does not say; meta 'spec ?'):"
		cat "$probes"
		echo
		echo "# Accepted (exit 0) but the daemon died right after daemonising:"
		cat "$died"
		echo
		# Kept from the previous file: written by hand, read by check.sh.
		sed -n '/^# hbd -t deliberately differs/,/^$/p' "$CORPUS_DIR/spec-differences.txt"
	} >"$CORPUS_DIR/spec-differences.txt.tmp" &&
		mv "$CORPUS_DIR/spec-differences.txt.tmp" "$CORPUS_DIR/spec-differences.txt"
fi
echo "recorded $(wc -l <"$new") cases; disagreements with the spec: $(wc -l <"$diffs")"
rm -f "$new" "$diffs" "$probes" "$died"
