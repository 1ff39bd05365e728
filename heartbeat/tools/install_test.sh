#!/bin/sh
# `make install DESTDIR=...` puts every file where INSTALL-NOTES says, with
# the right modes, and the init script and unit name the installed daemon.
set -u
tmp=$(mktemp -d /tmp/hbd-install-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# A clean sub-make: not part of the parent's jobserver.
dirs=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${MAKE:-make}" -s print-install-dirs) || exit 1
sbindir='' bindir='' initddir='' systemdunitdir='' noarchbindir='' rscddir='' hbdlibexecdir=''
eval "$dirs"
mandirs=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${MAKE:-make}" -s print-man-dirs) || exit 1
man1dir='' man5dir='' man8dir='' logrotatedir='' docdir=''
eval "$mandirs"
# An admin's own IPaddr is already there: it must survive the install.
mkdir -p "$tmp$rscddir"
printf '#!/bin/sh\n# my own IPaddr\n' >"$tmp$rscddir/IPaddr"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "${MAKE:-make}" -s install DESTDIR="$tmp" >"$tmp.log" 2>&1 || {
  cat "$tmp.log"; rm -f "$tmp.log"; exit 1; }
rm -f "$tmp.log"
failures=0
expect_file() {  # expect_file PATH MODE
  if [ ! -f "$tmp$1" ]; then
    echo "FAIL: $1 not installed"; failures=$((failures + 1)); return
  fi
  mode=$(stat -c %a "$tmp$1")
  if [ "$mode" != "$2" ]; then
    echo "FAIL: $1 has mode $mode, want $2"; failures=$((failures + 1))
  fi
}
expect_file "$sbindir/hbd" 755
expect_file "$bindir/cl_status" 755
expect_file "$bindir/hbctl" 755
expect_file "$initddir/heartbeat" 755
expect_file "$systemdunitdir/heartbeat.service" 644
for t in hb_standby hb_takeover ResourceManager; do
  expect_file "$noarchbindir/$t" 755
done
expect_file "$hbdlibexecdir/send_arp" 755
expect_file "$hbdlibexecdir/fence-testhost" 755
expect_file "$hbdlibexecdir/fence-ipmi" 755
for s in IPaddr.hbd IPaddr2 SendArp Filesystem httpd mq Delay MailTo; do
  expect_file "$rscddir/$s" 755
done
for s in hbd-shellfuncs hbd-ipfuncs; do expect_file "$rscddir/$s" 644; done
for p in cl_status.1 hb_standby.1 hb_takeover.1; do expect_file "$man1dir/$p" 644; done
for p in ha.cf.5 authkeys.5 haresources.5 hbd.ini.5; do expect_file "$man5dir/$p" 644; done
for p in hbd.ini MIGRATING.md; do expect_file "$docdir/$p" 644; done
for p in hbd.8 hbctl.8; do expect_file "$man8dir/$p" 644; done
expect_file "$logrotatedir/heartbeat" 644
# The installed logrotate file parses (-d: a dry run that changes nothing;
# an unknown keyword is only an "error:" line, not an exit status).
if command -v logrotate >/dev/null 2>&1; then
  if ! logrotate -d -s "$tmp/logrotate.state" "$tmp$logrotatedir/heartbeat" >"$tmp/logrotate.out" 2>&1 ||
     grep -q '^error:' "$tmp/logrotate.out"; then
    echo "FAIL: logrotate rejects $logrotatedir/heartbeat:"; cat "$tmp/logrotate.out"; failures=$((failures + 1))
  fi
fi
grep -q '# my own IPaddr' "$tmp$rscddir/IPaddr" ||
  { echo "FAIL: make install overwrote an admin's own resource.d/IPaddr"; failures=$((failures + 1)); }
grep -q "^HBD_LIBEXECDIR=\${HBD_LIBEXECDIR:-$hbdlibexecdir}" "$tmp$rscddir/hbd-shellfuncs" ||
  { echo "FAIL: hbd-shellfuncs does not name $hbdlibexecdir"; failures=$((failures + 1)); }
# On PATH too: links to the programs in $noarchbindir (heartbeat's place).
for t in hb_standby hb_takeover; do
  if [ "$(readlink "$tmp$bindir/$t")" != "$noarchbindir/$t" ]; then
    echo "FAIL: $bindir/$t is not a link to $noarchbindir/$t"; failures=$((failures + 1))
  fi
done

init=$tmp$initddir/heartbeat
unit=$tmp$systemdunitdir/heartbeat.service
sh -n "$init" || { echo "FAIL: sh -n $initddir/heartbeat"; failures=$((failures + 1)); }
grep -q "HBD:=$sbindir/hbd}" "$init" || { echo "FAIL: init script does not run $sbindir/hbd"; failures=$((failures + 1)); }
grep -q "HB_STANDBY:=$noarchbindir/hb_standby}" "$init" ||
  { echo "FAIL: init script does not run $noarchbindir/hb_standby"; failures=$((failures + 1)); }
grep -q "HB_RESOURCE_MANAGER:=$noarchbindir/ResourceManager}" "$init" ||
  { echo "FAIL: init script does not run $noarchbindir/ResourceManager"; failures=$((failures + 1)); }
for line in "ExecStart=$sbindir/hbd -f" "ExecStop=$sbindir/hbd -k" "ExecReload=$sbindir/hbd -r" \
            "PIDFile=/run/heartbeat.pid" "KillMode=process" "SendSIGKILL=no" \
            "TimeoutStopSec=30min" "After=network-online.target" \
            "Documentation=man:hbd(8) man:ha.cf(5) man:haresources(5)"; do
  grep -qx "$line" "$unit" || { echo "FAIL: unit lacks '$line'"; failures=$((failures + 1)); }
done
if grep -q '@[a-z]*@' "$init" "$unit"; then echo "FAIL: unsubstituted @...@"; failures=$((failures + 1)); fi
"$tmp$bindir/cl_status" > /dev/null || { echo "FAIL: installed cl_status does not run"; failures=$((failures + 1)); }
# The installed tools run (usage: exit 1, heartbeat's text).
for t in hb_standby hb_takeover; do
  out=$("$tmp$noarchbindir/$t" --help 2>&1)
  rc=$?
  if [ $rc != 1 ] || [ "$out" != "usage:
$tmp$noarchbindir/$t [all|foreign|local|failback]" ]; then
    echo "FAIL: installed $t does not run (exit $rc): $out"; failures=$((failures + 1))
  fi
done
"$tmp$noarchbindir/ResourceManager" 2>/dev/null
[ $? = 1 ] || { echo "FAIL: installed ResourceManager does not run"; failures=$((failures + 1)); }

[ "$failures" -eq 0 ] && echo "install: all files in place (sbindir=$sbindir bindir=$bindir initddir=$initddir systemdunitdir=$systemdunitdir noarchbindir=$noarchbindir)"
[ "$failures" -eq 0 ]
