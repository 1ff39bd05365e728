// hbctl's view of hbd.ini monitoring: fail counts per watched resource in
// `hbctl status` (a table and JSON), and `hbctl cleanup`.
#pragma once
#include <string>
#include <vector>

#include "control/client.h"
#include "control/snapshot.h"

namespace hbd::tools {

// "" when no group is watched (no hbd.ini): the status looks as before.
std::string monitoring_table(const control::Snapshot& s);
// {"KEY":{"relocated_away":…,"failed_both":…,"resources":[{…}]}}, {} when none.
std::string monitoring_json(const control::Snapshot& s);

struct CleanupOutcome {
  std::string out, err;
  int exit_code = 0;
};
using SendCommand = control::CommandResult (*)(const std::string& socket_path,
                                               const std::string& command, int timeout_ms);
// hbctl cleanup [GROUP|RESOURCE]: the daemon forgets fail counts (all of
// them without an argument) and starts again a group that failed on both
// nodes; root only.
CleanupOutcome run_cleanup(const std::vector<std::string>& args, SendCommand send,
                           const std::string& socket_path);

}  // namespace hbd::tools
