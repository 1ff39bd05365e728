// The daemon's clocks: monotonic milliseconds for every timer (a wall-clock
// jump changes nothing), wall seconds only for the `ts` field, the generation
// and logs. The daemon reads time only through an injected Clock, so tests
// drive it with a fake one.
#pragma once
#include <cstdint>
#include <ctime>

namespace hbd::io {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t monotonic_ms() const = 0;
  virtual int64_t wall_seconds() const = 0;
};

// The system's clocks, for RealClock and tools that need no fake.
inline int64_t monotonic_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

inline int64_t wall_seconds() { return static_cast<int64_t>(std::time(nullptr)); }

class RealClock : public Clock {
 public:
  int64_t monotonic_ms() const override { return io::monotonic_ms(); }
  int64_t wall_seconds() const override { return io::wall_seconds(); }
};

}  // namespace hbd::io
