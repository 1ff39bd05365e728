// One simulated run per seed: the seed picks the cluster (2-4 nodes, 1-2
// media, timings), the network faults and one disturbance (none, a loss
// burst, a crash with or without restart, a partition), then a healthy
// quiet period after which everything must have converged.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace hbd::sim {

struct RunResult {
  std::string description;
  std::vector<std::string> violations;
  std::string trace;  // only when asked for
  uint64_t deliveries = 0;
};

RunResult run_seed(uint64_t seed, bool with_trace);

}  // namespace hbd::sim
