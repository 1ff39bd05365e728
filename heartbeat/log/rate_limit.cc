#include "log/rate_limit.h"

namespace hbd::log {

std::string Suppressed::summary() const {
  return key + ": " + std::to_string(count) + " more suppressed";
}

bool RateLimit::allow(std::string& key, Level level, int64_t now) {
  auto it = windows_.find(key);
  if (it == windows_.end() && windows_.size() >= max_keys_) {
    key = kOverflowKey;
    it = windows_.find(key);
  }
  if (it == windows_.end()) {
    windows_.emplace(key, Window{now, level});
    return true;
  }
  Window& w = it->second;
  if (now - w.start >= interval_ms_) {
    if (w.suppressed > 0) pending_.push_back({key, w.level, w.suppressed});
    w = Window{now, level};
    return true;
  }
  ++w.suppressed;
  return false;
}

std::vector<Suppressed> RateLimit::take_summaries(int64_t now) {
  std::vector<Suppressed> out = std::move(pending_);
  pending_.clear();
  for (auto it = windows_.begin(); it != windows_.end();) {
    const Window& w = it->second;
    if (now - w.start < interval_ms_) {
      ++it;
      continue;
    }
    if (w.suppressed > 0) out.push_back({it->first, w.level, w.suppressed});
    it = windows_.erase(it);
  }
  return out;
}

}  // namespace hbd::log
