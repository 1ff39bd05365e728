// Dispatch and the nice_failback core: `starting`/`resource`, RQSTDELAY,
// the holdings audit, and the job queue's continuations.
#include "resources/manager.h"

#include <algorithm>
#include <climits>

#include "cluster/outgoing.h"

namespace hbd::resources {

namespace {

// Types the membership layer or heartbeat itself consumes: never rc.d hooks.
const std::set<std::string>& internal_types() {
  static const std::set<std::string> kTypes = {
      "status", "NS_st", "NS_ackmsg", "NS_rexmit", "NS_nak_rexmit", "reqnodes", "repnodes",
      "starting", "resource", "ask_resources", "hb_takeover", "ip-request", "ip-request-resp",
      "shutdone", "stonith", "query-cstatus", "respond-cstatus", "addnode", "delnode",
      "setweight", "setsite"};
  return kTypes;
}

}  // namespace

Manager::Manager(Settings settings, Locator locate)
    : settings_(std::move(settings)),
      table_(settings_.groups, settings_.local_node),
      queue_(table_, context_),
      monitor_(settings_.monitors, table_) {
  context_.locate = std::move(locate);
  context_.timeouts = settings_.timeouts;
  context_.stop_retries = settings_.stop_retries;
  context_.next_call_id = &next_call_id_;
  if (nice()) context_.env.emplace_back("HA_NICEFAILBACK", "yes");
  for (const auto& node : settings_.nodes)
    if (!is_me(node)) status_[node] = "init";
}

std::string Manager::peer() const {
  for (const auto& [node, status] : status_) return node;
  return "";
}

bool Manager::status_unknown() const {
  for (const auto& [node, status] : status_)
    if (status == "init" && heard_.count(node)) return true;
  return false;
}

int Manager::count_status(const std::string& status) const {
  int n = 0;
  for (const auto& [node, s] : status_)
    if (s == status) ++n;
  return n;
}

bool Manager::is_stable() const {
  if (!nice()) return queue_.idle();
  if (shutdown_in_progress_ && rstate_ == RState::Init) return true;
  return other_stable_ && !takeover_in_progress_ && standby_ == Standby::Not &&
         standby_deadline_ == 0 && queue_.idle() &&
         (rstate_ == RState::Stable || rstate_ == RState::Shutdown || rstate_ == RState::Init);
}

std::string Manager::rsc_status() const { return is_stable() ? set_name(i_hold_) : "transition"; }

void Manager::on_comm_up(int64_t now, Out& out) {
  comm_up_ = true;
  if (count_status("dead") == 0) foreign_done_ = true;
  if (nice()) {
    out.send(make_message("starting"));
    rstate_ = RState::Starting;
    if (settings_.restarting) {
      // heartbeat -R: keep what we held and call ourselves stable at once.
      i_hold_ = settings_.restart_holdings;
      rstate_ = RState::Stable;
    }
  } else if (!settings_.restarting) {
    // heartbeat asks only `active` peers (others drop an ip-request before
    // their comm up). A peer heard from whose status got lost is neither:
    // wait for its status rather than take its groups' twins.
    if (status_unknown()) legacy_request_pending_ = true;
    else request_our_resources(false, out);
  }
  for (const auto& node : dead_before_comm_up_) {
    if (status_[node] != "dead") continue;
    recover_dead(node, now, out);
    heard_.erase(node);
  }
  dead_before_comm_up_.clear();
  if (shutdown_requested_) {
    shutdown_requested_ = false;
    give_up_resources(out);
  }
  pump(now, out);
}

void Manager::on_node_status(const std::string& node, const std::string& status, int64_t now,
                             Out& out) {
  if (is_me(node) || status == "dead" || !status_.count(node)) return;
  status_[node] = status;
  heard_.insert(node);
  if (legacy_request_pending_ && !status_unknown()) {
    legacy_request_pending_ = false;
    request_our_resources(false, out);
  }
  pump(now, out);
}

void Manager::on_node_restart(const std::string& node, int64_t now, Out& out) {
  if (!status_.count(node)) return;
  gave_up_.erase(node);
  heard_.insert(node);
  if (restart_wait_.erase(node)) out.info(node + " is back after its restart: it takes its own groups");
  fence_.on_restart(node, out);
  healing_.erase(node);
  heal_announced_.erase(node);
  owed_done_ = Owed::None;  // a restarted peer remembers no standby
  announced_holdings_.erase(node);
  owed_as_giver_ = false;
  taker_done_due_ = false;
  pump(now, out);
}

void Manager::on_link(const std::string& node, const std::string& link, bool up, int64_t now,
                      Out& out) {
  if (!comm_up_ || !settings_.rc_hooks.count("ifstat")) return;
  wire::Message m = make_message("ifstat", {{"node", node}, {"ifname", link},
                                            {"st", up ? "up" : "dead"}});
  run_hook("ifstat", m);
  pump(now, out);
}

void Manager::on_message(const std::string& from, const wire::Message& m, int64_t now,
                         Out& out) {
  const std::string type = m.get_or("t", "");
  if (!is_me(from) && status_.count(from)) heard_.insert(from);
  if (type == "shutdone") {
    on_shutdone(from, now, out);
  } else if (!comm_up_) {
    // heartbeat registers these handlers at comm up: earlier ones are lost.
  } else if (type == "starting" || type == "resource") {
    process_resources(type, m, from, now, out);
  } else if (type == "ask_resources") {
    ask_for_resources(m, from, now, out);
  } else if (type == "hb_takeover") {
    hb_takeover(m, from);
  } else if (type == "ip-request") {
    if (!is_me(from)) ip_request(m, from, out);
  } else if (type == "ip-request-resp") {
    if (!shutdown_in_progress_) ip_request_resp(m, from);
  } else if (!internal_types().count(type) && settings_.rc_hooks.count(type)) {
    run_hook(type, m);
  }
  shutdown_if_needed(out);
  pump(now, out);
}

void Manager::process_resources(const std::string& type, const wire::Message& m,
                                const std::string& from, int64_t now, Out& out) {
  if (!nice()) return;
  RState next = rstate_;
  if (type == "starting" && !is_me(from)) {
    // hbd: a peer sends `starting` once, at its comm up, before any
    // `resource`. One that comes after them was lost and retransmitted:
    // acting on it would make us wait for a stable announcement the peer
    // already made and will not repeat (no failback, no standby, for ever).
    if (announced_holdings_.count(from)) {
      out.log(log::Level::Debug, "Ignoring a late 'starting' from " + from +
                                     " (retransmitted after its resource messages)");
      return;
    }
    if (rstate_ == RState::Init || rstate_ == RState::BothStarting) {
      out.error("Received 'starting' message in state " +
                std::to_string(static_cast<int>(rstate_)));
      return;
    }
    process_starting(from, next, out);
  }
  if (type == "resource" && !is_me(from)) announced_holdings_.insert(from);
  if (type == "resource" && !process_resource(m, from, next, now, out)) return;
  rstate_ = next;
  if (rstate_ == RState::RscRcvd && request_delay_at_ == 0)
    request_delay_at_ = now + kRequestDelayMs;
  audit(now, out);
}

// The peer (re)starts and asks what we hold.
void Manager::process_starting(const std::string& from, RState& next, Out& out) {
  if (rstate_ == RState::Starting) {
    next = RState::BothStarting;
    foreign_done_ = true;
    announce_takeover("HB_R_BOTHSTARTING", out);
  }
  other_stable_ = false;
  if (takeover_in_progress_) out.warn("T_STARTING received during takeover.");
  if (restart_wait_.erase(from)) out.info(from + " is back after its restart: it takes its own groups");
  healing_.erase(from);
  heal_announced_.erase(from);
  send_resources_held(rstate_ == RState::Stable, "", out);
}

// False when the message is to be ignored altogether.
bool Manager::process_resource(const wire::Message& m, const std::string& from, RState& next,
                               int64_t now, Out& out) {
  const std::string* held = m.get("rsc_hold");
  if (!held) {
    out.error("resource message without rsc_hold field.");
    return false;
  }
  auto parsed = parse_set(*held);
  if (!parsed) out.error("encode_resources: bad resource type [" + *held + "]");
  int n = parsed.value_or(kNone);
  bool full = m.get_or("rtype", "") == "full";
  switch (rstate_) {
    case RState::Starting:
    case RState::BothStarting:
      next = RState::RscRcvd;
      if (!auto_failback()) {
        foreign_done_ = true;
        announce_takeover("T_RESOURCES", out);
      }
      break;
    case RState::RscRcvd:
    case RState::Stable:
    case RState::Shutdown:
      break;
    default:
      out.error("resource message received in state " + std::to_string(static_cast<int>(rstate_)));
      return false;
  }
  if (!is_me(from)) {
    if (stale_holdings(from, m)) return true;
    if (standby_ == Standby::Other && m.get_or("info", "") == "standby")
      standby_deadline_ = now + kStandbyGuardMs;  // the giver is giving up
    other_holds_ = update_set(full, other_holds_, n);
    if (const std::string* stable = m.get("isstable")) {
      if (*stable == "1" && healing_.count(from) && !(other_holds_ & kForeign) &&
          heal_announced_.insert(from).second)
        announce_local(out);
      if (*stable == "1") {
        if (!other_stable_) {
          out.info("remote resource transition completed.");
          other_stable_ = true;
          send_resources_held(rstate_ == RState::Stable, "", out);
          perform_auto_failback(now, out);
        }
      } else {
        other_stable_ = false;
      }
    }
    if (rstate_ != RState::Stable && rstate_ != RState::Shutdown && other_stable_) {
      out.info("remote resource transition completed.");
      request_our_resources(false, out);
      next = RState::Stable;
      send_resources_held(true, "", out);
      perform_auto_failback(now, out);
      foreign_done_ = true;
      if (!auto_failback() && (other_holds_ & kForeign)) local_done_ = true;
      announce_takeover("T_RESOURCES(them)", out);
    }
    return true;
  }
  // Our own full announcements only repeat what we held when we sent them;
  // by the time they come back it may have changed. Additions (mach_down's
  // message, a tool's through the FIFO) still count.
  if (!full) i_hold_ = update_set(false, i_hold_, n);
  if (i_hold_ & kLocal) {
    local_done_ = true;
    announce_takeover("T_RESOURCES(us)", out);
  }
  const std::string info = m.get_or("info", "");
  if (info == "mach_down") {
    mach_down_complete(out);
  } else if (info == "shutdown") {
    next = RState::Shutdown;
  }
  return true;
}

void Manager::send_resources_held(bool stable, const std::string& comment, Out& out) {
  if (!nice()) return;
  // hbd: not stable while foreign groups are still being stopped after a
  // split brain, whatever else finished meanwhile: their home node takes
  // them when we are stable without them, and must not while they run here.
  if (yielding_) stable = false;
  wire::Message m = make_message("resource", {{"rsc_hold", set_name(i_hold_)},
                                              {"rtype", "full"},
                                              {"isstable", stable ? "1" : "0"}});
  if (!comment.empty()) m.add("info", comment);
  out.send(std::move(m));
}

// Our mach_down message came back: the dead peer's groups are ours.
void Manager::mach_down_complete(Out& out) {
  out.info("mach_down takeover complete.");
  takeover_in_progress_ = false;
  i_hold_ |= kForeign;
  needs_failback_ = true;
  other_stable_ = true;
  foreign_done_ = true;
  announce_takeover("mach_down", out);
}

// "Initial resource acquisition complete", once, when our own groups and the
// dead peer's are both settled; admins' scripts wait for this line.
void Manager::announce_takeover(const std::string& reason, Out& out) {
  if (announced_ || !local_done_ || !foreign_done_) return;
  announced_ = true;
  out.info("Initial resource acquisition complete (" + reason + ")");
}

void Manager::run_hook(const std::string& type, const wire::Message& m) {
  Job job;
  job.name = type;
  std::string script = settings_.rc_dir + "/" + type;
  Step hook;
  hook.kind = Step::Kind::Hook;
  hook.hook.path = settings_.harc.empty() ? script : settings_.harc;
  hook.hook.args = {type};
  for (const auto& f : m.fields())
    if (f.type == wire::FieldType::String) hook.hook.env.emplace_back("HA_" + f.name, f.value);
  hook.hook.env.emplace_back("HA_OSTATUS", comm_up_ ? "active" : "up");
  if (nice()) hook.hook.env.emplace_back("HA_NICEFAILBACK", "yes");
  // Without heartbeat's harc, hbd does its job and logs its line.
  if (settings_.harc.empty()) job.steps.push_back(Step::log("Running " + script + " " + type));
  job.steps.push_back(std::move(hook));
  queue_.push(std::move(job));
}

void Manager::on_script_done(const ScriptOutcome& outcome, int64_t now, Out& out) {
  if (auto cleared = fence_.on_outcome(outcome, now, out)) fence_cleared(*cleared, now, out);
  queue_.on_outcome(outcome, now, out);
  pump(now, out);
}

void Manager::on_time(int64_t now, Out& out) {
  queue_.on_time(now, out);
  fence_.on_time(now, out);
  if (nice() && rstate_ == RState::RscRcvd && request_delay_at_ != 0 && now >= request_delay_at_) {
    rstate_ = RState::Stable;
    request_our_resources(false, out);
    out.info("local resource transition completed.");
    send_resources_held(true, "", out);
    audit(now, out);
  }
  if (standby_deadline_ != 0 && now >= standby_deadline_) {
    standby_deadline_ = 0;
    other_stable_ = true;
    standby_ = Standby::Not;
    out.warn("No reply to standby request.  Standby request cancelled.");
    // hbd: say we are stable again; the peer heard us say otherwise during
    // the standby and may have abandoned it without a word (a split brain
    // ending), so it would wait for this for ever.
    send_resources_held(is_stable(), "", out);
    shutdown_if_needed(out);
  }
  if (failback_retry_at_ != 0 && now >= failback_retry_at_) {
    failback_retry_at_ = 0;
    perform_auto_failback(now, out);
  }
  for (auto it = failed_start_standby_at_.begin(); it != failed_start_standby_at_.end();) {
    if (now < *it) {
      ++it;
      continue;
    }
    it = failed_start_standby_at_.erase(it);
    // ResourceManager's hb_standby after a failed start: its group test
    // never matches, so it always asks for "foreign" (config-and-tools §3.6).
    out.info("Going standby [foreign].");
    send_standby("me", kForeign, out);
  }
  for (auto it = restart_wait_.begin(); it != restart_wait_.end();) {
    if (now < it->second) {
      ++it;
      continue;
    }
    std::string node = it->first;
    it = restart_wait_.erase(it);
    out.warn(node + " did not come back after its restart: taking over its groups");
    takeover_from(node, now, out);
  }
  if (resolve_at_ != 0 && now >= resolve_at_) resolve(now, out);
  if (final_shutdown_at_ != 0 && now >= final_shutdown_at_) {
    final_shutdown_at_ = 0;
    out.shutdown_complete();
  }
  pump(now, out);
}

int64_t Manager::next_deadline() const {
  int64_t next = INT64_MAX;
  auto consider = [&next](int64_t t) {
    if (t != 0) next = std::min(next, t);
  };
  consider(queue_.deadline());
  if (nice() && rstate_ == RState::RscRcvd) consider(request_delay_at_);
  consider(standby_deadline_);
  consider(failback_retry_at_);
  consider(final_shutdown_at_);
  consider(resolve_at_);
  consider(fence_.next_deadline());
  for (int64_t t : failed_start_standby_at_) consider(t);
  for (const auto& [node, t] : restart_wait_) consider(t);
  consider(monitor_deadline());
  return next;
}

void Manager::pump(int64_t now, Out& out) {
  do {
    while (auto reached = queue_.advance(now, out)) handle(*reached, now, out);
    shutdown_if_needed(out);
    resolve(now, out);
  } while (monitor_tick(now, out));
}

void Manager::handle(const Reached& r, int64_t now, Out& out) {
  switch (r.kind) {
    case Reached::Kind::JobFinished: finished(r.job, now, out); return;
    case Reached::Kind::StartFailed:
      failed_start_standby_at_.push_back(now + kFailedStartStandbyMs);
      restart_start_failed(r, now);
      return;
    case Reached::Kind::RebootRequired: return;  // the runner reboots; nothing else runs
    case Reached::Kind::Continuation: break;
  }
  static const Group kNoGroup;
  const Group& group = r.group < table_.size() ? table_.at(r.group) : kNoGroup;
  switch (r.tag) {
    case kMachDownDone:
      if (r.job.epoch != yield_epoch_) return;  // given back meanwhile
      out.send(make_message("resource", {{"rsc_hold", "foreign"}, {"info", "mach_down"}}));
      // hbd: before our comm up our own message is dropped like any other
      // (the peer gave up before we were up): finish here, or the takeover
      // would stay "in progress" for ever.
      if (!comm_up_) mach_down_complete(out);
      return;
    case kRequestGroup:
      if (r.job.key_running) return;
      if (!r.job.ask) {
        queue_.insert_next({Step::log("received ip-request-resp " + group.key + " OK yes"),
                            Step::acquire(r.group)});
      } else {
        out.send(make_message("ip-request", {{"ipaddr", group.key}}));
      }
      return;
    case kLocalAcquired:
      if (table_.of_node(settings_.local_node).empty()) {
        out.info("No local resources [/usr/share/heartbeat/ResourceManager listkeys " +
                 settings_.local_node + "] to acquire.");
      } else {
        out.info("Local Resource acquisition completed.");
      }
      send_resources_held(true, "req_our_resources()", out);
      return;
    case kStandbyDone:
      if (r.job.epoch == standby_epoch_) {
        send_standby("done", r.job.set, out);
      } else {
        own_give_up_released(out);
      }
      return;
    case kGiveUpDone:
      out.info("All HA resources relinquished.");
      out.send(make_message("shutdone", {{"st", "dead"}}));
      return;
    case kIpRequestDecide:
      if (r.job.key_running)
        queue_.insert_next({Step::release(r.group), Step::reach(kIpRequestReply, r.group)});
      else
        reply_ip_request(r.job, r.group, out);
      return;
    case kIpRequestReply: reply_ip_request(r.job, r.group, out); return;
    case kSelfGrantDecide:
      if (r.job.key_running) {
        out.warn(r.job.node + " took its group " + table_.at(r.group).key +
                 " without asking us: giving it up");
        queue_.insert_next({Step::release(r.group)});
      }
      return;
    case kTakeoverStandby:
      out.info("Going standby [" + std::string(set_name(r.job.set)) + "].");
      send_standby("me", r.job.set, out);
      return;
    case kYieldDone:
      yielding_ = false;
      send_resources_held(true, "", out);
      return;
    case kHealReleased: announce_local(out); return;
    case kRestartDone:
      if (table_.status(r.group).state == GroupState::Running)
        out.info("Restart of resource group " + group.key + " completed.");
      return;
    default: return;
  }
}

void Manager::finished(const Job& job, int64_t now, Out& out) {
  if (job.monitor) {
    monitor_verdict(job, now, out);
  } else if (job.name == "req_our_resources" || job.name == "ip-request-resp") {
    local_done_ = true;
    announce_takeover(job.name, out);
  } else if (!nice() && job.name == "status" && count_status("dead") > 0) {
    foreign_done_ = true;
    announce_takeover("status", out);
  }
}

std::string Manager::debug_state() const {
  return std::string("rstate=") + std::to_string(static_cast<int>(rstate_)) +
         " i_hold=" + set_name(i_hold_) + " other_holds=" + set_name(other_holds_) +
         " other_stable=" + std::to_string(other_stable_) +
         " takeover=" + std::to_string(takeover_in_progress_) +
         " standby=" + std::to_string(static_cast<int>(standby_)) +
         " standby_deadline=" + std::to_string(standby_deadline_) +
         " queue=" + (queue_.idle() ? "idle" : queue_.current_name()) +
         " resolve_at=" + std::to_string(resolve_at_);
}

std::vector<GroupView> Manager::groups() const {
  std::vector<GroupView> out;
  for (std::size_t i = 0; i < table_.size(); ++i) {
    const Group& g = table_.at(i);
    GroupView v;
    v.key = g.key;
    v.home = g.node;
    v.status = table_.status(i);
    bool here = v.status.state == GroupState::Running || v.status.state == GroupState::Starting;
    std::string other = peer();
    bool other_alive = !other.empty() && status_.at(other) != "dead" &&
                       status_.at(other) != "init";
    if (here) {
      v.owner = settings_.local_node;
    } else if (!other_alive) {
      v.owner = "none";
    } else if (nice()) {
      v.owner = (other_holds_ & (g.local ? kForeign : kLocal)) ? other : "none";
    } else {
      v.owner = g.local ? "unknown" : other;  // legacy: each node runs its own
    }
    const GroupWatch& watch = monitor_.at(i);
    v.relocated_away = watch.relocated_away;
    v.failed_both = watch.failed_both;
    if (watch.watched())
      for (std::size_t r = 0; r < g.resources.size(); ++r)
        v.resources.push_back({g.resources[r].token, watch.resources[r].policy.enabled(),
                               watch.resources[r].fails});
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace hbd::resources
