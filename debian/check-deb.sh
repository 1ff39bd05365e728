#!/bin/sh
# make check-deb: installs hbd's .deb into a throwaway copy of this machine
# and checks what a heartbeat user goes through, without changing the machine:
#   check-deb.sh hbd_VERSION_ARCH.deb
# The copy is an overlay whose lower layer is / and whose upper layer is a
# tmpfs, mounted in a private mount, PID and network namespace (unshare);
# /proc, /dev, /run and /tmp are fresh or bound, and policy-rc.d keeps the
# maintainer scripts from starting services, as in any chroot install. Every
# write lands in the tmpfs, which goes away with the namespace.
#
# Two scenarios, each in a fresh overlay, with Debian's heartbeat installed
# in it first (from this machine's packages) and a sample configuration:
#   swap   apt install ./hbd.deb replaces heartbeat in one step; the admin's
#          files stay; hbd -t and hbd -V work; hbd starts and stops through
#          the init script; apt purge heartbeat keeps hbd's and the admin's
#          scripts; apt remove hbd stops the running hbd, its group released;
#          apt purge hbd leaves only the admin's files.
#   back   hbd installed, then purged while heartbeat's configuration is still
#          there: heartbeat's own scripts come back under their names.
#   upgrade  to a later version (this package, repacked): unedited copies
#          in resource.d are updated, an edited one is kept (the new one goes
#          beside it as NAME.hbd) and survives the purge.
# Needs root (namespaces, mounts) and no network (every dependency hbd has is
# already installed here, since this machine built it); exit 77 otherwise.
set -eu

fail() { echo "check-deb: FAIL: $*" >&2; exit 1; }
say() { echo "check-deb: $*"; }

# ---- outside: run each scenario in its namespace, then check the real system.
outside() {
  deb=$(realpath "$1")
  [ -f "$deb" ] || fail "no package $1"
  if [ "$(id -u)" != 0 ]; then say "SKIP: needs root for namespaces and an overlay"; exit 77; fi
  if ! dpkg-query -W -f='${Status}' heartbeat 2>/dev/null | grep -q 'install ok installed'; then
    say "heartbeat is not installed on this machine: the swap is checked from a machine without it"
  fi
  before=$(real_system_state)
  # The mount point of the namespace's tmpfs: the only thing created on the
  # real disk, removed at the end (the mounts die with the namespace).
  top=$(mktemp -d "${TMPDIR:-/tmp}/hbd-check-deb.XXXXXX")
  trap 'rmdir "$top"' EXIT
  for scenario in swap back upgrade; do
    say "=== scenario $scenario"
    HBD_CHECK_DEB_SCENARIO=$scenario timeout 600 \
      unshare --mount --pid --net --fork --kill-child --propagation private \
      sh "$0" --inside "$deb" "$top" || fail "scenario $scenario"
  done
  [ "$(real_system_state)" = "$before" ] || fail "the real system changed: $(real_system_state)"
  say "real system unchanged: hbd not installed, /etc/ha.d and heartbeat as before"
  say "PASS"
}

real_system_state() {
  dpkg-query -W -f='${Package} ${Status}\n' hbd heartbeat 2>/dev/null || true
  find /etc/ha.d /etc/init.d/heartbeat -type f -exec md5sum {} + 2>/dev/null | sort
  dpkg-divert --list | grep ' by hbd$' || true
}

# ---- inside the namespaces: build the overlay and run the scenario in it.
inside() {
  deb=$1
  top=$2
  # Upper and work dirs on a tmpfs: a different filesystem from /, so the
  # overlay accepts / as its lower layer, and nothing reaches the disk.
  mount -t tmpfs -o size=1g hbd-check-deb "$top"
  mkdir "$top/upper" "$top/work" "$top/root"
  root=$top/root
  mount -t overlay overlay -o "lowerdir=/,upperdir=$top/upper,workdir=$top/work" "$root"
  mount -t proc proc "$root/proc"
  mount --bind /dev "$root/dev"
  mount --bind /dev/pts "$root/dev/pts"
  mount -t tmpfs tmpfs "$root/run"
  mount -t tmpfs tmpfs "$root/tmp"
  mkdir -p "$root/run/lock"
  # Maintainer scripts may stop services (so `apt remove` is seen stopping
  # hbd), never start one: starting is the test's job.
  printf '#!/bin/sh\nfor a; do [ "$a" = stop ] && exit 0; done\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  cp "$deb" "$root/tmp/"
  cp "$0" "$root/tmp/check-deb.sh"
  ip link set lo up
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 \
    sh /tmp/check-deb.sh --in-root "/tmp/$(basename "$deb")" "$HBD_CHECK_DEB_SCENARIO"
}

