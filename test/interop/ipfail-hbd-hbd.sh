#!/bin/sh
# make check's ipfail run (ipfail.sh): two hbd nodes, auto_failback on.
exec  "$(dirname "$0")/ipfail.sh" hbd hbd on
