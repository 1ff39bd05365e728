#include "io/realtime.h"

#include <malloc.h>
#include <sched.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include "io/receive_buffer.h"
#include "io/startup_pages.h"

#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4  // Linux >= 4.4; older C libraries do not name it
#endif

namespace hbd::io {

namespace {

constexpr size_t kTouchStride = 1024;  // below any page size

// noinline: the array must be a frame of its own, below the caller's, where
// the loop's callbacks will later run.
__attribute__((noinline)) void touch_stack() {
  volatile char frame[kStackPrefaultBytes];
  for (size_t i = 0; i < sizeof frame; i += kTouchStride) frame[i] = 0;
}

std::string lock_failure(int err) {
  const char* why = err == ENOMEM || err == EAGAIN
                        ? "System limits on locked-in memory are too small."
                        : std::strerror(err);
  return std::string("Cannot lock ourselves into memory:  ") + why;  // two spaces, as heartbeat
}

// True when memory ended up locked.
bool lock_memory(RealtimeCalls& calls, std::vector<RealtimeNote>& notes) {
  calls.trim_heap();
  calls.release_startup_pages();
  int err = calls.lock_all(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT);
  if (err == EINVAL) {
    notes.push_back({log::Level::Info,
                     "mlockall: MCL_ONFAULT refused (kernel before 4.4?); locking every mapped page"});
    err = calls.lock_all(MCL_CURRENT | MCL_FUTURE);
  }
  if (err != 0) notes.push_back({log::Level::Error, lock_failure(err)});
  return err == 0;
}

}  // namespace

int SystemRealtimeCalls::set_round_robin(int priority) {
  sched_param sp{};
  sp.sched_priority = priority;
  return ::sched_setscheduler(0, SCHED_RR, &sp) == 0 ? 0 : errno;
}

void SystemRealtimeCalls::trim_heap() { ::malloc_trim(0); }

void SystemRealtimeCalls::release_startup_pages() { io::release_startup_pages(); }

int SystemRealtimeCalls::lock_all(int flags) { return ::mlockall(flags) == 0 ? 0 : errno; }

void SystemRealtimeCalls::prefault() {
  touch_stack();
  prefault_receive_buffer();
}

std::vector<RealtimeNote> make_realtime(int priority, RealtimeCalls& calls) {
  std::vector<RealtimeNote> notes;
  if (int err = calls.set_round_robin(priority); err != 0)
    notes.push_back({log::Level::Error, "Cannot set realtime priority " + std::to_string(priority) +
                                            ": " + std::strerror(err)});
  if (lock_memory(calls, notes)) calls.prefault();
  return notes;
}

std::vector<RealtimeNote> make_realtime(int priority) {
  SystemRealtimeCalls calls;
  return make_realtime(priority, calls);
}

}  // namespace hbd::io
