#!/bin/sh
# make check's ipfail run (ipfail.sh): hbd beside heartbeat 3.0.6 running its real ipfail, auto_failback on.
exec  "$(dirname "$0")/ipfail.sh" hbd hb on
