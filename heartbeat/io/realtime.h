// heartbeat's "realtime" (config-and-tools §4.1 step 5): SCHED_RR at a low
// realtime priority and memory locked, so that heartbeats go out on time on
// a loaded machine. Failures are reported, never fatal.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "log/format.h"

namespace hbd::io {

struct RealtimeNote {
  log::Level level;
  std::string text;
};

// The system calls behind "realtime", so that tests can refuse them.
class RealtimeCalls {
 public:
  virtual ~RealtimeCalls() = default;
  // 0, or the errno of sched_setscheduler(0, SCHED_RR, priority).
  virtual int set_round_robin(int priority) = 0;
  // Gives the heap's free pages back (malloc_trim): start-up's
  // configuration parsing and OpenSSL set-up freed far more than the loop
  // keeps, and what is resident at mlockall time stays locked.
  virtual void trim_heap() = 0;
  // Unmaps the read-only file pages start-up touched (startup_pages.h).
  virtual void release_startup_pages() = 0;
  // 0, or the errno of mlockall(flags).
  virtual int lock_all(int flags) = 0;
  // Touches the stack and the receive buffer the loop will use, so that
  // the hot path takes no page fault once memory is locked.
  virtual void prefault() = 0;
};

// Stack touched once after locking: far more than the loop's deepest call
// chain (decode, log, send) needs, and little enough to stay resident.
inline constexpr size_t kStackPrefaultBytes = 64 * 1024;

class SystemRealtimeCalls : public RealtimeCalls {
 public:
  int set_round_robin(int priority) override;
  void trim_heap() override;
  void release_startup_pages() override;
  int lock_all(int flags) override;
  void prefault() override;
};

// `priority` 1..99 (ha.cf rtprio; heartbeat's default is the minimum, 1).
// Memory is locked with MCL_CURRENT|MCL_FUTURE|MCL_ONFAULT: only the pages
// actually used are resident and locked, not every page of every mapped
// library; pages used later (heap growth, resolver threads) are locked as
// they are first touched. The heap is trimmed and start-up's read-only file
// pages are released first, so that only what the loop touches again comes
// back. A kernel without MCL_ONFAULT (before 4.4) refuses
// it with EINVAL: then every mapped page is locked instead.
std::vector<RealtimeNote> make_realtime(int priority, RealtimeCalls& calls);
std::vector<RealtimeNote> make_realtime(int priority);

}  // namespace hbd::io