# ---- in the overlay root (chroot).
RSCD=/etc/ha.d/resource.d
USER_FILES="/etc/ha.d/ha.cf /etc/ha.d/authkeys /etc/ha.d/haresources"
ADMIN_IPADDR='#!/bin/sh
# the admin'\''s own IPaddr: must never be overwritten
exit 0'

apt_get() { apt-get -y -q --no-install-recommends -o Dpkg::Use-Pty=0 "$@" </dev/null; }
md5() { md5sum < "$1" | cut -d' ' -f1; }
is_hbds() { grep -q '^# hbd resource script' "$1"; }
status_of() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null || echo "not-installed"; }

write_sample_config() {
  mkdir -p /etc/ha.d
  me=$(uname -n)
  cat > /etc/ha.d/ha.cf <<EOF
# check-deb's node: itself and a peer that never answers
logfile /var/log/ha-log
keepalive 1
warntime 2
deadtime 3
initdead 6
udpport 694
ucast lo 127.0.0.1
auto_failback on
node $me
node peer
EOF
  printf 'auth 1\n1 sha1 check-deb-secret\n' > /etc/ha.d/authkeys
  chmod 600 /etc/ha.d/authkeys
  printf '%s IPaddr2::192.0.2.10/32/lo Delay::1::0\n' "$me" > /etc/ha.d/haresources
  md5sum $USER_FILES > /tmp/user-files.md5
}

ensure_heartbeat() {
  [ "$(status_of heartbeat)" = "install ok installed" ] && return 0
  apt_get install heartbeat >/tmp/apt-heartbeat.log 2>&1 ||
    { tail -5 /tmp/apt-heartbeat.log; fail "heartbeat could not be installed in the overlay (no network?)"; }
}

install_hbd() {
  apt_get install "$1" > /tmp/apt-install.log 2>&1 || { cat /tmp/apt-install.log; fail "apt install ./hbd.deb"; }
  grep -i 'conffile\|configuration file\|prompt' /tmp/apt-install.log && fail "dpkg asked about a configuration file"
  [ "$(status_of hbd)" = "install ok installed" ] || fail "hbd is $(status_of hbd)"
  case $(status_of heartbeat) in *"install ok installed"*) fail "heartbeat still installed";; esac
  say "installed: hbd $(status_of hbd); heartbeat $(status_of heartbeat)"
}

check_user_files_kept() {
  md5sum -c --quiet /tmp/user-files.md5 || fail "the admin's ha.cf/authkeys/haresources changed"
  [ "$(md5 $RSCD/IPaddr)" = "$(printf '%s\n' "$ADMIN_IPADDR" | md5sum | cut -d' ' -f1)" ] ||
    fail "the admin's IPaddr was changed"
}

check_installed_files() {
  check_user_files_kept
  is_hbds $RSCD/IPaddr.hbd || fail "hbd's IPaddr is not beside the admin's as IPaddr.hbd"
  for s in IPaddr2 SendArp Filesystem Delay MailTo httpd mq; do
    is_hbds $RSCD/$s || fail "$RSCD/$s is not hbd's"
    [ -x $RSCD/$s ] || fail "$RSCD/$s is not executable"
  done
  [ -f $RSCD/hbd-shellfuncs ] && [ -f $RSCD/hbd-ipfuncs ] || fail "hbd's shell functions missing"
  [ -f $RSCD/IPaddr2.heartbeat ] || fail "heartbeat's unchanged IPaddr2 was not set aside"
  grep -q hbd /etc/init.d/heartbeat || fail "/etc/init.d/heartbeat is not hbd's"
  grep -q 'hbd -f' /lib/systemd/system/heartbeat.service || fail "heartbeat.service is not hbd's"
  [ -f /etc/logrotate.d/heartbeat ] || fail "no logrotate file"
  getent group haclient >/dev/null || fail "no group haclient"
  getent passwd hacluster >/dev/null || fail "no user hacluster"
  [ -d /run/heartbeat ] && [ -d /var/lib/heartbeat/cores/root ] || fail "tmpfiles did not create the directories"
  say "files in place: the admin's IPaddr kept (hbd's as IPaddr.hbd), heartbeat's IPaddr2 set aside"
}

