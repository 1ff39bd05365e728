#include "resources/monitor.h"

#include <algorithm>

namespace hbd::resources {

bool GroupWatch::watched() const {
  return std::any_of(resources.begin(), resources.end(),
                     [](const ResourceWatch& w) { return w.policy.enabled(); });
}

Monitor::Monitor(const MonitorPolicies& policies, const GroupTable& table) {
  groups_.resize(table.size());
  for (std::size_t g = 0; g < table.size(); ++g) {
    GroupWatch& watch = groups_[g];
    watch.resources.resize(table.at(g).resources.size());
    auto it = policies.find(table.at(g).key);
    if (it == policies.end()) continue;
    // A policy list longer than the group is cut; a shorter one leaves the
    // rest unwatched.
    for (std::size_t r = 0; r < watch.resources.size() && r < it->second.size(); ++r)
      watch.resources[r].policy = it->second[r];
    if (watch.watched()) any_ = true;
  }
}

void Monitor::record_failure(std::size_t g, std::size_t r, int64_t now, std::string reason) {
  FailCount& f = groups_.at(g).resources.at(r).fails;
  ++f.count;
  f.last_ms = now;
  f.reason = std::move(reason);
}

Verdict Monitor::decide(std::size_t g, std::size_t r, int64_t now) {
  ResourceWatch& w = groups_.at(g).resources.at(r);
  const MonitorPolicy& p = w.policy;
  Verdict v;
  if (p.on_fail == OnFail::Ignore) return v;
  if (p.on_fail == OnFail::Relocate) {
    v.kind = Verdict::Kind::Relocate;
    return v;
  }
  while (!w.restarts.empty() && now - w.restarts.front() >= p.restart_window_ms)
    w.restarts.pop_front();
  int done = static_cast<int>(w.restarts.size());
  if (done >= p.max_restarts) {
    v.kind = Verdict::Kind::Relocate;
    v.beyond_max = true;
    return v;
  }
  // backoff, doubled per restart already in the window, capped.
  int64_t delay = std::max<int64_t>(p.backoff_ms, 0);
  for (int i = 0; i < done && delay < p.backoff_max_ms; ++i) delay *= 2;
  v.kind = Verdict::Kind::Restart;
  v.delay_ms = std::min(delay, std::max<int64_t>(p.backoff_max_ms, 0));
  v.restart = done + 1;
  w.restarts.push_back(now);
  return v;
}

void Monitor::reschedule(std::size_t g, int64_t now) {
  for (ResourceWatch& w : groups_.at(g).resources)
    if (w.policy.enabled()) w.due_ms = now + w.policy.interval_ms;
}

void Monitor::cleanup(std::size_t g, std::optional<std::size_t> r) {
  GroupWatch& watch = groups_.at(g);
  for (std::size_t i = 0; i < watch.resources.size(); ++i) {
    if (r && *r != i) continue;
    watch.resources[i].fails = FailCount{};
    watch.resources[i].restarts.clear();
  }
  watch.relocated_away = false;
  watch.failed_both = false;
  watch.relocate_pending = false;
  watch.degraded = false;
}

}  // namespace hbd::resources
