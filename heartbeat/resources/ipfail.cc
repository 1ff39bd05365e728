// heartbeat 3.0.6's ipfail: counting ping nodes, exchanging the count with
// the peer's ipfail, and the delayed give-up (see ipfail.h for the choices).
#include "resources/ipfail.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "resources/types.h"

namespace hbd::resources {

namespace {

constexpr const char* kClient = "ipfail";
constexpr const char* kPingStatus = "ping";
constexpr const char* kDeadStatus = "dead";

void add_log(IpfailActions& out, log::Level level, std::string text) {
  IpfailAction a;
  a.kind = IpfailAction::Kind::Log;
  a.level = level;
  a.text = std::move(text);
  out.push_back(std::move(a));
}
void info(IpfailActions& out, std::string text) {
  add_log(out, log::Level::Info, std::move(text));
}
void debug(IpfailActions& out, std::string text) {
  add_log(out, log::Level::Debug, std::move(text));
}

void send(IpfailActions& out, wire::Message message) {
  IpfailAction a;
  a.kind = IpfailAction::Kind::Send;
  a.message = std::move(message);
  out.push_back(std::move(a));
}

// What the API layer appends to every message a client sends.
wire::Message from_ipfail(wire::Message m) {
  m.add("from_id", kClient);
  m.add("to_id", kClient);
  m.add("client_gen", "0");
  return m;
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// 1 to 9 decimal digits: heartbeat's atoi without its surprises.
std::optional<int> parse_count(const std::string* text) {
  if (!text || text->empty() || text->size() > 9) return std::nullopt;
  int value = 0;
  for (char c : *text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

Ipfail::Ipfail(IpfailSettings settings) : settings_(std::move(settings)) {
  settings_.me = lower(settings_.me);
  settings_.peer = lower(settings_.peer);
  enabled_ = settings_.has_resources && !settings_.legacy && !settings_.peer.empty() &&
             settings_.peer != settings_.me;
}

bool Ipfail::live(IpfailActions& out) {
  if (enabled_) return true;
  if (exit_logged_) return false;
  exit_logged_ = true;
  // heartbeat's ipfail checks resources first, then auto_failback; both exit 100.
  if (!settings_.has_resources)
    add_log(out, log::Level::Error, "No managed resources");
  else if (settings_.legacy)
    add_log(out, log::Level::Error, "auto_failback set to incompatible legacy option.");
  else
    add_log(out, log::Level::Error, "ipfail needs exactly one other normal node");
  info(out, "ipfail exiting (exit code 100, not respawned)");
  return false;
}

int Ipfail::count() const {
  return static_cast<int>(std::count_if(ping_status_.begin(), ping_status_.end(),
                                        [](const auto& p) { return p.second == kPingStatus; }));
}

int64_t Ipfail::next_deadline() const {
  if (!enabled_) return kNever;
  return std::min(giveup_at_, recount_at_);
}

void Ipfail::set_resources(bool stable, bool holds_foreign) {
  stable_ = stable;
  holds_foreign_ = holds_foreign;
}

void Ipfail::ask(IpfailActions& out) {
  info(out, "Asking other side for ping node count.");
  send(out, from_ipfail(make_message("num_ping_nodes", {{"src", settings_.me},
                                                        {"num_ping", std::to_string(count())},
                                                        {"dest", settings_.peer}})));
}

IpfailActions Ipfail::on_comm_up(int64_t /*now*/) {
  IpfailActions out;
  if (!live(out) || comm_up_) return out;
  comm_up_ = true;
  send(out, make_message("hbapi-clstat", {{"st", "join"},
                                          {"from_id", kClient},
                                          {"to_id", kClient},
                                          {"src", settings_.me},
                                          {"info", "signon"},
                                          {"client_gen", "0"}}));
  ask(out);
  return out;
}

IpfailActions Ipfail::on_node_status(int64_t /*now*/, const std::string& node,
                                     const std::string& status, bool ping_node) {
  IpfailActions out;
  if (!live(out)) return out;
  if (ping_node) {
    std::string& known = ping_status_[node];
    if (known == status) return out;
    known = status;
    if (!comm_up_) return out;
    info(out, "Status update: Node " + node + " now has status " + status);
    if (status == kDeadStatus) {
      ping_node_dead(node, out);
    } else if (status == kPingStatus) {
      info(out, "A ping node just came up.");
      // hbd: a give-up decided on our old, lower count is stale now; the
      // exchange that follows decides again (heartbeat's ipfail keeps it,
      // and gives up when the peer's "balanced" answer is a little late).
      if (giveup_at_ != kNever && giveup_hold_ == "all") {
        info(out, "Aborted delayed giveup (" + std::to_string(giveup_tag_) +
                      "): our ping node count went up");
        giveup_at_ = kNever;
        giveup_hold_.clear();
      }
      ask(out);
    }
  } else if (lower(node) == settings_.peer) {
    std::string old = peer_status_;
    if (old == status) return out;
    peer_status_ = status;
    peer_status(old, status, out);
  }
  return out;
}

// heartbeat's two callbacks for a ping node's death: NodeStatus, then
// LinkStatus for its one link (named after the node).
void Ipfail::ping_node_dead(const std::string& node, IpfailActions& out) {
  int seen = count();
  info(out, seen ? "NS: We are still alive!" : "NS: We are dead. :<");
  info(out, "Link Status update: Link " + node + "/" + node + " now has status dead");
  if (seen) {
    ask(out);
    info(out, "Checking remote count of ping nodes.");
  } else {
    info(out, "We are dead. :<");
    ask(out);
  }
}

void Ipfail::peer_status(const std::string& old_status, const std::string& status,
                         IpfailActions& out) {
  if (comm_up_) info(out, "Status update: Node " + settings_.peer + " now has status " + status);
  if (status == kDeadStatus) {
    if (comm_up_) info(out, count() ? "NS: We are still alive!" : "NS: We are dead. :<");
    cancel_all(out);
    return;
  }
  if (comm_up_ && old_status == kDeadStatus) {
    debug(out, "Other side is back: comparing ping node counts again.");
    ask(out);
  }
}

void Ipfail::cancel_all(IpfailActions& out) {
  if (giveup_at_ != kNever)
    debug(out, "Other side is dead: cancelled delayed giveup (" + std::to_string(giveup_tag_) +
                   ")");
  giveup_at_ = kNever;
  giveup_hold_.clear();
  need_standby_ = false;
  recount_at_ = kNever;
  peer_count_ = -1;  // a restarted peer counts afresh
}

IpfailActions Ipfail::on_message(int64_t now, const wire::Message& m) {
  IpfailActions out;
  if (!live(out)) return out;
  const std::string* type = m.get("t");
  const std::string* src = m.get("src");
  if (!type || !src || lower(*src) != settings_.peer) return out;
  if (*type == "resource") {
    // Heartbeat hands resource messages (no to_id) to every client.
    if (m.get_or("isstable", "") == "1" && !m.has("info")) return on_peer_stable(now);
    return out;
  }
  if (m.get_or("to_id", "") != kClient) return out;
  if (const std::string* dest = m.get("dest"); dest && lower(*dest) != settings_.me) return out;

  if (*type == "hbapi-clstat") {
    if (m.get_or("st", "") == "join" && m.get_or("from_id", "") == kClient) {
      debug(out, "Got join message from another ipfail client. (" + *src + ")");
      ask(out);
    }
  } else if (*type == "num_ping_nodes") {
    compare(now, m, out);
  } else if (*type == "you_are_dead") {
    // hbd: an answer to an older count can arrive after the peer's newer
    // count (messages are delivered as they come); when that newer count is
    // not above ours, the verdict is stale: ask again instead of giving up.
    if (peer_count_ >= 0 && peer_count_ <= count()) {
      info(out, "Ignoring a stale you_are_dead: " + settings_.peer + " last counted " +
                    std::to_string(peer_count_) + ", we see " + std::to_string(count()) + ".");
      ask(out);
    } else {
      info(out, "Giving up because we were told that we have less ping nodes.");
      schedule(now, "all", out);
    }
  } else if (*type == "abort_giveup") {
    abort_giveup(out);
  }
  return out;
}

void Ipfail::compare(int64_t now, const wire::Message& m, IpfailActions& out) {
  const std::string* text = m.get("num_ping");
  std::optional<int> theirs = parse_count(text);
  if (!theirs) {
    ++malformed_;
    add_log(out, log::Level::Warn,
            "ipfail: ignoring num_ping_nodes from " + settings_.peer + " with num_ping [" +
                (text ? *text : std::string("(none)")) + "]");
    return;
  }
  debug(out, "Got asked for num_ping.");
  peer_count_ = *theirs;
  int ours = count();
  if (ours > *theirs) {
    info(out, "Telling other node that we have more visible ping nodes.");
    send(out, from_ipfail(make_message("you_are_dead", {{"dest", settings_.peer}})));
  } else if (ours < *theirs) {
    info(out, "Giving up because we have less visible ping nodes.");
    schedule(now, "all", out);
  } else {
    info(out, "Ping node count is balanced.");
    send(out, from_ipfail(make_message("abort_giveup",
                                       {{"src", settings_.me}, {"dest", settings_.peer}})));
    if (giveup_at_ != kNever) {
      abort_giveup(out);
    } else if (settings_.auto_failback_on && stable_ && holds_foreign_) {
      info(out, "Giving up foreign resources (auto_failback).");
      schedule(now, "foreign", out);
    }
  }
}

void Ipfail::schedule(int64_t now, const char* hold, IpfailActions& out) {
  int64_t delay = std::max<int64_t>(0, settings_.keepalive_ms * 2);
  info(out, "Delayed giveup in " + std::to_string(delay / 1000) + " seconds.");
  if (giveup_at_ != kNever) debug(out, "Detected existing delay timer, overriding");
  giveup_at_ = now + delay;
  giveup_hold_ = hold;
  giveup_tag_ = ++schedules_;
}

void Ipfail::abort_giveup(IpfailActions& out) {
  if (giveup_at_ == kNever) {
    info(out, "No giveup timer to abort.");
    return;
  }
  info(out, "Aborted delayed giveup (" + std::to_string(giveup_tag_) + ")");
  giveup_at_ = kNever;
  giveup_hold_.clear();
}

IpfailActions Ipfail::on_peer_stable(int64_t now) {
  IpfailActions out;
  if (!live(out)) return out;
  debug(out, "Other side is now stable.");
  if (need_standby_) {
    need_standby_ = false;
    recount_at_ = now + kIpfailRecountDelayMs;
    debug(out, "Deferred giveup: counting ping nodes again in 10 seconds.");
  }
  return out;
}

void Ipfail::give_up(IpfailActions& out) {
  std::string hold = std::move(giveup_hold_);
  giveup_hold_.clear();
  giveup_at_ = kNever;
  info(out, "giveup() called (timeout worked)");
  if (stable_) {
    need_standby_ = false;
    IpfailAction a;
    a.kind = IpfailAction::Kind::GiveUp;
    a.hold = std::move(hold);
    out.push_back(std::move(a));
  } else {
    need_standby_ = true;
    debug(out, "Resources not stable: giveup waits until the other side is stable.");
  }
}

IpfailActions Ipfail::on_deadline(int64_t now) {
  IpfailActions out;
  if (!live(out)) return out;
  while (next_deadline() <= now) {
    if (giveup_at_ <= recount_at_) {
      give_up(out);
    } else {
      recount_at_ = kNever;
      ask(out);
    }
  }
  return out;
}

}  // namespace hbd::resources
