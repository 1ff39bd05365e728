#include "cluster/membership.h"

#include <algorithm>
#include <limits>

namespace hbd::cluster {

using log::Level;

Membership::Membership(Params params, Sink& sink, Random& rng,
                       Outgoing::WallSeconds wall_seconds, Outgoing::LoadAverage load_average)
    : params_(std::move(params)),
      sink_(sink),
      rng_(rng),
      out_(params_, std::move(wall_seconds), std::move(load_average)),
      rexmit_(params_.max_rexmit_delay_ms) {
  for (const auto& name : params_.nodes) nodes_.add(name, NodeType::Normal);
  for (const auto& name : params_.ping_nodes) nodes_.add(name, NodeType::Ping);
  nodes_.add(params_.local_node, NodeType::Normal);  // even if ha.cf forgot us
  for (auto& node : nodes_.all()) node.ack_trigger = static_cast<int>(rng_.between(0, 9));
  nodes_.find(params_.local_node)->uuid = params_.uuid;
}

void Membership::start(int64_t now) {
  started_ = true;
  start_ms_ = now;
  last_now_ = now;
  for (auto& node : nodes_.all()) node.last_status_ms = now;
  // Real nodes announce init, then up twice, at once.
  send_status();
  set_local_status("up");
  send_status();
  send_status();
  next_status_ms_ = now + params_.keepalive_ms;
  next_reqnodes_ms_ = now;
  flush(now);
}

wire::Message Membership::status_message() const {
  int64_t dt = params_.deadtime_ms;
  if (initial_dt_) dt += kInitialDtExtraMs;  // switched off in tick() after 5 s
  wire::Message m;
  m.add("t", "status");
  m.add("st", local_status_);
  m.add("dt", to_hex(static_cast<uint64_t>(dt)));
  if (params_.flow_control) m.add("protocol", "1");
  return m;
}

void Membership::send_status() { transmit(status_message()); }

void Membership::set_local_status(const std::string& status) {
  local_status_ = status;
  log(Level::Info, "Local status now set to: '" + status + "'");
}

void Membership::tick(int64_t now) {
  if (!started_) return;
  last_now_ = std::max(last_now_, now);
  if (now >= next_status_ms_) {
    send_status();
    next_status_ms_ = std::max(next_status_ms_ + params_.keepalive_ms, now + 1);
    // The handshake result is acted on at the next heartbeat, as 3.0.6 does.
    if (comm_up_pending_ && !comm_up_) comm_now_up();
  }
  if (initial_dt_ && now - start_ms_ >= kInitialDtPeriodMs) {
    initial_dt_ = false;
    send_status();  // a dt change is a status change: announce it now
  }
  check_timeouts(now);
  advance_comm(now);
  send_rexmit_requests(now);
  flush(now);
  for (const auto& held : log_limit_.take_summaries(now)) log(held.level, held.summary());
}

// heartbeat 3.0.6 looks for dead nodes and links every 250 ms, so it notices
// a death up to 250 ms late; we wake exactly when the first thing is due.
int64_t Membership::next_deadline() const {
  int64_t next = std::min({next_status_ms_, rexmit_.next_due(), timeouts_deadline(),
                           comm_deadline()});
  if (initial_dt_) next = std::min(next, start_ms_ + kInitialDtPeriodMs);
  return next;
}

// The first ms at which check_timeouts() has something to do: a node's (or
// our own) silence longer than its deadtime, or a link's.
int64_t Membership::timeouts_deadline() const {
  int64_t next = std::numeric_limits<int64_t>::max();
  for (const auto& node : nodes_.all()) {
    if (is_self(node)) {
      if (local_heartbeat_lost_) continue;
      next = std::min(next, node.last_status_ms + params_.deadtime_ms + 1);
    } else if (!node.is_dead()) {
      next = std::min(next, node.last_status_ms + deadtime_of(node) + 1);
    }
  }
  return std::min(next, links_.next_expiry(params_.local_node, link_deadtimes()));
}

// When advance_comm() next has something to do. Hearing the last node (a
// packet, or a death in a tick) makes it due at once, to note links up; then
// the reqnodes, first after kFirstReqnodesDelayMs, then every second.
// Acting on comm_up_pending_ waits for our next heartbeat (next_status_ms_).
int64_t Membership::comm_deadline() const {
  if (!started_ || comm_up_ || comm_up_pending_) return std::numeric_limits<int64_t>::max();
  if (!links_up_) return everyone_heard() ? last_now_ : std::numeric_limits<int64_t>::max();
  bool asks = flow_control_on() && reqnodes_target();
  return asks ? std::max(next_reqnodes_ms_, last_now_) : last_now_;
}

uint64_t Membership::send(wire::Message message, int64_t now) {
  last_now_ = std::max(last_now_, now);
  uint64_t seq = transmit(std::move(message));
  flush(now);
  return seq;
}

// Messages generated while processing are queued, so that our own loopback
// copy is processed first and replies go out after what caused them.
uint64_t Membership::transmit(wire::Message message) {
  Node* dest = message.has("dest") ? nodes_.find(message.get_or("dest", "")) : nullptr;
  uint64_t seq = out_.stamp(message, dest ? dest->uuid : std::string());
  if (seq != 0) history_.add(seq, message);
  outbox_.push_back(std::move(message));
  return seq;
}

void Membership::flush(int64_t now) {
  if (flushing_) return;
  flushing_ = true;
  while (!outbox_.empty()) {
    wire::Message m = std::move(outbox_.front());
    outbox_.pop_front();
    process(m, std::string(), now);  // loopback: our copies from the net are duplicates
    sink_.send(m, SendKind::Fresh);
  }
  flushing_ = false;
}

int64_t Membership::deadtime_of(const Node& node) const {
  if (node.type == NodeType::Ping) return params_.deadping_ms;
  if (!comm_up_) return params_.initdead_ms;
  return node.dt_ms.value_or(params_.deadtime_ms);
}

void Membership::check_timeouts(int64_t now) {
  for (auto& node : nodes_.all()) {
    if (is_self(node)) {
      check_local_heartbeat(node, now);
      continue;
    }
    if (node.is_dead()) continue;
    int64_t deadtime = deadtime_of(node);
    // Silence longer than the deadtime, as heartbeat compares; timeouts_deadline()
    // is the first ms where this holds.
    if (now - node.last_status_ms > deadtime) declare_dead(node, deadtime, now);
  }
  expire_links(now);
}

void Membership::check_local_heartbeat(const Node& self, int64_t now) {
  if (local_heartbeat_lost_ || now - self.last_status_ms <= params_.deadtime_ms) return;
  local_heartbeat_lost_ = true;
  log(Level::Warn, "node " + self.name + ": is dead");
  log(Level::Error, "No local heartbeat. Forcing restart.");
  log(Level::Info, "See URL: http://linux-ha.org/wiki/FAQ#No_Local_Heartbeat");
  emit({EventType::LocalHeartbeatLost, self.name});
}

void Membership::declare_dead(Node& node, int64_t deadtime, int64_t now) {
  (void)now;
  log(Level::Warn, "node " + node.name + ": is dead");
  // Not forgotten: copies of its packets until now must not revive it.
  node.replay_floor = std::max({node.replay_floor, node.seqs.last().value_or(0),
                                node.last_status_seq});
  node.forget_session();
  rexmit_.cancel_node(node.name);
  Event dead{EventType::NodeDead, node.name};
  dead.interval_ms = deadtime;
  emit(dead);
  update_status(node, "dead");
}

Links::DeadtimeOf Membership::link_deadtimes() const {
  return [this](const std::string& name) {
    const Node* node = nodes_.find(name);
    return node ? deadtime_of(*node) : params_.deadtime_ms;
  };
}

void Membership::expire_links(int64_t now) {
  for (const auto& change : links_.expire(now, params_.local_node, link_deadtimes())) {
    log(Level::Info, "Link " + change.node + ":" + change.medium + " dead.");
    Event e{EventType::LinkDead, change.node};
    e.medium = change.medium;
    emit(e);
  }
}

bool Membership::everyone_heard() const {
  return std::all_of(nodes_.all().begin(), nodes_.all().end(),
                     [](const Node& n) { return n.any_packets || n.is_dead(); });
}

bool Membership::flow_control_on() const {
  if (!params_.flow_control) return false;
  return std::all_of(nodes_.all().begin(), nodes_.all().end(), [](const Node& n) {
    return n.type != NodeType::Normal || n.flow_control;
  });
}

const Node* Membership::reqnodes_target() const {
  for (const auto& node : nodes_.all()) {
    if (node.type == NodeType::Normal && !is_self(node) && !node.is_dead()) return &node;
  }
  return nullptr;
}

// Links up (everyone heard or dead) → ask the first live peer for its node
// list every second; its repnodes brings comm up (wire-protocol §5.3).
void Membership::advance_comm(int64_t now) {
  if (comm_up_ || comm_up_pending_) return;
  if (!links_up_) {
    links_up_ = everyone_heard();
    if (!links_up_) return;
    next_reqnodes_ms_ = std::max(next_reqnodes_ms_, now + kFirstReqnodesDelayMs);
  }
  const Node* target = flow_control_on() ? reqnodes_target() : nullptr;
  if (!target) {
    comm_up_pending_ = true;
    return;
  }
  if (now < next_reqnodes_ms_) return;
  next_reqnodes_ms_ = now + kReqnodesPeriodMs;
  wire::Message m;
  m.add("t", "reqnodes");
  m.add("dest", target->name);
  transmit(std::move(m));
}

void Membership::comm_now_up() {
  comm_up_ = true;
  log(Level::Info, "Comm_now_up(): updating status to active");
  set_local_status("active");
  send_status();
  emit({EventType::CommUp, params_.local_node});
}

void Membership::send_rexmit_requests(int64_t now) {
  if (rexmit_.next_due() > now) return;
  for (const auto& [name, seq] : rexmit_.take_due(now)) {
    const Node* node = nodes_.find(name);
    // Ask only live peers; the entry stays until the packet, a NAK or death.
    if (!node || !node->is_up()) continue;
    wire::Message m;
    m.add("t", "NS_rexmit");
    m.add("dest", name);
    m.add("firstseq", std::to_string(seq));  // decimal, unlike every other number
    m.add("lastseq", std::to_string(seq));
    transmit(std::move(m));
  }
}

void Membership::log(Level level, const std::string& text) { sink_.log(level, text); }

void Membership::log_limited(Level level, std::string key, const std::string& text,
                             int64_t now) {
  if (log_limit_.allow(key, level, now)) log(level, text);
}

void Membership::emit(Event event) { sink_.event(event); }

}  // namespace hbd::cluster
