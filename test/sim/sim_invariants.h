// The properties every simulated run must keep. Fed by SimCluster with what
// the network delivered and what each core reported; records violations
// instead of throwing, so the run's trace can be printed with them.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "cluster/events.h"
#include "cluster/membership.h"

namespace hbd::sim {

class Invariants {
 public:
  Invariants(int nodes, int64_t max_delay_ms) : n_(nodes), max_delay_(max_delay_ms) {
    last_status_at_.assign(nodes, std::vector<int64_t>(nodes, INT64_MIN / 2));
  }

  // A fresh status of `from` (its current incarnation) reached `to`.
  void status_delivered(int to, int from, int64_t now) { last_status_at_[to][from] = now; }
  // `observer` reported `event`; `subject` is the index of event.node or -1.
  void event(int observer, int subject, const cluster::Event& e, int64_t now);
  // `to` must declare `from` dead by `deadline` (a silence that began at `since`).
  void expect_death(int to, int from, int64_t since, int64_t deadline);
  void check_deadlines(int64_t now);
  // `restarted` must now be known to `observer` with `generation`.
  void check_final(int observer, int subject, const cluster::Membership& core,
                   uint64_t generation, bool expect_restart_seen);

  // `observer` was (re)started: a new core that has seen nothing yet.
  void forget_observer(int observer);
  void fail(std::string what) { violations_.push_back(std::move(what)); }
  const std::vector<std::string>& violations() const { return violations_; }
  int restarts_seen(int observer, int subject) const {
    auto it = restarts_.find({observer, subject});
    return it == restarts_.end() ? 0 : it->second;
  }

 private:
  struct Expectation {
    int to, from;
    int64_t since, deadline;
    bool met = false;
  };
  void dead_declared(int observer, int subject, int64_t deadtime, int64_t now);
  void forget_deliveries(int observer, int subject);

  int n_;
  int64_t max_delay_;
  std::vector<std::vector<int64_t>> last_status_at_;
  std::vector<Expectation> expectations_;
  std::set<std::tuple<int, int, uint64_t>> delivered_;  // observer, subject, seq
  std::map<std::pair<int, int>, int> restarts_;
  std::vector<std::string> violations_;
};

}  // namespace hbd::sim
