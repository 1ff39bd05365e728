// Received bytes to an authenticated message: decode, count what was
// dropped and say what to log. heartbeat logs only an unknown key index
// (WARN "Invalid authentication type [N] in message!"); every other bad
// packet is a debug line. Either is rate-limited per reason and sender (the
// src the packet claims, and the medium), so a noisy or hostile network
// cannot flood the log; the counters stay exact.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "log/format.h"
#include "log/rate_limit.h"
#include "wire/codec.h"

namespace hbd::daemon {

struct IntakeCounters {
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  std::array<uint64_t, wire::kRejectReasons> by_reason{};

  uint64_t count(wire::Reject r) const { return by_reason[static_cast<size_t>(r)]; }
};

struct IntakeResult {
  bool accepted = false;
  wire::Message message;  // when accepted
  log::Level level = log::Level::Debug;
  std::string log_text;   // empty: nothing to log (or held back)
};

class Intake {
 public:
  IntakeResult take(std::string_view packet, const std::string& medium,
                    const wire::AuthConfig& auth, int64_t now_ms);
  // "N more suppressed" lines for the log, once their interval is over.
  std::vector<log::Suppressed> take_summaries(int64_t now_ms) {
    return limit_.take_summaries(now_ms);
  }
  const IntakeCounters& counters() const { return counters_; }

 private:
  IntakeCounters counters_;
  log::RateLimit limit_;
};

}  // namespace hbd::daemon
