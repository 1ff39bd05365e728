# Test hosts with hbd's own resource scripts (bash library; source it after
# test/hosts/lib.sh). The scripts of resource.d/ replace those of the same
# name that the host's /etc/ha.d skeleton got from Debian's heartbeat; the
# helpers they call (send_arp) come from this build tree.
RSD_TOP=${RSD_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
RSD_SCRIPTS="IPaddr IPaddr2 SendArp Filesystem httpd mq Delay MailTo"

# rsd_install HOST: hbd's scripts into the host's /etc/ha.d/resource.d.
rsd_install() {
	local dir s; dir="$(hbt_etc "$1")/resource.d"
	mkdir -p "$dir"
	for s in $RSD_SCRIPTS; do
		[ -f "$RSD_TOP/resource.d/$s" ] || continue
		rm -f "$dir/$s"
		install -m 755 "$RSD_TOP/resource.d/$s" "$dir/$s"
	done
	sed "s|@libexecdir@/hbd|$RSD_TOP|g" "$RSD_TOP/resource.d/hbd-shellfuncs.in" \
		>"$dir/hbd-shellfuncs"
	install -m 644 "$RSD_TOP/resource.d/hbd-ipfuncs" "$dir/hbd-ipfuncs"
	chmod 644 "$dir/hbd-shellfuncs"
}

# rsd_script HOST NAME ARGS... OP: run a script by hand in HOST, as an
# admin would (no HA_* environment: lines go to stderr).
rsd_script() {
	local host=$1 name=$2; shift 2
	hbt_run "$host" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		"/etc/ha.d/resource.d/$name" "$@"
}

# --- the shared disk: one loop device holding ext4 -------------------------
RSD_LOOP=
RSD_LOOP_FILE=

# rsd_disk_make [SIZE_MB]: a file-backed loop device with a fresh ext4 on
# it (label hbd-shared), seen by every host. Sets RSD_LOOP. Removed by
# rsd_disk_remove (call it from the test's cleanup).
rsd_disk_make() {
	local mb=${1:-64}
	RSD_LOOP_FILE=$(mktemp "${TMPDIR:-/tmp}/hbd-disk.XXXXXX") || return 1
	truncate -s "${mb}M" "$RSD_LOOP_FILE" || return 1
	RSD_LOOP=$(losetup -f --show "$RSD_LOOP_FILE") || return 1
	mkfs.ext4 -q -F -L hbd-shared "$RSD_LOOP" >/dev/null || return 1
}

rsd_disk_remove() {
	[ -n "$RSD_LOOP" ] && losetup -d "$RSD_LOOP" 2>/dev/null
	[ -n "$RSD_LOOP_FILE" ] && rm -f "$RSD_LOOP_FILE"
	RSD_LOOP= RSD_LOOP_FILE=
}

# rsd_private_srv HOST: a private, empty /srv in HOST (a mount point such
# as /srv/ha is made there, never on this machine's own /srv).
rsd_private_srv() {
	local d; d="$(hbt_dir "$1")/srv"
	mkdir -p "$d"
	printf '%s %s\n' "$d" /srv >>"$(hbt_dir "$1")/binds"
}

# --- checks ------------------------------------------------------------------
RSD_FAILS=0
rsd_ok() { printf 'ok   %s\n' "$*"; }
rsd_fail() { printf 'FAIL %s\n' "$*"; RSD_FAILS=$((RSD_FAILS + 1)); }
# rsd_expect DESC WANT_RC CMD...: CMD's exit status is WANT_RC.
rsd_expect() {
	local desc=$1 want=$2 rc=0; shift 2
	RSD_OUT=$("$@" 2>&1) || rc=$?
	if [ "$rc" = "$want" ]; then rsd_ok "$desc (exit $rc)"
	else rsd_fail "$desc: exit $rc, wanted $want; output:"; printf '%s\n' "$RSD_OUT" | sed 's/^/     /'; fi
}
# rsd_output_has DESC REGEX: the last rsd_expect's output matches REGEX.
rsd_output_has() {
	if printf '%s\n' "$RSD_OUT" | grep -Eq -- "$2"; then rsd_ok "$1"
	else rsd_fail "$1: no /$2/ in:"; printf '%s\n' "$RSD_OUT" | sed 's/^/     /'; fi
}
rsd_summary() {
	if [ "$RSD_FAILS" = 0 ]; then echo "PASS: $1"; return 0; fi
	echo "FAIL: $1: $RSD_FAILS check(s) failed"; return 1
}

# rsd_httpd_conf HOST PORT DOCROOT: ha.d/httpd.conf (the sample shipped for
# the httpd script) as the host's /etc/ha.d/httpd.conf, with PORT and DOCROOT.
rsd_httpd_conf() {
	sed -e "s|^Listen .*|Listen $2|" -e "s|/srv/ha/www|$3|g" "$RSD_TOP/ha.d/httpd.conf" \
		>"$(hbt_etc "$1")/httpd.conf"
}

# rsd_on_exit CMD: run CMD (e.g. "hbt_teardown; rsd_disk_remove") when the
# test ends, however it ends. Call it after hbt_init, whose own traps it
# replaces: the hosts must be gone before the loop device can be freed.
rsd_on_exit() {
	trap "set +e; $1" EXIT
	trap "set +e; $1; trap - INT; kill -INT \$\$" INT
	trap "set +e; $1; trap - TERM; kill -TERM \$\$" TERM
	trap "set +e; $1; trap - HUP; kill -HUP \$\$" HUP
}
