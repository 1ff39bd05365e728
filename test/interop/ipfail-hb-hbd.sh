#!/bin/sh
# make check's ipfail run (ipfail.sh): heartbeat 3.0.6 with its real ipfail beside hbd, auto_failback off.
exec  "$(dirname "$0")/ipfail.sh" hb hbd off
