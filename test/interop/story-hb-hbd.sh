#!/bin/sh
# make check's whole story (story.sh) with node1 running heartbeat 3.0.6 and node2 hbd:
# VIP, shared ext4, Apache and RabbitMQ through hbd's resource.d scripts.
exec "$(dirname "$0")/story.sh" hb hbd
