// A simulated broadcast network for the membership simulation: every message
// goes out on every medium to every running node (the sender included, as
// bcast loops back), and may be lost, duplicated, delayed (so reordered) or
// blocked by a partition or a loss burst. All randomness comes from one
// seeded generator, so a seed replays exactly.
#pragma once
#include <cstdint>
#include <memory>
#include <queue>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cluster/events.h"
#include "wire/message.h"

namespace hbd::sim {

class SimRandom : public cluster::Random {
 public:
  explicit SimRandom(uint64_t seed) : gen_(seed) {}
  int64_t between(int64_t lo, int64_t hi) override;
  bool chance(double p);

 private:
  std::mt19937_64 gen_;
};

struct Faults {
  double loss = 0;
  double dup = 0;
  int64_t max_delay_ms = 0;
};

struct Delivery {
  int64_t at;
  uint64_t order;  // ties broken by send order: deterministic
  int from;
  int to;
  std::string medium;
  std::shared_ptr<const wire::Message> message;
  bool retransmission;
};

class Network {
 public:
  Network(SimRandom& rng, int nodes, std::vector<std::string> media)
      : rng_(rng), nodes_(nodes), media_(std::move(media)) {}

  void set_faults(const Faults& faults) { faults_ = faults; }
  const Faults& faults() const { return faults_; }
  // Directional: nothing from `from` reaches `to` while cut.
  void cut(int from, int to, bool on);
  bool is_cut(int from, int to) const { return cut_.count({from, to}) != 0; }
  // Everything from `from` to `to` is lost until `until`.
  void burst(int from, int to, int64_t until);

  void send(int from, const wire::Message& message, bool retransmission, int64_t now);
  int64_t next_at() const;
  Delivery pop();
  const std::vector<std::string>& media() const { return media_; }
  uint64_t delivered() const { return order_; }

 private:
  struct Later {
    bool operator()(const Delivery& a, const Delivery& b) const {
      return a.at != b.at ? a.at > b.at : a.order > b.order;
    }
  };
  bool blocked(int from, int to, int64_t now) const;

  SimRandom& rng_;
  int nodes_;
  std::vector<std::string> media_;
  Faults faults_;
  std::set<std::pair<int, int>> cut_;
  std::vector<std::pair<std::pair<int, int>, int64_t>> bursts_;
  std::priority_queue<Delivery, std::vector<Delivery>, Later> queue_;
  uint64_t order_ = 0;
};

}  // namespace hbd::sim
