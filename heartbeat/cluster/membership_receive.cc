// The receive path of the membership core (wire-protocol §4.6, §5.1–§5.7).
#include <algorithm>
#include <sstream>

#include "cluster/membership.h"
#include "config/defaults.h"

namespace hbd::cluster {

using log::Level;

void Membership::receive(const wire::Message& m, const std::string& medium, int64_t now) {
  last_now_ = std::max(last_now_, now);
  process(m, medium, now);
  flush(now);
}

void Membership::process(const wire::Message& m, const std::string& medium, int64_t now) {
  const std::string* src = m.get("src");
  const std::string* type = m.get("t");
  if (!src || !type) {
    log(Level::Debug, "dropped a message without src or t");
    return;
  }
  Node* node = nodes_.find(*src);
  if (!node) {
    log(Level::Error, "process_status_message: bad node [" + *src + "] in message");
    return;
  }
  if (is_self(*node) && !medium.empty() && !is_our_echo(m, *type)) {
    ++drops_.own_name_foreign;
    log_limited(Level::Error, "own name on " + medium,
                "Another node uses our name " + node->name + ": dropped its " + *type +
                    " on " + medium + " [gen = " + m.get_or("hg", "") +
                    ", seq = " + m.get_or("seq", "") + "]",
                now);
    return;
  }
  if (is_unsequenced(*type)) {
    process_unsequenced(*node, m, *type, medium, now);
  } else {
    process_sequenced(*node, m, *type, medium, now);
  }
}

// A packet with our name from the network must be one we sent, heard back:
// our generation, and (sequenced) a seq we used with the same type and time.
// A clone of this machine (same name, maybe the same generation file) sends
// others; taking them would rewrite our own generation and seqs.
bool Membership::is_our_echo(const wire::Message& m, const std::string& type) const {
  uint64_t generation = 0;
  if (!parse_hex(m.get_or("hg", ""), generation) || generation != params_.generation) {
    return false;
  }
  if (is_unsequenced(type)) return true;
  uint64_t seq = 0;
  if (!parse_hex(m.get_or("seq", ""), seq) || seq == 0 || seq > out_.last_seq()) return false;
  const wire::Message* sent = history_.find(seq);
  if (!sent) return seq < history_.lowest();  // too old to compare: a duplicate anyway
  for (const char* field : {"t", "ts", "st"}) {
    if (sent->get_or(field, "") != m.get_or(field, "")) return false;
  }
  return true;
}

// NS_ messages skip sequence and generation checks (§5.6 point 5).
void Membership::process_unsequenced(Node& node, const wire::Message& m,
                                     const std::string& type, const std::string& medium,
                                     int64_t now) {
  note_packet(node, medium, now);
  if (type == "NS_nak_rexmit") {
    process_nak(node, m);  // whatever the dest
    return;
  }
  if (!addressed_to_us(m)) return;
  if (type == "NS_ackmsg") {
    process_ack(node, m, now);
  } else if (type == "NS_rexmit") {
    if (!is_self(node)) serve_rexmit(node, m, now);
  } else if (type == "NS_st") {
    process_ping_status(node, m, now);
  }
  deliver(node, 0, m);
}

void Membership::process_sequenced(Node& node, const wire::Message& m,
                                   const std::string& type, const std::string& medium,
                                   int64_t now) {
  uint64_t seq = 0;
  uint64_t generation = 0;
  if (!parse_hex(m.get_or("seq", ""), seq) || seq == 0) {
    log(Level::Debug, "dropped a " + type + " from " + node.name + " without a valid seq");
    return;
  }
  if (!parse_hex(m.get_or("hg", ""), generation)) {
    log(Level::Debug, "dropped a " + type + " from " + node.name + " without a valid hg");
    return;
  }
  GenCheck gen = check_generation(node, generation, type == "status");
  if (gen == GenCheck::Drop || is_replay_after_death(node, seq, gen, now)) return;
  SeqResult result = node.seqs.record(seq);
  // A copy older than the last one seen does not even refresh its link (§4.6).
  if (result.verdict == SeqVerdict::Old) return;
  note_packet(node, medium, now);
  if (result.verdict == SeqVerdict::Duplicate) return;
  account_sequence(node, seq, result, now);
  learn_uuid(node, m);
  // Sequenced before filtered: every node accounts for every message.
  if (!addressed_to_us(m)) return;
  if (type == "status") {
    process_status(node, m, seq, gen, now);
  } else if (type == "reqnodes") {
    if (!is_self(node)) answer_reqnodes(node);
  } else if (type == "repnodes" && !is_self(node)) {
    deliver(node, seq, m);
    apply_repnodes(m, now);  // may reshape the table: `node` is not used after
    return;
  }
  deliver(node, seq, m);
}

Membership::GenCheck Membership::check_generation(Node& node, uint64_t generation,
                                                  bool is_status) {
  if (!node.generation) {
    node.generation = generation;
    return GenCheck::First;
  }
  if (generation < *node.generation) {
    log(Level::Error, "should_drop_message: attempted replay attack [" + node.name +
                          "]? [gen = " + std::to_string(generation) +
                          ", curgen = " + std::to_string(*node.generation) + "]");
    return GenCheck::Drop;
  }
  if (generation == *node.generation) return GenCheck::Same;
  // Only a status announces a new incarnation; anything else before it
  // would be sequenced against the old one.
  if (!is_status) return GenCheck::Drop;
  log(Level::Info, "Heartbeat restart on node " + node.name);
  node.forget_session();
  node.replay_floor = 0;  // a new incarnation counts from 1 again
  node.flow_control = true;
  node.generation = generation;
  rexmit_.cancel_node(node.name);
  emit({EventType::Restart, node.name});
  return GenCheck::Restarted;
}

// Death forgets a node's seqs but not how far they went (node.replay_floor):
// a copy from before its death is a replay, not the node returning. A node
// that returns after a partition sends higher seqs; one that restarted, a
// higher generation.
bool Membership::is_replay_after_death(const Node& node, uint64_t seq, GenCheck gen,
                                       int64_t now) {
  if (gen != GenCheck::Same || seq > node.replay_floor) return false;
  ++drops_.replayed_after_death;
  log_limited(Level::Warn, "replay from " + node.name,
              "Dropped a replayed packet from " + node.name + ": seq " + std::to_string(seq) +
                  " is not above " + std::to_string(node.replay_floor) +
                  ", its last before it was declared dead",
              now);
  return true;
}

void Membership::account_sequence(Node& node, uint64_t seq, const SeqResult& r,
                                  int64_t now) {
  switch (r.verdict) {
    case SeqVerdict::InOrder:
      if (seq % 10 == static_cast<uint64_t>(node.ack_trigger) && node.seqs.missing().empty()) {
        send_ack(node, seq);
      }
      break;
    case SeqVerdict::Gap:
      log(Level::Warn, std::to_string(seq - r.previous_last - 1) + " lost packet(s) for [" +
                           node.name + "] [" + std::to_string(r.previous_last) + ":" +
                           std::to_string(seq) + "]");
      for (uint64_t missing : r.new_missing) rexmit_.schedule(node.name, missing, now, rng_);
      break;
    case SeqVerdict::Reset:
      log(Level::Error, "lost a lot of packets!");
      rexmit_.cancel_node(node.name);
      break;
    case SeqVerdict::LateFill:
      rexmit_.cancel(node.name, seq);
      if (r.gap_closed) {
        log(Level::Info, "No pkts missing from " + node.name + "!");
        send_ack(node, *node.seqs.last());
      }
      break;
    default:
      break;
  }
}

void Membership::send_ack(Node& node, uint64_t seq) {
  if (!params_.flow_control || !node.flow_control) return;
  wire::Message ack;
  ack.add("t", "NS_ackmsg");
  ack.add("dest", node.name);
  ack.add("ackseq", to_hex(seq));
  transmit(std::move(ack));
}

void Membership::note_packet(Node& node, const std::string& medium, int64_t now) {
  node.any_packets = true;
  if (medium.empty()) return;  // our own loopback copy
  if (links_.heard(node.name, medium, now)) {
    log(Level::Info, "Link " + node.name + ":" + medium + " up.");
    Event e{EventType::LinkUp, node.name};
    e.medium = medium;
    emit(e);
  }
}

// §5.5: adopt a new uuid for a known name; a uuid another entry had moves.
void Membership::learn_uuid(Node& node, const wire::Message& m) {
  const wire::Field* f = m.find("srcuuid");
  if (!f || f->value.size() != 16 || uuid_is_null(f->value) || node.uuid == f->value) return;
  if (Node* other = nodes_.find_by_uuid(f->value)) other->uuid.clear();
  bool changed = !node.uuid.empty();
  node.uuid = f->value;
  if (changed) log(Level::Info, "node " + node.name + " changed its uuid to " + uuid_text(f->value));
}

// A non-null destuuid is authoritative; otherwise dest decides.
bool Membership::addressed_to_us(const wire::Message& m) const {
  const wire::Field* du = m.find("destuuid");
  if (du && !params_.uuid.empty() && du->value.size() == 16 && !uuid_is_null(du->value)) {
    return du->value == params_.uuid;
  }
  const std::string* dest = m.get("dest");
  return !dest || *dest == params_.local_node;
}

void Membership::process_status(Node& node, const wire::Message& m, uint64_t seq,
                                 GenCheck gen, int64_t now) {
  const std::string* st = m.get("st");
  if (!st || st->empty()) return;
  uint64_t ts = 0;
  parse_hex(m.get_or("ts", ""), ts);
  // A late-filled status older in both respects says nothing new.
  if (static_cast<int64_t>(ts) < node.last_ts && seq < node.last_status_seq) return;
  if (!is_self(node)) {
    if (gen == GenCheck::Same && node.is_dead()) {
      log(Level::Crit, "Cluster node " + node.name + " returning after partition.");
      log(Level::Info, "For information on cluster partitions, See URL: "
                       "http://linux-ha.org/wiki/Split_Brain");
      log(Level::Warn, "Deadtime value may be too small.");
      log(Level::Info, "See FAQ for information on tuning deadtime.");
      log(Level::Info, "URL: http://linux-ha.org/wiki/FAQ#Heavy_Load");
      emit({EventType::PartitionReturn, node.name});
    }
    // Declaring it dead forgets its seqs; this message starts the new count,
    // so that its own copies are duplicates and not delivered twice.
    if (check_late_heartbeat(node, now)) node.seqs.record(seq);
  }
  node.last_status_ms = now;
  node.heard_status = true;
  node.last_ts = static_cast<int64_t>(ts);
  node.last_status_seq = seq;
  learn_deadtime(node, m, now);
  if (!is_self(node) && !m.has("protocol") && node.flow_control) {
    node.flow_control = false;
    log(Level::Info, "flow control disabled due to different version heartbeat");
    emit({EventType::FlowControlOff, node.name});
  }
  update_status(node, *st);
}

// The peer's dt is the deadtime we apply to it, within sane bounds: a hostile
// or broken value must neither make it flap nor hide its death.
void Membership::learn_deadtime(Node& node, const wire::Message& m, int64_t now) {
  uint64_t dt = 0;
  if (!parse_hex(m.get_or("dt", ""), dt)) return;
  auto lo = static_cast<uint64_t>(min_advertised_deadtime_ms(params_));
  auto hi = static_cast<uint64_t>(kMaxAdvertisedDeadtimeMs);
  auto sane = static_cast<int64_t>(std::clamp(dt, lo, hi));
  bool changed = node.dt_ms != sane;
  node.dt_ms = sane;
  if (static_cast<uint64_t>(sane) == dt) return;
  ++drops_.deadtime_clamped;
  if (!changed) return;  // said once; a constant hostile dt adds nothing
  log_limited(Level::Warn, "deadtime of " + node.name,
              "node " + node.name + " advertises a deadtime of " + std::to_string(dt) +
                  " ms: using " + std::to_string(sane) + " ms",
              now);
}

bool Membership::check_late_heartbeat(Node& node, int64_t now) {
  if (!node.heard_status) return false;
  int64_t interval = now - node.last_status_ms;
  int64_t deadtime = deadtime_of(node);
  bool too_late = interval > deadtime;
  if (!too_late && interval <= params_.warntime_ms) return false;
  std::string text = "Late heartbeat: Node " + node.name + ": interval " +
                     std::to_string(interval) + " ms";
  if (too_late) text += " (> deadtime)";
  log(too_late ? Level::Crit : Level::Warn, text);
  Event e{EventType::LateHeartbeat, node.name};
  e.interval_ms = interval;
  emit(e);
  // 3.0.x: it should have been declared dead already; do so, then revive it.
  if (!too_late) return false;
  declare_dead(node, deadtime, now);
  // Our side took its groups over while it kept running them: for the
  // resources this is a partition that has already healed (heartbeat itself
  // does not notice and leaves both nodes owning them).
  emit({EventType::PartitionReturn, node.name});
  return true;
}

void Membership::process_ping_status(Node& node, const wire::Message& m, int64_t now) {
  if (node.type != NodeType::Ping) return;
  (void)m;
  node.last_status_ms = now;
  node.heard_status = true;
  update_status(node, "ping");
}

void Membership::update_status(Node& node, const std::string& status) {
  if (node.status == status) return;
  node.status = status;
  if (is_self(node)) return;  // our own status is logged as "Local status"
  if (status != "dead") log(Level::Info, "Status update for node " + node.name + ": status " + status);
  Event e{EventType::NodeStatus, node.name};
  e.status = status;
  emit(e);
}

void Membership::answer_reqnodes(const Node& node) {
  // Our status first: a 3.0.6 node decides at its comm up whether we are
  // active (in legacy mode: whether it asks us for its groups or takes them
  // unasked while we run them). Right after its restart it may have heard
  // only a non-status packet from us (our stonith message) by then.
  send_status();
  std::string list;
  for (const auto& n : nodes_.all()) {
    if (n.type == NodeType::Normal) list += n.name + " ";
  }
  wire::Message m;
  m.add("dest", node.name);  // before t, as 3.0.6 sends it
  m.add("t", "repnodes");
  m.add("nodelist", list);
  m.add("delnodelist", " ");
  transmit(std::move(m));
}

// The peer's list replaces ours (§5.3): unlisted normal nodes go away.
void Membership::apply_repnodes(const wire::Message& m, int64_t now) {
  std::vector<std::string> listed = acceptable_names(m, now);
  if (listed.empty()) return;  // a malformed answer must not empty the cluster
  std::vector<std::string> gone;
  for (const auto& n : nodes_.all()) {
    bool keep = n.type != NodeType::Normal || is_self(n) ||
                std::find(listed.begin(), listed.end(), n.name) != listed.end();
    if (!keep) gone.push_back(n.name);
  }
  for (const auto& name : gone) {
    log(Level::Info, "Removing node " + name + " (not in the node list of a peer)");
    nodes_.remove(name);
    links_.forget_node(name);
    rexmit_.cancel_node(name);
  }
  for (const auto& name : listed) {
    if (nodes_.find(name)) continue;
    if (nodes_.all().size() >= config::defaults::kMaxNodes) break;  // ping nodes count too
    log(Level::Info, "Adding node " + name + " (in the node list of a peer)");
    nodes_.add(name, NodeType::Normal);
    Node* added = nodes_.find(name);
    added->last_status_ms = now;
    added->ack_trigger = static_cast<int>(rng_.between(0, 9));
  }
  comm_up_pending_ = true;
}

// The names of a repnodes list that fit heartbeat's tables: at most
// MAXNODE of them, none longer than HOSTLENG allows. The rest are refused.
std::vector<std::string> Membership::acceptable_names(const wire::Message& m, int64_t now) {
  std::istringstream in(m.get_or("nodelist", ""));
  std::vector<std::string> names;
  uint64_t refused = 0;
  for (std::string name; in >> name;) {
    bool fits = name.size() <= config::defaults::kMaxNodeName &&
                names.size() < config::defaults::kMaxNodes;
    if (!fits) {
      ++refused;
      continue;
    }
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  if (refused == 0) return names;
  drops_.repnodes_refused += refused;
  log_limited(Level::Error, "repnodes",
              "Refused " + std::to_string(refused) + " name(s) of a node list from a peer: at most " +
                  std::to_string(config::defaults::kMaxNodes) + " nodes of up to " +
                  std::to_string(config::defaults::kMaxNodeName) + " characters",
              now);
  return names;
}

void Membership::serve_rexmit(Node& node, const wire::Message& m, int64_t now) {
  uint64_t first = 0, last = 0;
  if (!parse_decimal(m.get_or("firstseq", ""), first) ||
      !parse_decimal(m.get_or("lastseq", ""), last) || last < first) {
    log(Level::Debug, "ignored a malformed NS_rexmit from " + node.name);
    return;
  }
  auto actions = history_.plan(first, last, node.acked, now, params_.max_rexmit_delay_ms);
  if (actions.size() >= kMaxRepliesPerRequest) ++drops_.rexmit_replies_capped;
  for (const auto& action : actions) {
    if (action.kind == ResendAction::Resend) {
      sink_.send(*history_.find(action.seq), SendKind::Retransmission);
      continue;
    }
    wire::Message nak;
    nak.add("t", "NS_nak_rexmit");
    nak.add("firstseq", to_hex(action.seq));
    nak.add("dest", node.name);
    nak.add("info", action.reason);
    transmit(std::move(nak));
  }
}

// An ack for a seq we never sent would make us skip every later request of
// that peer (acked seqs are not resent): heartbeat refuses it, so do we.
void Membership::process_ack(Node& node, const wire::Message& m, int64_t now) {
  uint64_t acked = 0;
  if (!parse_hex(m.get_or("ackseq", ""), acked)) return;
  if (acked > out_.last_seq()) {
    ++drops_.ack_beyond_sent;
    log_limited(Level::Warn, "ack from " + node.name,
                "Dropped an ack from " + node.name + " for seq " + std::to_string(acked) +
                    ", beyond our last seq " + std::to_string(out_.last_seq()),
                now);
    return;
  }
  node.acked = std::max(node.acked, acked);
}

void Membership::process_nak(Node& node, const wire::Message& m) {
  uint64_t seq = 0;
  if (!parse_hex(m.get_or("firstseq", ""), seq) || !node.seqs.is_missing(seq)) return;
  node.seqs.give_up(seq);
  rexmit_.cancel(node.name, seq);
  if (addressed_to_us(m)) {
    log(Level::Error, "Irretrievably lost packet: node " + node.name + " seq " +
                          std::to_string(seq));
  }
  Event e{EventType::Lost, node.name};
  e.seq = seq;
  emit(e);
}

void Membership::deliver(const Node& node, uint64_t seq, const wire::Message& m) {
  Event e{EventType::Delivered, node.name};
  e.seq = seq;
  e.message = &m;
  emit(e);
}

}  // namespace hbd::cluster
