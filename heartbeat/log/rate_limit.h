// Holds back repeats of a log line so that a noisy or hostile peer cannot
// flood the log: per key (reason and sender), the first line of an interval
// is logged, the rest are counted and reported later as one summary line.
// Pure: the caller hands it the monotonic time.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "log/format.h"

namespace hbd::log {

struct Suppressed {
  std::string key;
  Level level;
  uint64_t count;
  // "<key>: <count> more suppressed"
  std::string summary() const;
};

class RateLimit {
 public:
  static constexpr int64_t kDefaultIntervalMs = 60000;
  static constexpr size_t kDefaultMaxKeys = 64;
  // Keys beyond max_keys share this one, so memory stays bounded.
  static constexpr const char* kOverflowKey = "(other senders)";

  explicit RateLimit(int64_t interval_ms = kDefaultIntervalMs,
                     size_t max_keys = kDefaultMaxKeys)
      : interval_ms_(interval_ms), max_keys_(max_keys) {}

  // True if a line for `key` may be logged at `now`; false: it is counted.
  // `key` is updated to the key it was counted under (kOverflowKey when full).
  bool allow(std::string& key, Level level, int64_t now);
  // The keys whose interval is over with lines held back; forgets them.
  std::vector<Suppressed> take_summaries(int64_t now);
  size_t keys() const { return windows_.size(); }

 private:
  struct Window {
    int64_t start;
    Level level;
    uint64_t suppressed = 0;
  };

  int64_t interval_ms_;
  size_t max_keys_;
  std::map<std::string, Window> windows_;
  std::vector<Suppressed> pending_;  // windows restarted by allow() with a count
};

}  // namespace hbd::log
