// What hbd.ini's [notify] hooks are told: one event per node status change,
// link change, peer restart and group state change here, as words (the
// hook's arguments) — pure, so the simulation and tests see the same events
// the daemon hands its hook runner.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cluster/events.h"
#include "resources/manager.h"

namespace hbd::node {

// e.g. {"node", "node2", "dead"}, {"link", "node2", "eth0", "up"},
// {"group", "198.18.1.200/24", "running"}.
struct NotifyEvent {
  std::vector<std::string> words;
  bool operator==(const NotifyEvent& o) const { return words == o.words; }
};

// The event a membership event makes, if any: node status changes (dead
// included), links up and dead, a peer that restarted or came back from a
// partition, and our own comm coming up.
std::optional<NotifyEvent> notify_event_of(const cluster::Event& e);

// Group state changes on this node (stopped/starting/running/stopping/failed),
// found by comparing each look with the one before.
class GroupWatch {
 public:
  std::vector<NotifyEvent> changes(const std::vector<resources::GroupView>& groups);

 private:
  std::map<std::string, resources::GroupState> last_;
};

}  // namespace hbd::node
