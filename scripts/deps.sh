#!/bin/sh
# Installs the Debian packages hbd needs; only missing packages are fetched,
# always with --no-install-recommends.
#   deps.sh build   what building hbd needs (compiler, autotools, libraries)
#   deps.sh test    what the tests, the demo and the benchmarks need besides:
#                   heartbeat 3.0.6 as the oracle peer, Apache and RabbitMQ
#                   for the cluster tests, namespaces and capture tools
#   deps.sh deb     what `make deb` needs: the build packages, debhelper,
#                   dpkg-dev and fakeroot (Debian 12's own)
#   deps.sh         all of them (`make check`, `make demo` and CI run this)
# Services that the installed packages enable at boot are disabled again and
# never started (policy-rc.d), so the machine boots as it did; the tests run
# those servers inside their own test hosts.
set -eu
what=${1:-all}
BUILD_PKGS="build-essential g++ autoconf automake pkg-config
libev-dev libserialport-dev libssl-dev catch2 libinih-dev"
DEB_PKGS="debhelper dpkg-dev fakeroot"
TEST_PKGS="clang libclang-rt-14-dev
iproute2 iptables socat tcpdump procps psmisc util-linux
heartbeat libplumb2-dev cluster-glue-dev libglib2.0-dev
e2fsprogs curl apache2 rabbitmq-server python3-pika
man-db groff-base logrotate"
SERVICES="heartbeat apache2 rabbitmq-server pacemaker corosync logd"
case $what in
  build) PKGS=$BUILD_PKGS ;;
  test) PKGS=$TEST_PKGS ;;
  deb) PKGS="$BUILD_PKGS $DEB_PKGS" ;;
  all) PKGS="$BUILD_PKGS $TEST_PKGS $DEB_PKGS" ;;
  *) echo "usage: $0 [build|test|deb|all]" >&2; exit 2 ;;
esac

# The cluster tests put each node in its own network namespace: say so at
# once where that cannot work (a container without privileges).
namespaces_work() {
  command -v unshare >/dev/null 2>&1 || return 0  # util-linux comes below
  unshare --net --mount --uts --pid --fork true 2>/dev/null
}
if [ "$what" != build ] && [ "$what" != deb ] && [ "$(id -u)" = 0 ] && ! namespaces_work; then
  echo "hbd: network, mount, UTS and PID namespaces do not work here (unshare failed):" >&2
  echo "hbd: the cluster tests and the demo need them (root on a machine or a privileged container)." >&2
  echo "hbd: \`sh scripts/deps.sh build\` and \`make && ./unit_tests\` work without them." >&2
  exit 1
fi

missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "hbd: missing Debian packages:$missing (run as root, or install them)" >&2
  exit 1
fi

# Which services are enabled now: only those are left enabled afterwards,
# whether this script named their package or apt pulled it in.
enabled_before=""
for s in $SERVICES; do
  systemctl is-enabled --quiet "$s" 2>/dev/null && enabled_before="$enabled_before $s"
done

echo "hbd: installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
# The packages' postinst must not start daemons on this machine.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing
for s in $SERVICES; do
  case " $enabled_before " in *" $s "*) continue ;; esac
  [ -e "/etc/init.d/$s" ] || [ -e "/lib/systemd/system/$s.service" ] || continue
  systemctl disable --quiet "$s" 2>/dev/null || true
  update-rc.d "$s" disable >/dev/null 2>&1 || true
done
