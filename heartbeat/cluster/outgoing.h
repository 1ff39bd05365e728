// The control fields every message we send carries, in heartbeat's order
// (wire-protocol §2.1): [destuuid] src srcuuid seq hg ts ld ttl.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "cluster/params.h"
#include "wire/message.h"

namespace hbd::cluster {

// Types starting with NS_ carry no seq and are never retransmitted.
bool is_unsequenced(const std::string& type);

std::string to_hex(uint64_t value);
// Lowercase or uppercase hex without 0x, no sign, no overflow; false otherwise.
bool parse_hex(const std::string& text, uint64_t& value);
bool parse_decimal(const std::string& text, uint64_t& value);

class Outgoing {
 public:
  using WallSeconds = std::function<int64_t()>;
  using LoadAverage = std::function<std::string()>;

  Outgoing(const Params& params, WallSeconds wall_seconds, LoadAverage load_average);

  // Adds or overwrites the control fields; existing fields keep their place.
  // `dest_uuid` is the addressee's uuid as it announced it, or empty.
  // Returns the seq given, or 0 for an NS_ message.
  uint64_t stamp(wire::Message& message, const std::string& dest_uuid);

  uint64_t last_seq() const { return next_seq_ - 1; }

 private:
  std::string src_;
  std::string uuid_;
  std::string generation_;
  std::string ttl_;
  WallSeconds wall_seconds_;
  LoadAverage load_average_;
  uint64_t next_seq_ = 1;
};

}  // namespace hbd::cluster
