// Received bytes to an authenticated message: decode, count what was
// dropped and say what to log. heartbeat logs only an unknown key index
// (WARN "Invalid authentication type [N] in message!"); every other bad
// packet is a debug line, so a noisy network cannot flood the log.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "log/format.h"
#include "wire/codec.h"

namespace hbd::daemon {

struct IntakeCounters {
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  std::array<uint64_t, static_cast<size_t>(wire::Reject::BadDigest) + 1> by_reason{};

  uint64_t count(wire::Reject r) const { return by_reason[static_cast<size_t>(r)]; }
};

struct IntakeResult {
  bool accepted = false;
  wire::Message message;  // when accepted
  log::Level level = log::Level::Debug;
  std::string log_text;   // empty: nothing to log
};

class Intake {
 public:
  IntakeResult take(std::string_view packet, const std::string& medium,
                    const wire::AuthConfig& auth);
  const IntakeCounters& counters() const { return counters_; }

 private:
  IntakeCounters counters_;
};

}  // namespace hbd::daemon
