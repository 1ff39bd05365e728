#!/bin/sh
# make check's whole story (story.sh) with node1 running hbd and node2 hbd:
# VIP, shared ext4, Apache and RabbitMQ through hbd's resource.d scripts.
exec "$(dirname "$0")/story.sh" hbd hbd
