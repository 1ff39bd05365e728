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

}  // namespace hbd::control
