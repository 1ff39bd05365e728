#include "node/notify_events.h"

#include <catch2/catch.hpp>

using namespace hbd;
using hbd::node::GroupWatch;
using hbd::node::NotifyEvent;
using hbd::node::notify_event_of;

namespace {

cluster::Event event(cluster::EventType t, const std::string& node, const std::string& medium = "",
                     const std::string& status = "") {
  cluster::Event e(t, node);
  e.medium = medium;
  e.status = status;
  return e;
}

resources::GroupView view(const std::string& key, resources::GroupState state) {
  resources::GroupView v;
  v.key = key;
  v.status.state = state;
  return v;
}

}  // namespace

TEST_CASE("notify: node, link and comm events become hook words", "[node][notify]") {
  using T = cluster::EventType;
  CHECK(notify_event_of(event(T::NodeStatus, "node2", "", "dead"))->words ==
        std::vector<std::string>{"node", "node2", "dead"});
  CHECK(notify_event_of(event(T::NodeStatus, "198.18.0.254", "", "ping"))->words ==
        std::vector<std::string>{"node", "198.18.0.254", "ping"});
  CHECK(notify_event_of(event(T::LinkDead, "node2", "eth1"))->words ==
        std::vector<std::string>{"link", "node2", "eth1", "dead"});
  CHECK(notify_event_of(event(T::LinkUp, "node2", "eth1"))->words ==
        std::vector<std::string>{"link", "node2", "eth1", "up"});
  CHECK(notify_event_of(event(T::Restart, "node2"))->words ==
        std::vector<std::string>{"node", "node2", "restarted"});
  CHECK(notify_event_of(event(T::CommUp, "node1"))->words ==
        std::vector<std::string>{"comm", "up"});
  CHECK_FALSE(notify_event_of(event(T::NodeDead, "node2")));  // its NodeStatus "dead" says it
  CHECK_FALSE(notify_event_of(event(T::Delivered, "node2")));
  CHECK_FALSE(notify_event_of(event(T::LateHeartbeat, "node2")));
}

TEST_CASE("notify: group state changes, each once, the first look being the start",
          "[node][notify]") {
  using S = resources::GroupState;
  GroupWatch watch;
  CHECK(watch.changes({view("A", S::Stopped), view("B", S::Stopped)}).empty());
  CHECK(watch.changes({view("A", S::Starting), view("B", S::Stopped)}) ==
        std::vector<NotifyEvent>{{{"group", "A", "starting"}}});
  CHECK(watch.changes({view("A", S::Starting), view("B", S::Stopped)}).empty());
  CHECK(watch.changes({view("A", S::Running), view("B", S::Failed)}) ==
        std::vector<NotifyEvent>{{{"group", "A", "running"}}, {{"group", "B", "failed"}}});
}
