#!/bin/bash
# The sample fence commands (heartbeat/tools/fence-testhost, fence-ipmi):
# usage and argument checks, fence-testhost against a stand-in host (a plain
# process named like a test host's init, in a scratch state directory: no
# namespaces), fence-ipmi in its dry-run mode only (no BMC here).
set -u
src=$(cd "$(dirname "$0")" && pwd)
testhost=$src/fence-testhost
ipmi=$src/fence-ipmi
tmp=$(mktemp -d /tmp/hbd-fence-test.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
failures=0
fail() { failures=$((failures + 1)); printf 'FAIL %s\n' "$*"; }
expect_rc() {  # expect_rc WANT NAME COMMAND...
  local want=$1 name=$2 got
  shift 2
  "$@" >"$tmp/out" 2>&1
  got=$?
  [ "$got" = "$want" ] || { fail "$name: exit $got, want $want"; sed 's/^/    /' "$tmp/out"; }
}
expect_out() {  # expect_out NAME TEXT: the last command said TEXT
  grep -qF -- "$2" "$tmp/out" || { fail "$1: no [$2] in:"; sed 's/^/    /' "$tmp/out"; }
}

# fence-testhost
export HBT_FENCE_DIR=$tmp/hosts
mkdir -p "$tmp/hosts/h1" "$tmp/hosts/h2" "$tmp/hosts/h3"
echo node1 >"$tmp/hosts/h1/nodename"
echo Node2 >"$tmp/hosts/h2/nodename"
echo node3 >"$tmp/hosts/h3/nodename"
mkfifo "$tmp/never"
# Blocks in bash itself (no child left behind when it is killed).
printf 'read -r _ <>"$1"\n' >"$tmp/host-init.sh"
bash "$tmp/host-init.sh" "$tmp/never" node2 "$tmp/hosts/h2" &
init2=$!; pids+=("$init2")
echo "$init2" >"$tmp/hosts/h2/init.pid"
sleep 60 &
other=$!; pids+=("$other")
echo "$other" >"$tmp/hosts/h3/init.pid"  # not a test host's init: never killed

expect_rc 0 "testhost --help" "$testhost" --help
expect_rc 2 "testhost without a node" "$testhost"
expect_rc 2 "testhost with 3 arguments" "$testhost" a b c
expect_rc 2 "testhost unknown option" "$testhost" --bogus
expect_rc 1 "testhost without HBT_FENCE_DIR" env HBT_FENCE_DIR= "$testhost" node2 dead
expect_out "testhost without HBT_FENCE_DIR" "HBT_FENCE_DIR is not set"
expect_rc 1 "testhost unknown node" "$testhost" nodeX dead
expect_out "testhost unknown node" "no test host with node name nodeX"
expect_rc 0 "testhost host not running" "$testhost" node1 dead
expect_out "testhost host not running" "is not running: it is off"
expect_rc 0 "testhost never kills what is not a host init" "$testhost" node3 dead
kill -0 "$other" 2>/dev/null || fail "testhost killed a process that is not a test host's init"
expect_rc 0 "testhost powers a host off" "$testhost" NODE2 split-brain
expect_out "testhost powers a host off" "powered off"
# The kill is asynchronous: wait (bounded) for the process to be gone.
i=0
while kill -0 "$init2" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$init2" 2>/dev/null && fail "the stand-in host init still runs"
[ -e "$tmp/hosts/h2/init.pid" ] && fail "init.pid of the host powered off is left behind"

# fence-ipmi: arguments and the dry run
printf '# node BMC\nnode1 bmc-1.example.net\nNODE2 10.0.9.12\n' >"$tmp/ipmi.conf"
echo secret >"$tmp/ipmi.pw"
expect_rc 0 "ipmi --help" "$ipmi" --help
expect_out "ipmi --help" "BMC"
expect_rc 2 "ipmi without a node" "$ipmi" -U admin -f "$tmp/ipmi.pw"
expect_rc 2 "ipmi without a user" "$ipmi" -f "$tmp/ipmi.pw" node2
expect_rc 2 "ipmi without a password" "$ipmi" -U admin node2
expect_rc 2 "ipmi bad -w" "$ipmi" -U admin -P x -w soon node2
expect_rc 1 "ipmi unreadable password file" "$ipmi" -U admin -f "$tmp/none" -H b node2
expect_rc 1 "ipmi node not in the config" "$ipmi" -c "$tmp/ipmi.conf" -U admin -f "$tmp/ipmi.pw" -n node3 dead
expect_out "ipmi node not in the config" "no BMC for node node3"
expect_rc 0 "ipmi dry run from the config" "$ipmi" -c "$tmp/ipmi.conf" -U admin -f "$tmp/ipmi.pw" -n node2 dead
expect_out "ipmi dry run from the config" "ipmitool -I lanplus -H 10.0.9.12 -U admin -f $tmp/ipmi.pw chassis power off"
expect_rc 0 "ipmi dry run with -H and -P" "$ipmi" -H bmc2 -U admin -P secret -n node2
expect_out "ipmi dry run with -H and -P" "-P ****** chassis power off"
grep -q secret "$tmp/out" && fail "ipmi dry run shows the password"

[ $failures = 0 ] && echo "fence commands: all checks passed"
exit $((failures > 0))
