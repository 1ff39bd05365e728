// What hbd.ini asks of the resource manager beyond heartbeat (config/hbd_ini
// fills these; with no hbd.ini they stay empty and hbd behaves exactly as
// heartbeat 3.0.6: nothing watched after start, nothing fenced).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "config/defaults.h"

namespace hbd::resources {

// What a failed periodic status leads to.
enum class OnFail {
  Restart,   // stop the failed resource and those right of it, start them again;
             // beyond max_restarts within restart_window: Relocate
  Relocate,  // hand the group to the peer (heartbeat's standby protocol)
  Ignore,    // log only
};

// The periodic status of one resource of a group this node holds.
struct MonitorPolicy {
  int64_t interval_ms = 0;  // 0: not monitored
  int64_t timeout_ms = config::defaults::kMonitorTimeoutMs;
  OnFail on_fail = OnFail::Restart;
  int max_restarts = config::defaults::kMonitorMaxRestarts;
  int64_t restart_window_ms = config::defaults::kMonitorRestartWindowMs;
  int64_t backoff_ms = config::defaults::kMonitorBackoffMs;  // doubled per restart in the window
  int64_t backoff_max_ms = config::defaults::kMonitorBackoffMaxMs;
  bool enabled() const { return interval_ms > 0; }
};

// By group key (config::ResourceGroup's key), one policy per resource in
// haresources order. A group that is absent is not monitored.
using MonitorPolicies = std::map<std::string, std::vector<MonitorPolicy>>;

// The fence step before taking over a dead or unresponsive peer's groups and
// before acquiring groups after a split-brain heal.
struct FencePolicy {
  std::vector<std::string> command;  // argv, run without a shell; empty: no fencing
  bool required = true;              // takeover waits until the command exits 0
  int64_t timeout_ms = config::defaults::kFenceTimeoutMs;
  int64_t retry_ms = config::defaults::kFenceRetryMs;  // doubled per failure
  int64_t retry_max_ms = config::defaults::kFenceRetryMaxMs;
  bool enabled() const { return !command.empty(); }
};

}  // namespace hbd::resources
