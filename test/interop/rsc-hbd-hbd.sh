#!/bin/sh
# make check's resource-group run for one pairing: hbd with hbd, auto_failback on.
# Every scenario (rsc-scenarios.sh a-j), hbd held to heartbeat's outcomes too
# (RSC_HB_QUIRKS=yes).  The other pairings and modes: make check-rsc-long.
# Skips (77) without root, test-host support or (for mixed runs) heartbeat.
RSC_HB_QUIRKS=${RSC_HB_QUIRKS:-yes} exec "$(dirname "$0")/rsc-cluster.sh" hbd hbd on