check_tools() {
  hbd -V | grep -q '^hbd ' || fail "hbd -V"
  hbd -t > /tmp/hbd-t.log 2>&1 || { cat /tmp/hbd-t.log; fail "hbd -t on the sample configuration"; }
  grep -q 'not found' /tmp/hbd-t.log && { cat /tmp/hbd-t.log; fail "hbd -t: a resource script is missing"; }
  if command -v systemd-analyze >/dev/null 2>&1; then
    systemd-analyze verify /lib/systemd/system/heartbeat.service > /tmp/verify.log 2>&1 ||
      { cat /tmp/verify.log; fail "systemd-analyze verify heartbeat.service"; }
    grep -i heartbeat.service /tmp/verify.log && fail "systemd-analyze complains about heartbeat.service"
  fi
  say "hbd -V, hbd -t and systemd-analyze verify pass"
}

# Start through the init script, wait (bounded) until the group is held,
# stop: the stop releases the group before hbd exits.
start_and_take_group() {
  /etc/init.d/heartbeat start || fail "init script start"
  i=0
  until ip -o addr show dev lo | grep -q 192.0.2.10; do
    i=$((i + 1)); [ $i -le 40 ] || { tail -20 /var/log/ha-log; fail "hbd did not take its group within 20 s"; }
    sleep 0.5
  done
  cl_status hbstatus >/dev/null || fail "cl_status hbstatus while running"
}

check_stopped_and_released() {
  ip -o addr show dev lo | grep -q 192.0.2.10 && fail "the group's address is still up after $1"
  pgrep -x hbd >/dev/null && fail "hbd still running after $1"
  say "$1 stopped hbd and released its group"
}

check_start_stop() {
  start_and_take_group
  /etc/init.d/heartbeat stop >/dev/null || fail "init script stop"
  check_stopped_and_released "/etc/init.d/heartbeat stop"
}

# What is left of hbd's paths, less what other installed packages own
# (resource-agents' /etc/ha.d/shellfuncs, cluster-glue's /var/lib/heartbeat).
leftovers() {
  find /etc/ha.d /var/lib/heartbeat /var/lib/hbd /run/heartbeat /etc/init.d/heartbeat \
    /etc/logrotate.d/heartbeat /lib/systemd/system/heartbeat.service* 2>/dev/null | sort |
    while read -r path; do
      dpkg -S "$path" >/dev/null 2>&1 || echo "$path"
    done
}

