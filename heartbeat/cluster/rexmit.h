// When to ask peers for missing packets (wire-protocol §5.7): the first
// request after a random delay, because peers legitimately send slightly out
// of order, then again every max_rexmit_delay until the packet arrives.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "cluster/events.h"

namespace hbd::cluster {

class RexmitRequests {
 public:
  explicit RexmitRequests(int64_t max_rexmit_delay_ms) : max_delay_(max_rexmit_delay_ms) {}

  void schedule(const std::string& node, uint64_t seq, int64_t now, Random& rng);
  void cancel(const std::string& node, uint64_t seq);
  void cancel_node(const std::string& node);

  // The (node, seq) pairs due at `now`; each is rescheduled one
  // max_rexmit_delay later.
  std::vector<std::pair<std::string, uint64_t>> take_due(int64_t now);
  // Earliest due time, or INT64_MAX.
  int64_t next_due() const;
  size_t pending() const { return due_.size(); }

 private:
  int64_t first_delay(Random& rng) const;

  int64_t max_delay_;
  std::map<std::pair<std::string, uint64_t>, int64_t> due_;
};

}  // namespace hbd::cluster
