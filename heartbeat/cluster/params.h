// Parameters of the membership core, filled by an adapter from ha.cf and the
// persisted generation/uuid files (wire-protocol §5.2, §5.4, §5.5).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "config/defaults.h"

namespace hbd::cluster {

struct Params {
  std::string local_node;                // lowercase, must be one of `nodes`
  std::vector<std::string> nodes;        // normal nodes, config order, lowercase
  std::vector<std::string> ping_nodes;   // ping / ping_group pseudo-nodes
  // heartbeat's defaults (config/defaults.h); the adapter sets them all.
  int64_t keepalive_ms = config::defaults::kKeepaliveMs;
  int64_t deadtime_ms = config::defaults::kDeadtimeMs;
  int64_t warntime_ms = config::defaults::warntime_for(config::defaults::kDeadtimeMs);
  int64_t initdead_ms = config::defaults::initdead_for(config::defaults::kDeadtimeMs);
  int64_t deadping_ms = config::defaults::deadping_for(config::defaults::kDeadtimeMs);
  int64_t max_rexmit_delay_ms = config::defaults::kMaxRexmitDelayMs;
  int hopfudge = config::defaults::kHopfudge;
  uint64_t generation = 0;               // already incremented and persisted
  std::string uuid;                      // 16 raw bytes, or empty
  bool flow_control = true;              // send `protocol` and expect acks
};

// Timing constants of heartbeat 3.0.6 that ha.cf cannot change.
constexpr int64_t kInitialDtPeriodMs = 5000;  // dt = deadtime + 2000 meanwhile
constexpr int64_t kInitialDtExtraMs = 2000;
constexpr int64_t kReqnodesPeriodMs = 1000;
// The first reqnodes waits this long after links up (3.0.6: its next 250 ms
// check). Asked at once, a peer that has just started answers while its first
// statuses are still in flight; a third node that gets the answer (a higher
// seq) first drops those statuses as old (§4.6) and may count it silent.
constexpr int64_t kFirstReqnodesDelayMs = 250;

// Bounds on the deadtime a peer advertises (dt), which we apply to it: below
// twice our keepalive (the least ha.cf accepts) its every heartbeat would be
// late and it would flap; above a day its death would never be noticed.
constexpr int64_t kMaxAdvertisedDeadtimeMs = 24 * 3600 * 1000;
inline int64_t min_advertised_deadtime_ms(const Params& p) { return 2 * p.keepalive_ms + 1; }

}  // namespace hbd::cluster
