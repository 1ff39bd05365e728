// What a ping medium carries (wire-protocol §5.9): with every status this
// node sends, each ping node gets an ICMP echo request whose payload is a
// signed heartbeat message naming that ping node as its source. The echo
// reply brings the message back, and it is then processed as if the ping
// node had sent it: its status becomes `ping`. Purely local.
#pragma once
#include <string>

#include "wire/message.h"

namespace hbd::cluster {

// t=NS_st, st=ping, info=ping|ping_group, src=<ping node>, ts=<the ts of
// the status message it goes out with>, in heartbeat's field order.
wire::Message ping_status_message(const std::string& ping_node, bool group,
                                  const std::string& status_ts);

}  // namespace hbd::cluster
