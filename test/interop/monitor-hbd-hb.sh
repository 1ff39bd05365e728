#!/bin/sh
# make check: hbd.ini monitoring (monitor.sh) with heartbeat 3.0.6 as node2: the
# relocation is heartbeat's standby protocol, which the real heartbeat answers.
exec "$(dirname "$0")/monitor.sh" hb
