#include "cluster/ping.h"

namespace hbd::cluster {

wire::Message ping_status_message(const std::string& ping_node, bool group,
                                  const std::string& status_ts) {
  wire::Message m;
  m.add("t", "NS_st");
  m.add("st", "ping");
  m.add("info", group ? "ping_group" : "ping");
  m.add("src", ping_node);
  m.add("ts", status_ts);
  return m;
}

}  // namespace hbd::cluster
