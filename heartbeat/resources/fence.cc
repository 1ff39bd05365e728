#include "resources/fence.h"

#include <algorithm>
#include <climits>

namespace hbd::resources {

namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
  return s;
}

}  // namespace

std::string describe_end(const ScriptOutcome& o) {
  switch (o.end) {
    case ScriptOutcome::End::TimedOut: return "timed out";
    case ScriptOutcome::End::NotRun: return "could not run: " + o.error;
    case ScriptOutcome::End::Signalled: return "was killed by signal " + std::to_string(o.signal);
    case ScriptOutcome::End::Exited: break;
  }
  return "exited with return code " + std::to_string(o.exit_code);
}

FenceGate::FenceGate(FencePolicy policy, uint64_t* next_call_id)
    : policy_(std::move(policy)), next_call_id_(next_call_id) {}

bool FenceGate::request(const std::string& node, FencePurpose purpose, int64_t now, Out& out) {
  (void)now;
  if (!enabled()) return true;
  Peer& peer = peers_[node];
  if (peer.fenced) {
    out.info("Node " + node + " was fenced and has not come back since: no new fence run");
    return true;
  }
  if (std::find(peer.waiting.begin(), peer.waiting.end(), purpose) == peer.waiting.end())
    peer.waiting.push_back(purpose);
  // A run in progress or a retry scheduled answers this request too.
  if (peer.call == 0 && peer.retry_at == 0) run(node, peer, out);
  return false;
}

std::string FenceGate::reason_of(const std::vector<FencePurpose>& waiting) {
  return !waiting.empty() && waiting.front() == FencePurpose::HealAcquire ? "split-brain" : "dead";
}

void FenceGate::run(const std::string& node, Peer& peer, Out& out) {
  const std::string reason = reason_of(peer.waiting);
  ScriptCall call;
  call.id = ++*next_call_id_;
  call.path = policy_.command.front();
  call.args.assign(policy_.command.begin() + 1, policy_.command.end());
  call.args.push_back(node);
  call.args.push_back(reason);
  call.timeout_ms = policy_.timeout_ms;
  call.env = {{"HA_FENCE_NODE", node}, {"HA_FENCE_REASON", reason}};
  peer.call = call.id;
  peer.retry_at = 0;
  out.info("Resetting node " + node + " with [" + joined(policy_.command) + "] (" + reason + ")");
  out.run(std::move(call));
}

bool FenceGate::owns(uint64_t call_id) const {
  if (call_id == 0) return false;
  for (const auto& [node, peer] : peers_)
    if (peer.call == call_id) return true;
  return false;
}

std::optional<FenceCleared> FenceGate::on_outcome(const ScriptOutcome& o, int64_t now, Out& out) {
  auto it = std::find_if(peers_.begin(), peers_.end(),
                         [&](const auto& entry) { return o.id != 0 && entry.second.call == o.id; });
  if (it == peers_.end()) return std::nullopt;
  const std::string& node = it->first;
  Peer& peer = it->second;
  peer.call = 0;
  if (o.ok()) {
    peer.fenced = true;
    out.info("node " + node + " now reset.");
    out.send(make_message("stonith", {{"node", node}, {"result", "OK"}}));
    if (peer.waiting.empty()) return std::nullopt;
    return clear(node, peer);
  }
  const std::string failure = "Fencing of " + node + " failed: [" + joined(policy_.command) +
                              "] " + describe_end(o);
  if (peer.waiting.empty()) {  // nothing waits for it any more (the node came back)
    out.warn(failure + " (no longer needed)");
    return std::nullopt;
  }
  ++peer.failures;
  if (!policy_.required) {
    out.warn(failure + "; [fence] required = no: going on without it. Shared disks are not "
             "protected.");
    return clear(node, peer);
  }
  int64_t delay = retry_delay(peer.failures);
  peer.retry_at = now + delay;
  out.crit(failure + "; nothing is taken over from " + node + " until it is fenced. Retry " +
           std::to_string(peer.failures) + " in " + std::to_string(delay) + " ms.");
  return std::nullopt;
}

FenceCleared FenceGate::clear(const std::string& node, Peer& peer) {
  FenceCleared cleared{node, std::move(peer.waiting)};
  peer.waiting.clear();
  peer.failures = 0;
  peer.retry_at = 0;
  return cleared;
}

int64_t FenceGate::retry_delay(int failures) const {
  int64_t delay = std::max<int64_t>(1, policy_.retry_ms);
  for (int i = 1; i < failures && delay < policy_.retry_max_ms; ++i) delay *= 2;
  return std::min(delay, std::max(policy_.retry_max_ms, int64_t{1}));
}

void FenceGate::on_time(int64_t now, Out& out) {
  for (auto& [node, peer] : peers_) {
    if (peer.retry_at == 0 || now < peer.retry_at) continue;
    if (peer.waiting.empty()) {
      peer.retry_at = 0;
      continue;
    }
    run(node, peer, out);
  }
}

int64_t FenceGate::next_deadline() const {
  int64_t next = 0;
  for (const auto& [node, peer] : peers_)
    if (peer.retry_at != 0 && (next == 0 || peer.retry_at < next)) next = peer.retry_at;
  return next;
}

void FenceGate::drop(const std::string& node, Peer& peer, const std::string& why, Out& out) {
  if (!peer.waiting.empty()) out.info("Fencing of " + node + " no longer waited for: " + why);
  peer.waiting.clear();
  peer.failures = 0;
  peer.retry_at = 0;
}

void FenceGate::on_restart(const std::string& node, Out& out) {
  auto it = peers_.find(node);
  if (it == peers_.end()) return;
  if (it->second.fenced) out.info(node + " is back with a new generation: trusted again");
  it->second.fenced = false;
  drop(node, it->second, "it is back with a new generation", out);
}

void FenceGate::on_partition_return(const std::string& node, Out& out) {
  auto it = peers_.find(node);
  if (it == peers_.end()) return;
  if (it->second.fenced)
    out.crit(node + " was fenced but is back with the same generation: the fence command did "
             "not power it off. Not trusted: it is fenced again before anything is taken from it");
  it->second.fenced = false;
  drop(node, it->second, "it is back after a split brain", out);
}

void FenceGate::drop_all(const std::string& why, Out& out) {
  for (auto& [node, peer] : peers_) drop(node, peer, why, out);
}

bool FenceGate::fenced(const std::string& node) const {
  auto it = peers_.find(node);
  return it != peers_.end() && it->second.fenced;
}

bool FenceGate::waiting(const std::string& node) const {
  auto it = peers_.find(node);
  return it != peers_.end() && !it->second.waiting.empty();
}

}  // namespace hbd::resources
