// N membership cores in one process under a virtual clock, joined by the
// simulated Network, with scripted crashes, restarts and partitions. Every
// send, log line and event goes to a trace that a failing seed prints.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cluster/membership.h"
#include "test/sim/sim_invariants.h"
#include "test/sim/sim_network.h"

namespace hbd::sim {

class SimCluster {
 public:
  SimCluster(uint64_t seed, std::vector<cluster::Params> params, std::vector<std::string> media,
             Faults faults);
  ~SimCluster();

  // Actions run at virtual time `at`, in the order scheduled.
  void at(int64_t when, std::string what, std::function<void()> action);
  void start(int node);
  void crash(int node);
  void restart(int node);  // a new incarnation with generation + 1
  // Isolates `node` from every other node in both directions, or heals it.
  void isolate(int node, bool on);
  void run_until(int64_t until);

  int size() const { return static_cast<int>(nodes_.size()); }
  int64_t now() const { return now_; }
  bool running(int node) const;
  const cluster::Membership& core(int node) const;
  uint64_t generation(int node) const;
  // Last time it sent a status, fresh or retransmitted.
  int64_t last_status_sent(int node) const;
  Network& network() { return network_; }
  SimRandom& rng() { return rng_; }
  Invariants& invariants() { return invariants_; }
  void set_trace(bool on) { trace_enabled_ = on; }
  void trace(const std::string& line);
  std::string trace_tail(size_t lines) const;

 private:
  struct Node;
  struct Action {
    int64_t at;
    uint64_t order;
    std::string what;
    std::function<void()> run;
  };
  void deliver(const Delivery& d);
  int index_of(const std::string& name) const;
  int64_t next_action_at() const;

  SimRandom rng_;
  Network network_;
  Invariants invariants_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<Action> actions_;
  uint64_t action_order_ = 0;
  int64_t now_ = 0;
  std::deque<std::string> trace_;
  bool trace_enabled_ = true;
};

}  // namespace hbd::sim