scenario_swap() {
  install_hbd "$1"
  check_installed_files
  check_tools
  check_start_stop
  apt_get purge heartbeat > /tmp/apt.log 2>&1 || { cat /tmp/apt.log; fail "apt purge heartbeat"; }
  is_hbds $RSCD/IPaddr2 || fail "purging heartbeat's leftovers removed hbd's IPaddr2"
  check_user_files_kept
  grep -q hbd /etc/init.d/heartbeat || fail "purging heartbeat removed hbd's init script"
  start_and_take_group
  apt_get remove hbd > /tmp/apt.log 2>&1 || { cat /tmp/apt.log; fail "apt remove hbd"; }
  grep -q 'Stopping High-Availability services' /tmp/apt.log || fail "apt remove did not run the stop"
  check_stopped_and_released "apt remove hbd"
  is_hbds $RSCD/IPaddr2 || fail "remove deleted hbd's copies (configuration stays until purge)"
  apt_get purge hbd > /tmp/apt.log 2>&1 || { cat /tmp/apt.log; fail "apt purge hbd"; }
  [ "$(status_of hbd)" = not-installed ] || fail "hbd is $(status_of hbd) after purge"
  check_user_files_kept
  expected=$(printf '%s\n' /etc/ha.d/authkeys /etc/ha.d/ha.cf /etc/ha.d/haresources \
    $RSCD $RSCD/IPaddr | sort)
  actual=$(leftovers)
  if [ "$actual" != "$expected" ]; then
    echo "$actual"; for f in $actual; do [ -f "$f" ] && echo "== $f" && head -3 "$f"; done
    dpkg-divert --list | grep hbd; cat /tmp/apt.log
    fail "purge left more (or less) than the admin's files"
  fi
  dpkg-divert --list | grep ' by hbd$' && fail "diversions left after purge"
  say "after purge: only the admin's files are left:"
  echo "$actual" | sed 's/^/  /'
}

scenario_back() {
  install_hbd "$1"
  apt_get purge hbd > /tmp/apt.log 2>&1 || { cat /tmp/apt.log; fail "apt purge hbd"; }
  check_user_files_kept
  for s in IPaddr2 SendArp Filesystem Delay MailTo; do
    [ "$(md5 $RSCD/$s)" = "$(dpkg-query -W -f='${Conffiles}\n' heartbeat | awk -v p=$RSCD/$s '$1 == p { print $2 }')" ] ||
      fail "heartbeat's $s did not come back"
  done
  for s in httpd mq hbd-shellfuncs hbd-ipfuncs IPaddr.hbd IPaddr2.heartbeat; do
    [ ! -e $RSCD/$s ] || fail "$RSCD/$s left after purge"
  done
  say "purged while heartbeat's configuration remains: heartbeat's scripts are back"
}

# The same package as a later version whose httpd and mq changed.
make_next_version() {
  rm -rf /tmp/next
  dpkg-deb -R "$1" /tmp/next
  sed -i 's/^Version: .*/&+next1/' /tmp/next/DEBIAN/control
  for s in httpd mq; do echo "# next version" >> /tmp/next/usr/share/hbd/resource.d/$s; done
  dpkg-deb -b /tmp/next /tmp/hbd_next.deb >/dev/null
}

scenario_upgrade() {
  install_hbd "$1"
  echo "# the admin's edit" >> $RSCD/httpd
  cp $RSCD/httpd /tmp/httpd.edited
  make_next_version "$1"
  install_hbd /tmp/hbd_next.deb
  cmp -s $RSCD/httpd /tmp/httpd.edited || fail "the upgrade overwrote the admin's edit of httpd"
  cmp -s $RSCD/httpd.hbd /tmp/next/usr/share/hbd/resource.d/httpd || fail "no new httpd.hbd beside the edited httpd"
  cmp -s $RSCD/mq /tmp/next/usr/share/hbd/resource.d/mq || fail "the upgrade did not update the unedited mq"
  check_installed_files
  apt_get purge hbd > /tmp/apt.log 2>&1 || { cat /tmp/apt.log; fail "apt purge hbd"; }
  cmp -s $RSCD/httpd /tmp/httpd.edited || fail "purge removed the admin's edit of httpd"
  for s in mq httpd.hbd IPaddr.hbd hbd-shellfuncs; do
    [ ! -e $RSCD/$s ] || fail "$RSCD/$s left after purge"
  done
  say "upgrade: unedited copies updated, the edited httpd kept (new one as httpd.hbd); purge keeps the edit"
}

in_root() {
  deb=$1
  ensure_heartbeat
  write_sample_config
  printf '%s\n' "$ADMIN_IPADDR" > $RSCD/IPaddr
  chmod 755 $RSCD/IPaddr
  "scenario_$2" "$deb"
}

case ${1:-} in
  --inside) shift; inside "$@" ;;
  --in-root) shift; in_root "$@" ;;
  "") echo "usage: $0 hbd_VERSION_ARCH.deb" >&2; exit 2 ;;
  *) outside "$@" ;;
esac
