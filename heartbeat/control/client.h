// The tools' side of the control socket: one request, one snapshot.
#pragma once
#include <string>

#include "control/snapshot.h"

namespace hbd::control {

enum class FetchStatus {
  Ok,
  NotRunning,   // no socket, or nobody listening on it
  Refused,      // the daemon is there but will not talk to us (permissions)
  TimedOut,     // no full answer before the deadline
  BadResponse,  // an answer we cannot read, or the daemon's error reply
};

struct FetchResult {
  FetchStatus status = FetchStatus::BadResponse;
  Snapshot snapshot;   // valid when status is Ok
  std::string detail;  // why, for the other statuses
};

FetchResult fetch_snapshot(const std::string& socket_path, int timeout_ms);

// One command line (e.g. "cleanup httpd"); Ok when the daemon answered "ok",
// BadResponse with its reason when it refused.
struct CommandResult {
  FetchStatus status = FetchStatus::BadResponse;
  std::string detail;
};
CommandResult send_command(const std::string& socket_path, const std::string& command,
                           int timeout_ms);

}  // namespace hbd::control
