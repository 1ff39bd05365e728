#!/bin/sh
# Installs the Debian packages hbd needs to build, test, demo and benchmark.
# One list, used by `make check`, `make demo` and CI; only missing packages are fetched.
set -eu
PKGS="build-essential g++ clang libclang-rt-14-dev autoconf automake pkg-config
libev-dev libserialport-dev libssl-dev catch2 libinih-dev
iproute2 iptables socat tcpdump procps psmisc util-linux
heartbeat libplumb2-dev cluster-glue-dev libglib2.0-dev
e2fsprogs curl apache2 rabbitmq-server python3-pika"
# Services whose packages enable them at boot; those this script installs are
# disabled again so the machine boots as it did (tests start them in hosts).
SERVICES="heartbeat apache2 rabbitmq-server pacemaker corosync logd"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "hbd: missing Debian packages:$missing (run as root, or install them)" >&2
  exit 1
fi
echo "hbd: installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
# heartbeat's and pacemaker's postinst must not start daemons on this machine.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing
for s in $SERVICES; do
  case " $missing " in *" $s "*) ;; *) continue ;; esac
  systemctl disable --quiet "$s" 2>/dev/null || true
  update-rc.d "$s" disable >/dev/null 2>&1 || true
done
