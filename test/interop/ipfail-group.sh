#!/bin/sh
# make check's ipfail run (ipfail.sh): a ping_group (one member still answering: nothing moves; none: the group moves).
exec env PING_GROUP=yes "$(dirname "$0")/ipfail.sh" hbd hbd on
