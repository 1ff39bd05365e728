#include "config/hbd_ini_policies.h"

namespace hbd::config {

namespace {

template <class T, class U>
void take(const std::optional<T>& given, U& into) {
  if (given) into = *given;
}

void apply(const MonitorKeys& k, resources::MonitorPolicy& p) {
  take(k.interval_ms, p.interval_ms);
  take(k.timeout_ms, p.timeout_ms);
  take(k.on_fail, p.on_fail);
  take(k.max_restarts, p.max_restarts);
  take(k.restart_window_ms, p.restart_window_ms);
  take(k.backoff_ms, p.backoff_ms);
  take(k.backoff_max_ms, p.backoff_max_ms);
}

void apply_named(const std::map<std::string, NamedMonitor>& sections, const std::string& name,
                 resources::MonitorPolicy& p) {
  auto it = sections.find(name);
  if (it != sections.end()) apply(it->second.keys, p);
}

}  // namespace

resources::MonitorPolicies monitor_policies(const HbdIni& ini,
                                            const std::vector<ResourceGroup>& groups) {
  resources::MonitorPolicies out;
  for (const auto& g : groups) {
    std::vector<resources::MonitorPolicy> policies;
    bool any = false;
    for (const auto& r : g.resources) {
      resources::MonitorPolicy p;
      apply(ini.monitor, p);
      apply_named(ini.groups, g.key(), p);
      apply_named(ini.resources, r.script, p);
      apply_named(ini.resources, r.token, p);
      any = any || p.enabled();
      policies.push_back(p);
    }
    if (any) out[g.key()] = std::move(policies);
  }
  return out;
}

resources::FencePolicy fence_policy(const HbdIni& ini) {
  resources::FencePolicy f;
  f.command = ini.fence.command;
  take(ini.fence.required, f.required);
  take(ini.fence.timeout_ms, f.timeout_ms);
  take(ini.fence.retry_ms, f.retry_ms);
  take(ini.fence.retry_max_ms, f.retry_max_ms);
  return f;
}

}  // namespace hbd::config
