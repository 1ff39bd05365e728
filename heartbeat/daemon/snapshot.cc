#include "daemon/snapshot.h"

namespace hbd::daemon {

control::Snapshot make_snapshot(const SnapshotBase& base, const std::vector<std::string>& media,
                                const cluster::Membership* membership) {
  control::Snapshot s;
  s.version = base.version;
  s.local_node = base.local_node;
  s.pid = base.pid;
  s.parameters = base.parameters;
  if (!membership) return s;
  s.comm_up = membership->comm_up();
  for (const auto& node : membership->nodes().all()) {
    control::NodeState n;
    n.name = node.name;
    n.type = node.type == cluster::NodeType::Ping ? "ping" : "normal";
    n.status = node.name == s.local_node ? membership->local_status() : node.status;
    for (const auto& medium : media)
      n.links.push_back({medium, membership->links().is_up(node.name, medium) ? "up" : "dead"});
    s.nodes.push_back(std::move(n));
  }
  return s;
}

}  // namespace hbd::daemon
