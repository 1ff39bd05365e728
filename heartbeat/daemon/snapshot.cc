#include "daemon/snapshot.h"

namespace hbd::daemon {

control::Snapshot make_snapshot(const SnapshotBase& base, const std::vector<std::string>& media,
                                const cluster::Membership* membership, int64_t now_ms) {
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
    bool ping = node.type == cluster::NodeType::Ping;
    for (const auto& medium : ping ? std::vector<std::string>{node.name} : media)
      n.links.push_back({medium, membership->links().is_up(node.name, medium) ? "up" : "dead"});
    if (node.heard_status && node.name != s.local_node)
      n.heard_ms_ago = static_cast<long>(now_ms - node.last_status_ms);
    s.nodes.push_back(std::move(n));
  }
  return s;
}

void add_counters(control::Snapshot& snapshot, const IntakeCounters& intake,
                  const cluster::Membership* membership) {
  auto& c = snapshot.counters;
  c["packets accepted"] = intake.accepted;
  c["packets rejected"] = intake.rejected;
  for (size_t i = 1; i < wire::kRejectReasons; ++i) {
    auto reason = static_cast<wire::Reject>(i);
    c[std::string("rejected: ") + wire::reject_name(reason)] = intake.count(reason);
  }
  if (!membership) return;
  const cluster::DropCounters& d = membership->drops();
  c["dropped: replayed after death"] = d.replayed_after_death;
  c["dropped: ack beyond our last seq"] = d.ack_beyond_sent;
  c["dropped: our name from another node"] = d.own_name_foreign;
  c["refused: repnodes names"] = d.repnodes_refused;
  c["capped: rexmit requests"] = d.rexmit_replies_capped;
  c["clamped: advertised deadtime"] = d.deadtime_clamped;
}

void add_traffic(control::Snapshot& snapshot, const node::TrafficCounters& t) {
  auto& c = snapshot.counters;
  c["sent: messages"] = t.sent;
  c["sent: retransmissions"] = t.retransmissions;
  c["sent: rexmit requests"] = t.rexmit_requests;
  c["late heartbeats"] = t.late_heartbeats;
}

namespace {

void add_transitions(control::Snapshot& snapshot, const std::string& key, const char* kind,
                     const resources::TransitionHistogram& h) {
  if (h.count == 0) return;
  control::TransitionCounts t{key, kind, {}, {}, h.count, static_cast<long>(h.sum_ms)};
  for (std::size_t b = 0; b < resources::kTransitionBuckets; ++b) {
    t.le_ms.push_back(static_cast<long>(resources::kTransitionBucketsMs[b]));
    t.le.push_back(h.le[b]);
  }
  snapshot.transitions.push_back(std::move(t));
}

}  // namespace

void add_resources(control::Snapshot& snapshot, const resources::Manager& manager,
                   int64_t now_ms) {
  snapshot.rsc_status = manager.rsc_status();
  snapshot.rsc_detail = manager.debug_state();
  for (const auto& g : manager.groups()) {
    control::GroupState out;
    out.key = g.key;
    out.home = g.home;
    out.owner = g.owner;
    out.state = resources::state_name(g.status.state);
    out.age_ms = g.status.since_ms < 0 ? -1 : static_cast<long>(now_ms - g.status.since_ms);
    out.last_transition_ms = static_cast<long>(g.status.last_transition_ms);
    out.error = g.status.last_error;
    snapshot.groups.push_back(std::move(out));
    add_transitions(snapshot, g.key, "start", g.status.starts);
    add_transitions(snapshot, g.key, "stop", g.status.stops);
    if (g.resources.empty()) continue;  // not watched (no hbd.ini)
    control::GroupMonitor& m = snapshot.monitoring[g.key];
    m.relocated_away = g.relocated_away;
    m.failed_both = g.failed_both;
    for (const auto& r : g.resources) {
      control::ResourceFailures f;
      f.resource = r.token;
      f.watched = r.watched;
      f.count = r.fails.count;
      f.last_failure_ms_ago = r.fails.last_ms < 0 ? -1 : static_cast<long>(now_ms - r.fails.last_ms);
      f.reason = r.fails.reason;
      m.resources.push_back(std::move(f));
    }
  }
}

}  // namespace hbd::daemon
