// A peer's death and the takeover of its groups, the acquisition of our own
// groups, a peer's shutdown notice, and the heal of a split brain.
#include "resources/manager.h"
#include "resources/vip.h"

namespace hbd::resources {

void Manager::on_node_dead(const std::string& node, int64_t now, Out& out) {
  auto it = status_.find(node);
  // Already dead: 3.0.x declares a late peer dead again as it returns.
  if (it == status_.end() || it->second == "dead") return;
  it->second = "dead";
  // heartbeat handles a death before comm up as comm comes up (the death is
  // what completes it); hbd's comm up follows within a keepalive.
  if (!comm_up_) {
    dead_before_comm_up_.insert(node);
    return;
  }
  recover_dead(node, now, out);
  heard_.erase(node);
  if (legacy_request_pending_ && !status_unknown()) {
    legacy_request_pending_ = false;
    request_our_resources(false, out);
  }
  pump(now, out);
}

void Manager::recover_dead(const std::string& node, int64_t now, Out& out) {
  if (standby_ != Standby::Not) cancel_standby(out);
  forgive_relocations(node, out);
  if (shutdown_in_progress_) return;
  needs_failback_ = true;
  // Whether it may still hold something we are about to take.
  bool need_stonith = true;
  if (heard_.count(node)) need_stonith = nice() ? other_holds_ != kNone : !gave_up_.count(node);
  if (need_stonith && fence_.enabled()) {
    // hbd.ini [fence]: the takeover waits until the peer is fenced.
    if (fence_.request(node, FencePurpose::Takeover, now, out)) takeover_from(node, now, out);
    return;
  }
  if (need_stonith) {
    out.send(make_message("stonith", {{"node", node}, {"result", "n_stnth"}}));
    out.warn("No STONITH device configured.");
    out.warn("Shared disks are not protected.");
    takeover_from(node, now, out);
    return;
  }
  out.info("Dead node " + node + " gave up resources.");
  out.send(make_message("stonith", {{"node", node}, {"result", "unneeded"}}));
  if (!nice()) {
    takeover_from(node, now, out);
    return;
  }
  if (i_hold_ == kAll) {
    other_stable_ = true;
    return;
  }
  if (!(i_hold_ & kLocal)) request_our_resources(true, out);
  if (!(i_hold_ & kForeign)) takeover_from(node, now, out);
}

// heartbeat queues the dead node's status for rc.d/status, whose mach_down
// takes each of its groups; hbd does mach_down's work itself.
void Manager::takeover_from(const std::string& node, int64_t now, Out& out) {
  (void)now;
  if (shutdown_in_progress_) {
    out.info("Resource takeover cancelled - shutdown in progress.");
    shutdown_if_needed(out);
    return;
  }
  if (restart_wait_.count(node)) {
    out.info("Takeover of " + node + "'s groups waits: it restarts after the partition");
    return;
  }
  out.info("Resources being acquired from " + node + ".");
  Job job;
  job.name = "status";
  job.node = node;
  job.epoch = yield_epoch_;
  for (std::size_t g : table_.of_node(node)) {
    job.steps.push_back(Step::log("Taking over resource group " + table_.at(g).key));
    job.steps.push_back(Step::acquire(g));
  }
  if (nice()) {
    job.steps.push_back(
        Step::log("/usr/share/heartbeat/mach_down: nice_failback: foreign resources acquired"));
    job.steps.push_back(Step::reach(kMachDownDone));
  }
  job.steps.push_back(Step::log("mach_down takeover complete for node " + node + "."));
  queue_.push(std::move(job));
  if (nice()) {
    // Claimed now, or an interim `resource` message could let the peer,
    // coming back, think its groups are free.
    i_hold_ |= kForeign;
    other_holds_ = kNone;
    other_stable_ = true;
    takeover_in_progress_ = true;
  }
  request_our_resources(true, out);
}

// heartbeat's req_our_resources: each local group whose key is not running
// is taken — in legacy mode with a live peer only after asking it
// (ip-request), otherwise at once.
void Manager::request_our_resources(bool anyway, Out& out) {
  if (shutdown_in_progress_) return;
  if (nice()) {
    bool owned = (other_holds_ & kForeign) || (i_hold_ & kLocal);
    if (owned && !anyway && standby_ == Standby::Not) {
      out.info("Local Resource acquisition completed. (none)");
      return;
    }
    i_hold_ |= kLocal;
  }
  int up = count_status("active") + 1;  // the peers and us
  Job job;
  job.name = up < 2 ? "req_our_resources" : "req_our_resources(ask)";
  job.ask = !nice() && up >= 2;
  for (std::size_t g : table_.of_node(settings_.local_node)) {
    job.steps.push_back(Step::status_key(g));
    job.steps.push_back(Step::reach(kRequestGroup, g));
  }
  job.steps.push_back(Step::reach(kLocalAcquired));
  queue_.push(std::move(job));
}

void Manager::on_shutdone(const std::string& from, int64_t now, Out& out) {
  if (is_me(from)) {
    if (comm_up_ && nice()) {
      rstate_ = RState::Shutdown;
      i_hold_ = kNone;
    }
    final_shutdown_at_ = now + kFinalShutdownDelayMs;
    return;
  }
  if (!status_.count(from)) return;
  // heartbeat gives up everything and re-executes itself after a partition:
  // its groups wait for it, as they would between two heartbeat nodes.
  bool restarting = healing_.count(from) > 0;
  if (comm_up_ && nice() && i_hold_ != kAll && !shutdown_in_progress_ && !restarting) {
    int set = i_hold_ == kForeign ? kLocal : i_hold_ == kLocal ? kForeign : kAll;
    standby_ = Standby::Done;
    standby_set_ = set;
    go_standby(false, set, now, out);
  }
  gave_up_.insert(from);
  other_holds_ = kNone;
  other_stable_ = false;
  out.info("Received shutdown notice from '" + from + "'.");
  if (restarting) {
    restart_wait_[from] = now + 2 * settings_.deadtime_ms + 15000;
    other_stable_ = true;
    out.info(from + " restarts after the partition, as heartbeat does: its groups wait for it");
    announce_local(out);
    return;
  }
  takeover_from(from, now, out);
}

// A peer we had declared dead is back with the same generation: both of us
// ran everything. Each group goes to the node haresources names for it —
// what heartbeat reaches by restarting both nodes — without a restart.
void Manager::on_partition_return(const std::string& node, int64_t now, Out& out) {
  if (!status_.count(node) || !comm_up_ || shutdown_in_progress_) return;
  healing_.insert(node);
  fence_.on_partition_return(node, out);
  heal(node, now, out);
  pump(now, out);
}

void Manager::heal(const std::string& node, int64_t now, Out& out) {
  (void)now;
  out.info("Split brain with " + node + " is over: each resource group goes back to the node "
           "haresources names for it");
  if (!nice()) {
    // A takeover may still be queued: release every foreign group behind it
    // (a stop of what does not run succeeds, as LSB requires).
    Job job;
    job.name = "split-brain";
    for (std::size_t g : table_.of_set(kForeign)) job.steps.push_back(Step::release(g));
    job.steps.push_back(Step::reach(kHealReleased));
    queue_.push(std::move(job));
    return;
  }
  if (standby_ != Standby::Not) cancel_standby(out, true);
  if (owed_done_ == Owed::Now) pay_owed_done(out);
  takeover_in_progress_ = false;
  if (i_hold_ & kForeign) {
    yield_foreign("their node " + node + " is back", out);
  } else {
    send_resources_held(is_stable(), "", out);
  }
  // Our own groups that a standby of ours is handing over stay handed over.
  bool giving_ours = owed_as_giver_ && (owed_set_ & kLocal);
  // With [fence], the peer that may still run our groups is fenced first.
  if (!(i_hold_ & kLocal) && !giving_ours &&
      (table_.of_set(kLocal).empty() || fence_.request(node, FencePurpose::HealAcquire, now, out)))
    request_our_resources(true, out);
}

// The fence step for `cleared.node` is over: what waited for it goes on.
void Manager::fence_cleared(const FenceCleared& cleared, int64_t now, Out& out) {
  for (FencePurpose purpose : cleared.purposes) {
    if (purpose == FencePurpose::Takeover) {
      takeover_from(cleared.node, now, out);
    } else if (!(i_hold_ & kLocal) && !shutdown_in_progress_) {
      request_our_resources(true, out);
    }
  }
}

void Manager::yield_foreign(const std::string& why, Out& out) {
  out.warn("Giving up foreign resources: " + why);
  ++yield_epoch_;  // a takeover still queued must not claim them back
  i_hold_ &= ~kForeign;
  needs_failback_ = false;
  yielding_ = true;
  send_resources_held(false, "", out);
  Job job;
  job.name = "split-brain";
  job.steps.push_back(Step::log("give up foreign HA resources (split brain)."));
  for (std::size_t g : table_.of_set(kForeign)) job.steps.push_back(Step::release(g));
  job.steps.push_back(Step::log("foreign HA resource release completed (split brain)."));
  job.steps.push_back(Step::reach(kYieldDone));
  queue_.push(std::move(job));
}

// Gratuitous ARP for the virtual IPs of the groups we keep, so that clients
// and switches that learnt the other node's MAC during the split come back.
void Manager::announce_local(Out& out) {
  std::vector<std::string> addresses;
  for (std::size_t g : table_.of_set(kLocal)) {
    GroupState s = table_.status(g).state;
    if (s != GroupState::Running && s != GroupState::Starting) continue;
    for (const auto& ip : vips_of(table_.at(g))) addresses.push_back(ip);
  }
  out.announce(std::move(addresses));
}

}  // namespace hbd::resources
