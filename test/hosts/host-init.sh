# Init (PID 1) of a test host; started by hbt_boot in lib.sh inside fresh
# UTS, mount and PID namespaces, already in the host's network namespace.
# Usage: bash host-init.sh NODENAME HOSTDIR   (fd 8: /proc/<test shell's pid>)
set -e
node=$1 dir=$2

hostname "$node"
mount --make-rprivate /
# sysfs of this network namespace, so /sys/class/net shows eth0 and lo.
umount -l /sys 2>/dev/null || true
mount -t sysfs sysfs /sys

bind_if_present() {
	if [ -d "$2" ] || [ -e "$2" ]; then
		mount --bind "$1" "$2"
	else
		echo "host-init: $2 does not exist here; not mounted" >&2
	fi
}
bind_if_present "$dir/ha.d" /etc/ha.d
bind_if_present "$dir/lib" /var/lib/heartbeat
bind_if_present "$dir/log" /var/log

# A private /run, with the directories heartbeat's package would create.
mount -t tmpfs -o mode=0755 hbt-run /run
mkdir -p /run/heartbeat/ccm /run/heartbeat/crm /run/heartbeat/dopd /run/crm \
	/run/lock /run/resource-agents
if getent passwd hacluster >/dev/null && getent group haclient >/dev/null; then
	chown hacluster:haclient /run/heartbeat /run/heartbeat/ccm \
		/run/heartbeat/crm /run/heartbeat/dopd /run/crm
fi
chmod 0750 /run/heartbeat /run/heartbeat/ccm /run/heartbeat/crm \
	/run/heartbeat/dopd /run/crm
chmod 1777 /run/lock

# Extra bind mounts, one "SOURCE TARGET" per line (e.g. a pty over
# /dev/ttyS0 for serial links).
if [ -f "$dir/binds" ]; then
	while read -r src dst; do
		[ -n "$src" ] && mount --bind "$src" "$dst"
	done <"$dir/binds"
fi
set +e

: >"$dir/ready"
# Live as long as the test's shell does (fd 8 is its /proc directory, which
# goes stale when it exits, even if it was killed with SIGKILL), reaping
# orphans meanwhile (bash reaps any child on SIGCHLD).  When this exits the
# kernel kills everything else in the host.
while [ -e /proc/self/fd/8/stat ]; do
	sleep 1 &
	wait $!
done
