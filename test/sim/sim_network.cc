#include "test/sim/sim_network.h"

#include <limits>

namespace hbd::sim {

// Modulo, not a std distribution: the same numbers with every standard library.
int64_t SimRandom::between(int64_t lo, int64_t hi) {
  if (hi <= lo) return lo;
  return lo + static_cast<int64_t>(gen_() % static_cast<uint64_t>(hi - lo + 1));
}

bool SimRandom::chance(double p) {
  if (p <= 0) return false;
  return static_cast<double>(gen_() % 1000000) < p * 1000000;
}

void Network::cut(int from, int to, bool on) {
  if (on) {
    cut_.insert({from, to});
  } else {
    cut_.erase({from, to});
  }
}

void Network::burst(int from, int to, int64_t until) { bursts_.push_back({{from, to}, until}); }

bool Network::blocked(int from, int to, int64_t now) const {
  if (is_cut(from, to)) return true;
  for (const auto& [pair, until] : bursts_) {
    if (pair.first == from && pair.second == to && now < until) return true;
  }
  return false;
}

void Network::send(int from, const wire::Message& message, bool retransmission, int64_t now) {
  auto shared = std::make_shared<const wire::Message>(message);
  for (const auto& medium : media_) {
    for (int to = 0; to < nodes_; ++to) {
      if (blocked(from, to, now) || rng_.chance(faults_.loss)) continue;
      int copies = rng_.chance(faults_.dup) ? 2 : 1;
      for (int c = 0; c < copies; ++c) {
        int64_t at = now + rng_.between(0, faults_.max_delay_ms);
        queue_.push(Delivery{at, order_++, from, to, medium, shared, retransmission});
      }
    }
  }
}

int64_t Network::next_at() const {
  return queue_.empty() ? std::numeric_limits<int64_t>::max() : queue_.top().at;
}

Delivery Network::pop() {
  Delivery d = queue_.top();
  queue_.pop();
  return d;
}

}  // namespace hbd::sim
