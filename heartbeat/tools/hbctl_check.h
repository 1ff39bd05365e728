// `hbctl check`: the cluster's health as a Nagios/Icinga plugin reports it,
// judged from one status snapshot. Pure: no sockets, no clock.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "control/snapshot.h"

namespace hbd::tools {

// The plugin exit codes, worst last.
enum class CheckCode { Ok = 0, Warning = 1, Critical = 2, Unknown = 3 };

struct CheckOptions {
  long transition_warn_s = 60;  // a group starting/stopping longer than this warns
};

struct CheckVerdict {
  CheckCode code = CheckCode::Unknown;
  std::string line;  // "HBD OK - text | perfdata\n"
};

// The verdict on a snapshot: CRITICAL for a dead peer, a group no node runs
// while this node could, a group failed here; WARNING for a dead link to a
// live peer, a dead ping node, a group in transition too long, communication
// not up yet; otherwise OK. Every problem is named, the worst first.
CheckVerdict judge_snapshot(const control::Snapshot& snapshot, const CheckOptions& options);

// A normal node up or active, a ping node answering ("init": not yet).
bool node_up(const control::NodeState& node);

// UNKNOWN with `why` (hbd not running, connection refused, ...).
CheckVerdict unknown_verdict(const std::string& why);

// Options after `check`; nullopt and `error` set when they are wrong.
std::optional<CheckOptions> parse_check_args(const std::vector<std::string>& args,
                                             std::string& error);

}  // namespace hbd::tools
