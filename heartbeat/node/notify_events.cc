#include "node/notify_events.h"

namespace hbd::node {

std::optional<NotifyEvent> notify_event_of(const cluster::Event& e) {
  using cluster::EventType;
  switch (e.type) {
    case EventType::NodeStatus: return NotifyEvent{{"node", e.node, e.status}};
    case EventType::LinkUp: return NotifyEvent{{"link", e.node, e.medium, "up"}};
    case EventType::LinkDead: return NotifyEvent{{"link", e.node, e.medium, "dead"}};
    case EventType::Restart: return NotifyEvent{{"node", e.node, "restarted"}};
    case EventType::PartitionReturn: return NotifyEvent{{"node", e.node, "returned"}};
    case EventType::CommUp: return NotifyEvent{{"comm", "up"}};
    // NodeDead comes with a NodeStatus "dead"; the rest is protocol detail.
    default: return std::nullopt;
  }
}

std::vector<NotifyEvent> GroupWatch::changes(const std::vector<resources::GroupView>& groups) {
  std::vector<NotifyEvent> out;
  for (const auto& g : groups) {
    auto [it, fresh] = last_.emplace(g.key, g.status.state);
    // The first look is the starting point (all stopped), not a change.
    if (fresh || it->second == g.status.state) continue;
    it->second = g.status.state;
    out.push_back({{"group", g.key, resources::state_name(g.status.state)}});
  }
  return out;
}

}  // namespace hbd::node
