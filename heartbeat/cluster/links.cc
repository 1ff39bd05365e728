#include "cluster/links.h"

#include <algorithm>
#include <limits>

namespace hbd::cluster {

bool Links::heard(const std::string& node, const std::string& medium, int64_t now) {
  State& s = links_[{node, medium}];
  s.last_heard = now;
  bool was_up = s.up;
  s.up = true;
  return !was_up;
}

std::vector<LinkChange> Links::expire(int64_t now, const std::string& skip,
                                      const DeadtimeOf& deadtime_of) {
  std::vector<LinkChange> changes;
  for (auto& [key, s] : links_) {
    if (!s.up || key.first == skip) continue;
    if (now >= expiry(s, deadtime_of(key.first))) {
      s.up = false;
      changes.push_back({key.first, key.second, false});
    }
  }
  return changes;
}

int64_t Links::next_expiry(const std::string& skip, const DeadtimeOf& deadtime_of) const {
  int64_t next = std::numeric_limits<int64_t>::max();
  for (const auto& [key, s] : links_) {
    if (s.up && key.first != skip) next = std::min(next, expiry(s, deadtime_of(key.first)));
  }
  return next;
}

bool Links::is_up(const std::string& node, const std::string& medium) const {
  auto it = links_.find({node, medium});
  return it != links_.end() && it->second.up;
}

void Links::forget_node(const std::string& node) {
  auto it = links_.lower_bound({node, std::string()});
  while (it != links_.end() && it->first.first == node) it = links_.erase(it);
}

}  // namespace hbd::cluster
