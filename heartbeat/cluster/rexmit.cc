#include "cluster/rexmit.h"

#include <algorithm>
#include <limits>

namespace hbd::cluster {

int64_t RexmitRequests::first_delay(Random& rng) const {
  int64_t lo = max_delay_ < 100 ? 0 : 50;
  return rng.between(lo, std::max(lo, max_delay_));
}

void RexmitRequests::schedule(const std::string& node, uint64_t seq, int64_t now,
                              Random& rng) {
  due_.emplace(std::make_pair(node, seq), now + first_delay(rng));
}

void RexmitRequests::cancel(const std::string& node, uint64_t seq) {
  due_.erase({node, seq});
}

void RexmitRequests::cancel_node(const std::string& node) {
  auto it = due_.lower_bound({node, 0});
  while (it != due_.end() && it->first.first == node) it = due_.erase(it);
}

std::vector<std::pair<std::string, uint64_t>> RexmitRequests::take_due(int64_t now) {
  std::vector<std::pair<std::string, uint64_t>> due;
  for (auto& [key, when] : due_) {
    if (when > now) continue;
    due.push_back(key);
    // Never reschedule into the past, or a stalled loop would flood.
    when = std::max(when + std::max<int64_t>(max_delay_, 1), now + 1);
  }
  return due;
}

int64_t RexmitRequests::next_due() const {
  int64_t next = std::numeric_limits<int64_t>::max();
  for (const auto& entry : due_) next = std::min(next, entry.second);
  return next;
}

}  // namespace hbd::cluster
