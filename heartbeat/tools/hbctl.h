// hbctl: hbd's own admin tool. `hbctl status` prints a table of nodes, links
// and resource state; `hbctl status --json` the same for programs; `hbctl
// check` is a Nagios/Icinga plugin (tools/hbctl_check.h), `hbctl metrics`
// Prometheus text (tools/hbctl_metrics.h). All from one status snapshot.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "control/client.h"
#include "config/json_text.h"
#include "control/snapshot.h"
#include "tools/hbctl_monitor.h"

namespace hbd::tools {

// A JSON string literal, quotes included (config/json_text.h: bytes that
// are not UTF-8 escaped, so the output is always valid JSON).
using config::json_string;

std::string format_status_table(const control::Snapshot& snapshot);
std::string format_status_json(const control::Snapshot& snapshot);

struct HbctlOutcome {
  std::string out;
  std::string err;
  int exit_code = 0;
};

// args = argv[1..]; `fetch` is called only when the daemon must be asked.
// `command` sends hbctl cleanup's request (control::send_command).
HbctlOutcome run_hbctl(const std::vector<std::string>& args,
                       control::FetchResult (*fetch)(const std::string& socket_path, int timeout_ms),
                       const std::string& socket_path,
                       SendCommand command = control::send_command);

}  // namespace hbd::tools
