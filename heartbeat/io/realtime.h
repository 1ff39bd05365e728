// heartbeat's "realtime" (config-and-tools §4.1 step 5): SCHED_RR at a low
// realtime priority and memory locked, so that heartbeats go out on time on
// a loaded machine. Failures are reported, never fatal.
#pragma once
#include <string>
#include <vector>

#include "log/format.h"

namespace hbd::io {

struct RealtimeNote {
  log::Level level;
  std::string text;
};

// `priority` 1..99 (ha.cf rtprio; heartbeat's default is the minimum, 1).
// Locks only the pages mapped now (MCL_CURRENT): with MCL_FUTURE a later
// allocation past RLIMIT_MEMLOCK would fail inside the daemon.
std::vector<RealtimeNote> make_realtime(int priority);

}  // namespace hbd::io
