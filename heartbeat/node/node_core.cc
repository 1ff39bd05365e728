#include "node/node_core.h"

#include <algorithm>
#include <set>

namespace hbd::node {

namespace {

// What an admin's FIFO block may not be: these drive the protocol itself.
bool protocol_type(const std::string& type) {
  static const std::set<std::string> kTypes = {"status", "reqnodes", "repnodes"};
  return kTypes.count(type) > 0 || type.rfind("NS_", 0) == 0;
}

}  // namespace

NodeCore::NodeCore(NodeSettings settings, Effects& effects, cluster::Random& rng,
                   cluster::Outgoing::WallSeconds wall_seconds, resources::Locator locate,
                   cluster::Outgoing::LoadAverage load_average)
    : effects_(effects) {
  cluster::Sink& sink = *this;
  membership_ = std::make_unique<cluster::Membership>(
      std::move(settings.membership), sink, rng, std::move(wall_seconds),
      std::move(load_average));
  resources_ =
      std::make_unique<resources::Manager>(std::move(settings.resources), std::move(locate));
  if (settings.ipfail) ipfail_ = std::make_unique<resources::Ipfail>(std::move(*settings.ipfail));
}

wire::Message ipfail_giveup_message(const std::string& me, const std::string& hold) {
  wire::Message m;
  m.add("t", "ask_resources");
  m.add("rsc_hold", hold);
  m.add("src", me);
  m.add("info", "me");
  m.add("from_id", "ipfail");
  m.add("to_id", "ipfail");
  m.add("client_gen", "0");
  return m;
}

void NodeCore::start(int64_t now) {
  now_ = now;
  membership_->start(now);
}

void NodeCore::receive(const wire::Message& message, const std::string& medium, int64_t now) {
  if (finished_) return;
  now_ = now;
  membership_->receive(message, medium, now);
}

void NodeCore::tick(int64_t now) {
  if (finished_) return;
  now_ = now;
  membership_->tick(now);
  resources::Actions actions;
  resources::Out out(actions);
  resources_->on_time(now, out);
  take(std::move(actions));
  if (ipfail_ && now >= ipfail_->next_deadline()) {
    ipfail_->set_resources(resources_->stable(), (resources_->holdings() & resources::kForeign) != 0);
    ipfail_take(ipfail_->on_deadline(now));
  }
}

int64_t NodeCore::next_deadline() const {
  int64_t next = std::min(membership_->next_deadline(), resources_->next_deadline());
  return ipfail_ ? std::min(next, ipfail_->next_deadline()) : next;
}

void NodeCore::script_done(const resources::ScriptOutcome& outcome, int64_t now) {
  if (finished_) return;
  now_ = now;
  resources::Actions actions;
  resources::Out out(actions);
  resources_->on_script_done(outcome, now, out);
  take(std::move(actions));
}

bool NodeCore::submit(wire::Message message, int64_t now, std::string& why) {
  const std::string* type = message.get("t");
  if (!type || type->empty()) {
    why = "no message type (t=)";
    return false;
  }
  if (protocol_type(*type)) {
    why = "message type " + *type + " is heartbeat's own protocol";
    return false;
  }
  if (finished_) {
    why = "shutting down";
    return false;
  }
  now_ = now;
  membership_->send(std::move(message), now);
  return true;
}

void NodeCore::request_shutdown(int64_t now) {
  now_ = now;
  resources::Actions actions;
  resources::Out out(actions);
  resources_->request_shutdown(now, false, out);
  take(std::move(actions));
}

bool NodeCore::cleanup(const std::string& target, int64_t now) {
  if (finished_) return false;
  now_ = now;
  resources::Actions actions;
  resources::Out out(actions);
  bool known = resources_->cleanup(target, now, out);
  take(std::move(actions));
  return known;
}

void NodeCore::send(const wire::Message& message, cluster::SendKind kind) {
  if (kind == cluster::SendKind::Retransmission) {
    ++traffic_.retransmissions;
  } else {
    ++traffic_.sent;
    if (message.get_or("t", "") == "NS_rexmit") ++traffic_.rexmit_requests;
  }
  effects_.transmit(message, kind);
}

void NodeCore::log(log::Level level, const std::string& text) { effects_.log(level, text); }

bool NodeCore::is_peer(const std::string& name) const {
  if (name == membership_->params().local_node) return false;
  const cluster::Node* node = membership_->nodes().find(name);
  return node && node->type == cluster::NodeType::Normal;
}

void NodeCore::event(const cluster::Event& e) {
  if (e.type == cluster::EventType::CommUp) effects_.comm_up();
  if (e.type == cluster::EventType::LateHeartbeat) ++traffic_.late_heartbeats;
  if (effects_.wants_notify())
    if (auto n = notify_event_of(e)) effects_.notify(*n);
  resource_event(e);
  ipfail_event(e);
}

// ipfail hears what heartbeat's API would tell the real one: comm up, node
// and ping node status, the messages addressed to it, and the peer's
// stability (its `resource … isstable=1` without info).
void NodeCore::ipfail_event(const cluster::Event& e) {
  if (!ipfail_ || finished_) return;
  ipfail_->set_resources(resources_->stable(), (resources_->holdings() & resources::kForeign) != 0);
  using cluster::EventType;
  switch (e.type) {
    case EventType::CommUp: ipfail_take(ipfail_->on_comm_up(now_)); break;
    case EventType::NodeStatus: {
      const cluster::Node* node = membership_->nodes().find(e.node);
      bool ping = node && node->type == cluster::NodeType::Ping;
      if (ping || is_peer(e.node)) ipfail_take(ipfail_->on_node_status(now_, e.node, e.status, ping));
      break;
    }
    case EventType::Delivered:
      // ipfail picks its own messages and the peer's stability reports.
      if (e.message && is_peer(e.node)) ipfail_take(ipfail_->on_message(now_, *e.message));
      break;
    default: break;
  }
}

void NodeCore::ipfail_take(std::vector<resources::IpfailAction> actions) {
  const std::string& me = membership_->params().local_node;
  for (auto& a : actions) {
    switch (a.kind) {
      case resources::IpfailAction::Kind::Send: membership_->send(std::move(a.message), now_); break;
      case resources::IpfailAction::Kind::GiveUp:
        membership_->send(ipfail_giveup_message(me, a.hold), now_);
        break;
      case resources::IpfailAction::Kind::Log: effects_.log(a.level, a.text); break;
    }
  }
}

void NodeCore::resource_event(const cluster::Event& e) {
  resources::Actions actions;
  resources::Out out(actions);
  resources::Manager& rm = *resources_;
  using cluster::EventType;
  switch (e.type) {
    case EventType::CommUp: rm.on_comm_up(now_, out); break;
    case EventType::NodeDead:
      if (is_peer(e.node)) rm.on_node_dead(e.node, now_, out);
      break;
    case EventType::NodeStatus:
      if (is_peer(e.node)) rm.on_node_status(e.node, e.status, now_, out);
      break;
    case EventType::Restart:
      if (is_peer(e.node)) rm.on_node_restart(e.node, now_, out);
      break;
    case EventType::PartitionReturn:
      if (is_peer(e.node)) rm.on_partition_return(e.node, now_, out);
      break;
    case EventType::LinkUp:
    case EventType::LinkDead:
      rm.on_link(e.node, e.medium, e.type == EventType::LinkUp, now_, out);
      break;
    case EventType::Delivered:
      if (e.message && (is_peer(e.node) || e.node == membership_->params().local_node))
        rm.on_message(e.node, *e.message, now_, out);
      break;
    case EventType::LocalHeartbeatLost:
      // heartbeat gives up its resources, then restarts (config-and-tools §4.6).
      rm.request_shutdown(now_, true, out);
      break;
    default: break;
  }
  take(std::move(actions));
}

void NodeCore::take(resources::Actions actions) {
  for (auto& a : actions) pending_.push_back(std::move(a));
  drain();
}

void NodeCore::drain() {
  if (draining_) return;
  draining_ = true;
  while (!pending_.empty() && !finished_) {
    resources::Action a = std::move(pending_.front());
    pending_.pop_front();
    perform(a);
  }
  draining_ = false;
  notify_group_changes();
}

void NodeCore::notify_group_changes() {
  if (!effects_.wants_notify()) return;
  for (const auto& n : group_watch_.changes(resources_->groups())) effects_.notify(n);
}

void NodeCore::perform(const resources::Action& a) {
  using Kind = resources::Action::Kind;
  switch (a.kind) {
    case Kind::Send: membership_->send(a.message, now_); break;
    case Kind::Log: effects_.log(a.level, a.text); break;
    case Kind::RunScript: effects_.run_script(a.call); break;
    case Kind::Announce: effects_.announce(a.addresses); break;
    case Kind::Reboot: effects_.reboot(); break;
    case Kind::ShutdownComplete:
      finished_ = true;
      effects_.finished(resources_->restart_after_shutdown());
      break;
  }
}

}  // namespace hbd::node
