// Giving up every group at shutdown (config-and-tools §4.6) and the legacy
// ip-request / ip-request-resp exchange (wire-protocol §6.8).
#include "resources/manager.h"

namespace hbd::resources {

void Manager::request_shutdown(int64_t now, bool restart, Out& out) {
  if (shutdown_requested_ || needs_shutdown_ || shutdown_in_progress_) return;
  restart_after_ = restart;
  if (!comm_up_) {
    out.warn("Shutdown delayed until Communication is up.");
    shutdown_requested_ = true;
    return;
  }
  give_up_resources(out);
  pump(now, out);
}

void Manager::shutdown_if_needed(Out& out) {
  if (needs_shutdown_) give_up_resources(out);
}

// Waits until nothing moves, then announces "holding none, shutting down",
// releases every group in file order (each right to left, running or not)
// and sends shutdone.
void Manager::give_up_resources(Out& out) {
  if (shutdown_in_progress_) return;
  if (!is_stable()) {
    if (!needs_shutdown_) {
      out.warn("Shutdown delayed until current resource activity finishes.");
      needs_shutdown_ = true;
    }
    return;
  }
  needs_shutdown_ = false;
  shutdown_in_progress_ = true;
  fence_.drop_all("this node shuts down", out);
  i_hold_ = kNone;
  rstate_ = RState::Shutdown;
  send_resources_held(false, "shutdown", out);
  out.info("Heartbeat shutdown in progress. (" + std::to_string(settings_.pid) + ")");
  Job job;
  job.name = "hb_giveup_resources";
  job.steps.push_back(Step::log("Giving up all HA resources."));
  for (std::size_t g = 0; g < table_.size(); ++g) job.steps.push_back(Step::release(g));
  job.steps.push_back(Step::reach(kGiveUpDone));
  queue_.push(std::move(job));
}

// rc.d/ip-request: the peer wants one of its groups; give it up if its key
// runs here, and answer either way.
void Manager::ip_request(const wire::Message& m, const std::string& from, Out& out) {
  std::string key = m.get_or("ipaddr", "");
  if (key.empty()) return;
  Job job;
  job.name = "ip-request";
  job.node = from;
  auto group = table_.by_key(key);
  if (!group) {
    out.send(make_message("ip-request-resp", {{"dest", from}, {"ipaddr", key},
                                              {"weown", "no"}, {"ok", "OK"}}));
    return;
  }
  job.steps.push_back(Step::status_key(*group));
  job.steps.push_back(Step::reach(kIpRequestDecide, *group));
  queue_.push(std::move(job));
}

void Manager::reply_ip_request(const Job& job, std::size_t group, Out& out) {
  out.send(make_message("ip-request-resp", {{"dest", job.node},
                                            {"ipaddr", table_.at(group).key},
                                            {"weown", job.key_running ? "yes" : "no"},
                                            {"ok", "OK"}}));
}

// rc.d/ip-request-resp: our request was answered; OK means take the group.
void Manager::ip_request_resp(const wire::Message& m, const std::string& from) {
  if (m.get_or("dest", "") == from && !is_me(from)) {
    peer_granted_itself(m, from);
    return;
  }
  if (m.get_or("dest", "") != settings_.local_node) return;
  std::string key = m.get_or("ipaddr", "");
  std::string ok = m.get_or("ok", "");
  Job job;
  job.name = "ip-request-resp";
  job.steps.push_back(Step::log("received ip-request-resp " + key + " " + ok + " " +
                                m.get_or("weown", "")));
  auto group = table_.by_key(key);
  if (ok == "OK" && group) job.steps.push_back(Step::acquire(*group));
  if (ok == "OK" && !group) job.steps.push_back(Step::log("No resource group with key " + key, log::Level::Error));
  queue_.push(std::move(job));
}

// hbd: a legacy peer that did not see us active when its comm came up (it
// restarted within our deadtime) answers its own ip-requests and starts its
// groups without asking us; heartbeat's rc.d/ip-request-resp runs only on
// the addressee, so heartbeat would run such a group on both nodes for good.
// The group is the peer's: we stop it if it runs here.
void Manager::peer_granted_itself(const wire::Message& m, const std::string& from) {
  auto group = table_.by_key(m.get_or("ipaddr", ""));
  if (!group || m.get_or("ok", "") != "OK" || table_.at(*group).node != from) return;
  Job job;
  job.name = "peer-ip-request-resp";
  job.node = from;
  job.steps.push_back(Step::status_key(*group));
  job.steps.push_back(Step::reach(kSelfGrantDecide, *group));
  queue_.push(std::move(job));
}

}  // namespace hbd::resources
