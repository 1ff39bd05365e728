#include "io/realtime.h"

#include <sched.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstring>

namespace hbd::io {

std::vector<RealtimeNote> make_realtime(int priority) {
  std::vector<RealtimeNote> notes;
  sched_param sp{};
  sp.sched_priority = priority;
  if (::sched_setscheduler(0, SCHED_RR, &sp) != 0)
    notes.push_back({log::Level::Error, std::string("Cannot set realtime priority ") +
                                            std::to_string(priority) + ": " + std::strerror(errno)});
  if (::mlockall(MCL_CURRENT) != 0) {
    const char* why = errno == ENOMEM || errno == EAGAIN
                          ? "System limits on locked-in memory are too small."
                          : std::strerror(errno);
    notes.push_back({log::Level::Error, std::string("Cannot lock ourselves into memory:  ") + why});
  }
  return notes;
}

}  // namespace hbd::io
