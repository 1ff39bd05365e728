#!/bin/bash
# Resource groups on a two-node cluster (plus a client host): heartbeat's v1
# resource manager behaviour, for one pairing of daemons and one
# auto_failback mode.  See rsc-scenarios.sh for what each scenario asserts.
# Usage: rsc-cluster.sh KIND1 KIND2 MODE
#   KIND1/KIND2: hb (heartbeat 3.0.6) or hbd, for node1 and node2
#   MODE: on | off | legacy
# Environment:
#   RSC_SCENARIOS="a b c d e f g h i j"  a subset (a always runs)
#   RSC_MEDIUM=bcast|ucast|mcast, RSC_AUTH=crc|md5|sha1, RSC_KEEPALIVE,
#   RSC_DEADTIME, RSC_WARNTIME, RSC_INITDEAD   (defaults bcast, sha1, 500ms/3/2/6)
#   RSC_KEEP=DIR       copy the logs and the sampler's record there
#   RSC_PCAP=FILE      tcpdump of udp/694 from the client (rsc-timeline.py reads both)
#   RSC_HB_QUIRKS=yes  hold hbd nodes to heartbeat's [hb] assertions too
#   RSC_STOPRETRYMAX=N passed to the daemons as HA_STOPRETRYMAX
#   HBD, HB_STANDBY_hbd, HB_TAKEOVER_hbd, INIT_SCRIPT_hbd, RSC_START_TIMEOUT,
#   RSC_HBD_REBOOT_VAR  hbd's binary, tools and settings (see rsc-lib.sh)
#   SHOW_LOGS=1        print the ha-log tails even when everything passed
# Skips (exit 77) without root or without a daemon it needs.
. "$(dirname "$0")/common.sh"
if [ $# -ne 3 ]; then
	echo "usage: $0 hb|hbd hb|hbd on|off|legacy" >&2
	exit 2
fi
NODE1_KIND=$1 NODE2_KIND=$2 RSC_MODE=$3
. "$here/rsc-lib.sh"
. "$here/rsc-scenarios.sh"
rsc_skip_unless_possible

RSC_SCENARIOS=${RSC_SCENARIOS:-a b c d e f g h i j}
wanted() { case " $RSC_SCENARIOS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

t_start=$(now_ms)
echo "# rsc-cluster: node1=$NODE1_KIND node2=$NODE2_KIND auto_failback=$RSC_MODE $RSC_MEDIUM $RSC_AUTH"
rsc_setup || { echo "FAIL setting up the test hosts"; exit 1; }
[ -n "${RSC_PCAP:-}" ] && pcap_start "$RSC_PCAP"

scenario_initial
if wanted b; then
	scenario_standby node1
	# c continues from everything on node2; without c, bring it home.
	if ! wanted c && nice_failback; then scenario_takeover node1 local; fi
fi
if wanted c; then
	if wanted b || ! nice_failback; then
		scenario_takeovers
	else
		skip "c. the takeover round starts where b leaves the groups"
	fi
fi
wanted d && scenario_crash node1
if wanted d || wanted e; then
	wanted d || scenario_crash node1
	scenario_return node1
fi
if wanted f; then
	scenario_graceful node1 k
	scenario_graceful node2 term
	scenario_graceful node1 init
fi
wanted g && scenario_split_brain node1
wanted h && scenario_failing_start
wanted i && scenario_failing_stop
wanted j && scenario_hanging_start

for h in node1 node2; do
	n=$(grep -cE "Both machines own|No one owns" "$(ha_log_of "$h")" 2>/dev/null)
	echo "# $h logged ${n:-0} ownership audit errors (Both machines own / No one owns)"
done
pcap_stop
[ -n "${RSC_KEEP:-}" ] && rsc_keep "$RSC_KEEP"
[ "$fails" = 0 ] && [ -z "${SHOW_LOGS:-}" ] || show_logs node1 node2
hbt_teardown
echo "# $fails failure(s); elapsed $(( ($(now_ms) - t_start) / 1000 )) s"
exit $((fails > 0))
