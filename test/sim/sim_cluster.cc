#include "test/sim/sim_cluster.h"

#include <algorithm>
#include <limits>

namespace hbd::sim {

using cluster::EventType;
using cluster::Membership;

namespace {
constexpr size_t kTraceLines = 600;
constexpr int64_t kEpochSeconds = 1795295131;  // wall clock at virtual t=0

std::string summary(const wire::Message& m) {
  std::string out;
  for (const char* name : {"t", "st", "dest", "seq", "hg", "ackseq", "firstseq", "lastseq"}) {
    if (const std::string* v = m.get(name)) out += std::string(" ") + name + "=" + *v;
  }
  return out;
}
const char* event_name(EventType type) {
  switch (type) {
    case EventType::NodeStatus: return "NodeStatus";
    case EventType::NodeDead: return "NodeDead";
    case EventType::LinkUp: return "LinkUp";
    case EventType::LinkDead: return "LinkDead";
    case EventType::LateHeartbeat: return "LateHeartbeat";
    case EventType::Restart: return "Restart";
    case EventType::PartitionReturn: return "PartitionReturn";
    case EventType::CommUp: return "CommUp";
    case EventType::LocalHeartbeatLost: return "LocalHeartbeatLost";
    case EventType::Delivered: return "Delivered";
    case EventType::Lost: return "Lost";
    case EventType::FlowControlOff: return "FlowControlOff";
  }
  return "?";
}
}  // namespace

struct SimCluster::Node : cluster::Sink {
  SimCluster& sim;
  int index;
  cluster::Params params;
  std::unique_ptr<Membership> core;
  int64_t last_status_sent = std::numeric_limits<int64_t>::min() / 2;

  Node(SimCluster& s, int i, cluster::Params p) : sim(s), index(i), params(std::move(p)) {}

  void send(const wire::Message& m, cluster::SendKind kind) override {
    bool rexmit = kind == cluster::SendKind::Retransmission;
    // A resent status refreshes the peer too when its ts is not older (§5.1).
    if (m.get_or("t", "") == "status") last_status_sent = sim.now_;
    if (sim.trace_enabled_) sim.trace(params.local_node + (rexmit ? " RESEND" : " send") + summary(m));
    sim.network_.send(index, m, rexmit, sim.now_);
  }
  void log(log::Level level, const std::string& text) override {
    if (sim.trace_enabled_) sim.trace(params.local_node + " " + log::level_label(level) + ": " + text);
  }
  void event(const cluster::Event& e) override {
    int subject = sim.index_of(e.node);
    if (e.type != EventType::Delivered && sim.trace_enabled_) {
      sim.trace(params.local_node + " event " + event_name(e.type) + " " + e.node + " " +
                e.medium + e.status);
    }
    sim.invariants_.event(index, subject, e, sim.now_);
  }
};

SimCluster::SimCluster(uint64_t seed, std::vector<cluster::Params> params,
                       std::vector<std::string> media, Faults faults)
    : rng_(seed),
      network_(rng_, static_cast<int>(params.size()), std::move(media)),
      invariants_(static_cast<int>(params.size()), faults.max_delay_ms) {
  network_.set_faults(faults);
  for (size_t i = 0; i < params.size(); ++i) {
    nodes_.push_back(std::make_unique<Node>(*this, static_cast<int>(i), std::move(params[i])));
  }
}

SimCluster::~SimCluster() = default;

void SimCluster::at(int64_t when, std::string what, std::function<void()> action) {
  actions_.push_back({when, action_order_++, std::move(what), std::move(action)});
}

void SimCluster::start(int i) {
  Node& n = *nodes_[i];
  n.core = std::make_unique<Membership>(n.params, n, rng_, [this] { return kEpochSeconds + now_ / 1000; });
  invariants_.forget_observer(i);
  n.core->start(now_);
}

void SimCluster::crash(int i) { nodes_[i]->core.reset(); }

void SimCluster::restart(int i) {
  crash(i);
  nodes_[i]->params.generation += 1;
  start(i);
}

void SimCluster::isolate(int node, bool on) {
  for (int other = 0; other < size(); ++other) {
    if (other == node) continue;
    network_.cut(node, other, on);
    network_.cut(other, node, on);
  }
}

bool SimCluster::running(int i) const { return nodes_[i]->core != nullptr; }
const Membership& SimCluster::core(int i) const { return *nodes_[i]->core; }
uint64_t SimCluster::generation(int i) const { return nodes_[i]->params.generation; }
int64_t SimCluster::last_status_sent(int i) const { return nodes_[i]->last_status_sent; }

int SimCluster::index_of(const std::string& name) const {
  for (const auto& n : nodes_) {
    if (n->params.local_node == name) return n->index;
  }
  return -1;
}

int64_t SimCluster::next_action_at() const {
  int64_t next = std::numeric_limits<int64_t>::max();
  for (const auto& a : actions_) next = std::min(next, a.at);
  return next;
}

void SimCluster::deliver(const Delivery& d) {
  Node& to = *nodes_[d.to];
  if (!to.core) return;
  to.core->receive(*d.message, d.medium, now_);
  const Node& from = *nodes_[d.from];
  // Only what the current incarnation sent fresh counts as "it is alive".
  if (!d.retransmission && d.message->get_or("t", "") == "status" &&
      d.message->get_or("hg", "") == cluster::to_hex(from.params.generation)) {
    invariants_.status_delivered(d.to, d.from, now_);
  }
}

void SimCluster::run_until(int64_t until) {
  for (;;) {
    int64_t next = std::min(network_.next_at(), next_action_at());
    for (const auto& n : nodes_) {
      if (n->core) next = std::min(next, n->core->next_deadline());
    }
    if (next > until) break;
    now_ = std::max(now_, next);
    invariants_.check_deadlines(now_);
    if (next_action_at() <= now_) {
      auto it = std::min_element(actions_.begin(), actions_.end(), [](const Action& a, const Action& b) {
        return a.at != b.at ? a.at < b.at : a.order < b.order;
      });
      Action action = std::move(*it);
      actions_.erase(it);
      if (trace_enabled_) trace("== " + action.what);
      action.run();
    } else if (network_.next_at() <= now_) {
      deliver(network_.pop());
    } else {
      for (const auto& n : nodes_) {
        if (n->core && n->core->next_deadline() <= now_) n->core->tick(now_);
      }
    }
  }
  now_ = std::max(now_, until);
  invariants_.check_deadlines(now_);
}

void SimCluster::trace(const std::string& line) {
  trace_.push_back("t=" + std::to_string(now_) + " " + line);
  if (trace_.size() > kTraceLines) trace_.pop_front();
}

std::string SimCluster::trace_tail(size_t lines) const {
  std::string out;
  size_t skip = trace_.size() > lines ? trace_.size() - lines : 0;
  for (size_t i = skip; i < trace_.size(); ++i) out += trace_[i] + "\n";
  return out;
}

}  // namespace hbd::sim
