// hbd.ini's monitoring (resources/policies.h), beyond heartbeat 3.0.6, which
// never looks at a resource after its start: a periodic `status` of each
// watched resource of the groups this node holds while nothing else moves,
// and what a failure leads to — a restart in place (the failed resource and
// those right of it), a relocation to the peer with heartbeat's standby
// protocol (so a heartbeat peer takes the group too), or a log line only.
// A group relocated after failures is not taken back until its fail counts
// are cleaned up (or the peer dies); one handed back after failing on the
// peer too stays stopped here: never a ping-pong.
#include "resources/manager.h"

#include <algorithm>
#include <climits>

namespace hbd::resources {

namespace {

constexpr const char* kRestartJob = "monitor_restart";
constexpr const char* kFailureReason = "failure";  // ask_resources reason= of a relocation

std::string tokens_from(const Group& group, std::size_t first) {
  std::string out;
  for (std::size_t r = first; r < group.resources.size(); ++r)
    out += (out.empty() ? "" : " ") + group.resources[r].token;
  return out;
}

}  // namespace

// Nothing moves: no start, stop, standby or takeover here or under way.
bool Manager::quiet_for_monitoring() const {
  if (!comm_up_ || shutdown_in_progress_ || needs_shutdown_ || shutdown_requested_) return false;
  if (!queue_.idle() || awaiting_own_standby_) return false;
  if (!nice()) return true;
  return standby_ == Standby::Not && standby_deadline_ == 0 && !takeover_in_progress_ &&
         !yielding_ && rstate_ == RState::Stable;
}

bool Manager::holds_group(std::size_t g) const {
  if (!nice()) return true;  // legacy: what runs here is ours
  return (i_hold_ & (table_.at(g).local ? kLocal : kForeign)) != 0;
}

bool Manager::watchable(std::size_t g) const {
  return monitor_.at(g).watched() && quiet_for_monitoring() && holds_group(g) &&
         table_.status(g).state == GroupState::Running;
}

// Queues what is due; true when a job was queued (the caller runs the queue).
bool Manager::monitor_tick(int64_t now, Out& out) {
  if (!monitor_.any()) return false;
  bool queued = false;
  for (std::size_t g = 0; g < monitor_.size(); ++g) {
    GroupWatch& w = monitor_.at(g);
    if (!w.watched()) continue;
    const GroupStatus& st = table_.status(g);
    if (st.since_ms != w.seen_since) {
      // Started, stopped or restarted meanwhile: the first status comes an
      // interval after; a pending restart or relocation is moot.
      w.seen_since = st.since_ms;
      monitor_.reschedule(g, now);
      if (st.state != GroupState::Running && (w.restart_at != 0 || w.relocate_pending)) {
        out.info("Resource group " + table_.at(g).key + " is " + state_name(st.state) +
                 ": its pending restart or relocation is dropped");
        w.restart_at = 0;
        w.restart_from = -1;
        w.relocate_pending = false;
      }
    }
    if (!watchable(g)) continue;
    if (w.relocated_away) {
      out.warn("Resource group " + table_.at(g).key +
               " was not taken by the peer: it keeps running here");
      w.relocated_away = false;
    }
    if (w.relocate_pending) {
      relocate(g, out);
      continue;
    }
    if (w.restart_at != 0) {
      if (now < w.restart_at) continue;
      queue_restart(g, out);
      queued = true;
      continue;
    }
    for (std::size_t r = 0; r < w.resources.size(); ++r) {
      const ResourceWatch& rw = w.resources[r];
      if (!rw.policy.enabled() || now < rw.due_ms || queue_.has_monitor(g, static_cast<int>(r)))
        continue;
      queue_monitor(g, r);
      queued = true;
    }
  }
  return queued;
}

// Only what can act now: a due time while the group is not watchable would
// wake the daemon for nothing (it is acted on when the group settles).
int64_t Manager::monitor_deadline() const {
  int64_t next = 0;
  auto consider = [&next](int64_t t) { next = next == 0 ? t : std::min(next, t); };
  for (std::size_t g = 0; g < monitor_.size(); ++g) {
    const GroupWatch& w = monitor_.at(g);
    if (!watchable(g) || w.relocate_pending || table_.status(g).since_ms != w.seen_since) continue;
    if (w.restart_at != 0) {
      consider(w.restart_at);
      continue;
    }
    for (std::size_t r = 0; r < w.resources.size(); ++r)
      if (w.resources[r].policy.enabled() && !queue_.has_monitor(g, static_cast<int>(r)))
        consider(w.resources[r].due_ms);
  }
  return next;
}

void Manager::queue_monitor(std::size_t g, std::size_t r) {
  Job job;
  job.name = "monitor";
  job.monitor = true;
  job.group = static_cast<int>(g);
  job.resource = static_cast<int>(r);
  job.steps.push_back(Step::monitor(g, job.resource, monitor_.at(g).resources[r].policy.timeout_ms));
  queue_.push(std::move(job));
}

void Manager::monitor_verdict(const Job& job, int64_t now, Out& out) {
  auto g = static_cast<std::size_t>(job.group);
  auto r = static_cast<std::size_t>(job.resource);
  GroupWatch& w = monitor_.at(g);
  w.resources.at(r).due_ms = now + w.resources[r].policy.interval_ms;
  if (job.monitor_ok) return;
  if (!watchable(g) || w.restart_at != 0 || w.relocate_pending) {
    out.log(log::Level::Debug, "Status of " + table_.at(g).resources[r].token +
                                   " dropped: its group is changing (" + job.monitor_detail + ")");
    return;
  }
  monitor_failed(g, r, "status: " + job.monitor_detail, now, out);
}

void Manager::monitor_failed(std::size_t g, std::size_t r, const std::string& reason,
                             int64_t now, Out& out) {
  monitor_.record_failure(g, r, now, reason);
  GroupWatch& w = monitor_.at(g);
  const ResourceWatch& rw = w.resources[r];
  const Group& group = table_.at(g);
  std::string what = "Resource " + group.resources[r].token + " of group " + group.key +
                     " failed (" + reason + "), failure " + std::to_string(rw.fails.count);
  if (w.degraded && rw.policy.on_fail != OnFail::Ignore) {
    // Restarts did not help and nobody could take it: only a peer can.
    if (can_relocate()) {
      out.error(what + ": a peer is up now: relocating the group");
      w.relocate_pending = true;
    } else {
      out.warn(what + ": it keeps running here, degraded (nothing more is done until "
                      "hbctl cleanup or a peer can take it)");
    }
    return;
  }
  Verdict v = monitor_.decide(g, r, now);
  switch (v.kind) {
    case Verdict::Kind::Ignore:
      out.warn(what + ": on_fail=ignore, nothing done");
      return;
    case Verdict::Kind::Restart:
      out.error(what + ": restarting " + tokens_from(group, r) + " in " +
                seconds_text(v.delay_ms) + " (restart " + std::to_string(v.restart) + " of " +
                std::to_string(rw.policy.max_restarts) + " within " +
                seconds_text(rw.policy.restart_window_ms) + ")");
      w.restart_at = std::max<int64_t>(now + v.delay_ms, 1);
      w.restart_from = w.restart_from < 0 ? static_cast<int>(r)
                                          : std::min(w.restart_from, static_cast<int>(r));
      return;
    case Verdict::Kind::Relocate:
      out.error(what + (v.beyond_max ? ": already restarted " +
                                           std::to_string(rw.policy.max_restarts) + " times within " +
                                           seconds_text(rw.policy.restart_window_ms) +
                                           ": relocating the group"
                                     : ": on_fail=relocate: relocating the group"));
      w.relocate_pending = true;
      return;
  }
}

// Right to left from the failed resource, then left to right again.
void Manager::queue_restart(std::size_t g, Out& out) {
  GroupWatch& w = monitor_.at(g);
  int first = std::max(w.restart_from, 0);
  w.restart_at = 0;
  w.restart_from = -1;
  const Group& group = table_.at(g);
  Job job;
  job.name = kRestartJob;
  job.group = static_cast<int>(g);
  job.resource = first;
  job.steps.push_back(Step::log("Restarting " + tokens_from(group, static_cast<std::size_t>(first)) +
                                " of resource group " + group.key + " (monitor)"));
  job.steps.push_back(Step::release(g, first));
  job.steps.push_back(Step::acquire(g, first));
  job.steps.push_back(Step::reach(kRestartDone, g));
  queue_.push(std::move(job));
  (void)out;
}

// A restart whose start failed went the way of any failed start (the group
// given up, hb_standby 30 s later, as heartbeat's ResourceManager); it counts
// as a failure of the resource that would not start.
void Manager::restart_start_failed(const Reached& r, int64_t now) {
  if (r.job.name != kRestartJob || r.group >= table_.size()) return;
  const auto& resources = table_.at(r.group).resources;
  for (std::size_t i = 0; i < resources.size(); ++i)
    if (resources[i].token == r.failed)
      monitor_.record_failure(r.group, i, now, "start failed during a restart");
}

// heartbeat moves groups between nodes only by class (hb_standby local or
// foreign): the failed group's class goes, its healthy companions with it.
void Manager::relocate(std::size_t g, Out& out) {
  GroupWatch& w = monitor_.at(g);
  const Group& group = table_.at(g);
  std::string other = peer();
  if (!nice()) {
    w.relocate_pending = false;
    w.degraded = true;
    out.crit("Resource group " + group.key + " cannot be relocated: handing a group to the peer "
             "needs heartbeat's standby (auto_failback on or off); it keeps running here, degraded");
    return;
  }
  if (!can_relocate()) {
    w.relocate_pending = false;
    w.degraded = true;
    out.crit("Resource group " + group.key + " cannot be relocated: no peer is up to take it; "
             "it keeps running here, degraded (relocating to nobody would stop the service)");
    return;
  }
  if (!other_stable_) return;  // the peer is busy: once it is stable again
  w.relocate_pending = false;
  w.degraded = false;
  w.relocated_away = true;
  int set = group.local ? kLocal : kForeign;
  std::string keys;
  for (std::size_t k : table_.of_set(set)) keys += (keys.empty() ? "" : ", ") + table_.at(k).key;
  out.warn("Relocating resource group " + group.key + " to " + other +
           ": going standby [" + set_name(set) + "], which hands over all our " + set_name(set) +
           " groups (" + keys + ") as heartbeat's hb_standby would; it is not taken back "
           "until its fail counts are cleaned up");
  awaiting_own_standby_ = true;
  out.send(make_message("ask_resources", {{"rsc_hold", set_name(set)}, {"info", "me"},
                                          {"reason", kFailureReason}}));
}

bool Manager::can_relocate() const {
  std::string other = peer();
  return nice() && !other.empty() && status_.at(other) == "active";
}

void Manager::log_relocated(int set, Out& out) const {
  for (std::size_t g : table_.of_set(set))
    if (monitor_.at(g).relocated_away)
      out.warn("Resource group " + table_.at(g).key + " relocated to " + peer() + " after failures");
}

bool Manager::class_relocated(int set) const {
  for (std::size_t g : table_.of_set(set))
    if (monitor_.at(g).relocated_away) return true;
  return false;
}

bool Manager::accept_standby_from(const wire::Message& m, const std::string& from, int taking,
                                  Out& out) {
  standby_for_failure_ = false;
  if (!class_relocated(taking)) return true;
  if (m.get_or("reason", "") == kFailureReason) {
    standby_for_failure_ = true;  // it failed there too (take_in_standby)
    return true;
  }
  std::string keys;
  for (std::size_t g : table_.of_set(taking))
    if (monitor_.at(g).relocated_away) keys += (keys.empty() ? "" : " ") + table_.at(g).key;
  out.warn("standby message [me] from " + from + " ignored: resource group " + keys +
           " failed here and was relocated; it is not taken back until its fail counts are "
           "cleaned up (hbctl cleanup) or " + from + " dies");
  return false;
}

bool Manager::take_in_standby(std::size_t g, int64_t now, Out& out) {
  GroupWatch& w = monitor_.at(g);
  if (!w.relocated_away) return true;
  w.relocated_away = false;
  if (!standby_for_failure_) {
    out.info("Taking back resource group " + table_.at(g).key +
             ", which failed here before: the peer leaves");
    return true;
  }
  w.failed_both = true;
  table_.finish(g, GroupState::Failed, now, "failed on both nodes");
  out.crit("Resource group " + table_.at(g).key + " failed on both nodes: it stays stopped "
           "(hbctl cleanup " + table_.at(g).key + " to try again)");
  return false;
}

// The peer is dead: what failed here may work again, and nobody else runs
// it. A group relocated away comes back with the takeover; one left stopped
// after failing on both nodes is started again here.
void Manager::forgive_relocations(const std::string& dead, Out& out) {
  std::vector<std::size_t> restart;
  for (std::size_t g = 0; g < monitor_.size(); ++g) {
    GroupWatch& w = monitor_.at(g);
    if (!w.relocated_away && !w.failed_both) continue;
    out.warn(dead + " is dead: resource group " + table_.at(g).key +
             " is taken back although it failed here (it may work again)");
    if (w.failed_both && holds_group(g) && table_.status(g).state == GroupState::Failed)
      restart.push_back(g);
    w.relocated_away = false;
    w.failed_both = false;
  }
  queue_start_again(restart, "its peer is dead");
}

void Manager::queue_start_again(const std::vector<std::size_t>& groups, const std::string& why) {
  if (groups.empty()) return;
  Job job;
  job.name = "start_again";
  for (std::size_t g : groups) {
    job.steps.push_back(Step::log("Starting resource group " + table_.at(g).key + " again: " + why));
    job.steps.push_back(Step::acquire(g));
  }
  queue_.push(std::move(job));
}

bool Manager::cleanup(const std::string& target, int64_t now, Out& out) {
  bool found = false;
  std::vector<std::size_t> restart;
  for (std::size_t g = 0; g < table_.size(); ++g) {
    const Group& group = table_.at(g);
    std::optional<std::size_t> only;
    if (!target.empty() && target != group.key) {
      auto it = std::find_if(group.resources.begin(), group.resources.end(),
                             [&](const config::Resource& r) { return r.token == target; });
      if (it == group.resources.end()) continue;
      only = static_cast<std::size_t>(it - group.resources.begin());
    }
    found = true;
    bool failed_both = monitor_.at(g).failed_both;
    monitor_.cleanup(g, only);
    out.info("Fail counts of " + (only ? group.resources[*only].token : group.key) +
             " cleaned up");
    if (failed_both && holds_group(g) && table_.status(g).state == GroupState::Failed)
      restart.push_back(g);
  }
  queue_start_again(restart, "its fail counts were cleaned up");
  pump(now, out);
  return found;
}

}  // namespace hbd::resources
