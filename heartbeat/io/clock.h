// The daemon's clocks: monotonic milliseconds for every timer (a wall-clock
// jump changes nothing), wall seconds only for the `ts` field and logs.
#pragma once
#include <cstdint>
#include <ctime>

namespace hbd::io {

inline int64_t monotonic_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

inline int64_t wall_seconds() { return static_cast<int64_t>(std::time(nullptr)); }

}  // namespace hbd::io
