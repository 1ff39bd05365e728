# Shared by record.sh and check.sh: run one corpus case in a throwaway host
# (test/hosts/lib.sh) under the real heartbeat or under `hbd -t`.
# Source after setting CORPUS_DIR (the directory holding cases/).

. "$CORPUS_DIR/../hosts/lib.sh"

HEARTBEAT=${HEARTBEAT:-/usr/libexec/heartbeat/heartbeat}
CORPUS_HOST=corpus

# corpus_meta CASE KEY: the value of KEY in the case's meta file.
corpus_meta() {
	sed -n "s/^$2[[:space:]]\{1,\}//p" "$CORPUS_DIR/cases/$1/meta" | head -n 1
}

corpus_cases() { ls "$CORPUS_DIR/cases"; }

# corpus_stage CASE: a fresh host state with the case's files as /etc/ha.d
# (authkeys mode from meta, default 0600: git keeps only the x bit).
corpus_stage() {
	hbt_reset_state "$CORPUS_HOST"
	corpus_copy_case "$1" "$(hbt_etc "$CORPUS_HOST")"
}

# corpus_copy_case CASE DIR: the case's files into DIR (which holds the
# package's /etc/ha.d skeleton), authkeys with the case's mode.
corpus_copy_case() {
	local c=$1 etc=$2 f mode
	for f in ha.cf authkeys haresources; do
		[ -e "$CORPUS_DIR/cases/$c/$f" ] && cp "$CORPUS_DIR/cases/$c/$f" "$etc/$f"
	done
	mode=$(corpus_meta "$c" authkeys_mode)
	[ -e "$etc/authkeys" ] && chmod "${mode:-0600}" "$etc/authkeys"
	return 0
}

# corpus_setup: one host for all cases; it is rebooted per case with the
# case's node name.
corpus_setup() {
	hbt_add_host "$CORPUS_HOST" || return 1
}

# corpus_boot CASE: stage the case and power the host on as the case's node.
corpus_boot() {
	hbt_stop "$CORPUS_HOST"
	corpus_stage "$1" && hbt_boot "$CORPUS_HOST" "$(corpus_meta "$1" node)"
}

# corpus_heartbeat CASE ERRFILE [SETTLE]: start the real heartbeat the normal
# (daemonising) way; print its exit status (124: no answer within 20 s).
# A started heartbeat is left running SETTLE seconds (default 0) so its
# post-daemonise log can be read, then the host is stopped.
corpus_heartbeat() {
	local c=$1 err=$2 settle=${3:-0} rc
	corpus_boot "$c" || { echo boot-failed; return 1; }
	hbt_run "$CORPUS_HOST" timeout 20 "$HEARTBEAT" </dev/null >"$err.out" 2>"$err"
	rc=$?
	cat "$err.out" >>"$err"; rm -f "$err.out"
	[ "$rc" = 0 ] && [ "$settle" != 0 ] && sleep "$settle"
	echo "$rc"
}

# corpus_hbd CASE ERRFILE: `hbd -t -c <staged copy>` inside the host; print
# its exit status.  hbd -t reads only the directory it is given, so the host
# is rebooted only when the case's node name differs from the running one
# (a reboot per case made make check take minutes), and each case gets its
# own copy of the skeleton: corpus_stage_dir.
corpus_hbd() {
	local c=$1 err=$2 node booted dir rc
	node=$(corpus_meta "$c" node)
	booted=$(cat "$HBT_DIR/corpus-node" 2>/dev/null)
	if [ "$node" != "$booted" ] || ! hbt_running "$CORPUS_HOST"; then
		rm -f "$HBT_DIR/corpus-node"
		corpus_boot "$c" || { echo boot-failed; return 1; }
		printf '%s\n' "$node" >"$HBT_DIR/corpus-node"
	fi
	dir=$(corpus_stage_dir "$c")
	hbt_run "$CORPUS_HOST" timeout 20 "$HBD" -t -c "$dir" </dev/null >"$err" 2>&1
	rc=$?
	rm -rf "$dir"
	echo "$rc"
}

# corpus_stage_dir CASE: a fresh copy of the skeleton with the case's files,
# outside the host's /etc/ha.d; prints its path.
corpus_stage_dir() {
	local dir="$HBT_DIR/stage/$1"
	rm -rf "$dir" && mkdir -p "$dir"
	[ -d /etc/ha.d ] && cp -a /etc/ha.d/. "$dir/"
	rm -f "$dir/ha.cf" "$dir/authkeys" "$dir/haresources"
	corpus_copy_case "$1" "$dir"
	printf '%s\n' "$dir"
}

# corpus_trim: heartbeat's stderr/log lines without date, host and PID (and
# the time-based first generation number).  heartbeat prints "... must
# precede media statements" with no newline; it gets a line of its own here.
corpus_trim() {
	sed -e 's/\(precede media statements\)\(.\)/\1\n\2/g' \
		-e 's/No Previous generation - starting at [0-9]*/No Previous generation - starting at N/' \
		-e 's/0x[0-9a-f]\{6,\}/0xN/g' \
		-e 's/\([A-Za-z_]*\)\[[0-9]*\]: [0-9]\{4\}\/[0-9][0-9]\/[0-9][0-9]_[0-9:]\{8\} /\1: /g' \
		-e 's/[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] [^ ]* heartbeat: \[[0-9]*\]: /heartbeat: /g' \
		-e 's/[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] [^ ]* \([A-Za-z_]*\): \[[0-9]*\]: /\1: /g'
}
