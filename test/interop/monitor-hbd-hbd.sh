#!/bin/sh
# make check: hbd.ini monitoring (monitor.sh) with an hbd peer: Apache killed on node1
# is restarted in place, killed again the whole group moves to node2.
exec "$(dirname "$0")/monitor.sh" hbd
