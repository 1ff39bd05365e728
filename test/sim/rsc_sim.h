// The resource simulation: two whole nodes (membership + resource manager,
// the daemon's own NodeCore) under a virtual clock on the lossy simulated
// network, with fake resource scripts that take time, and a seeded series of
// disturbances: partitions that heal, crashes (power loss), restarts,
// graceful stops, standby and takeover requests, loss bursts. Checked:
//  - after every quiet period exactly one node runs each group (none when
//    both are down);
//  - while the nodes are connected (no partition, no false death since the
//    last time every group had one owner) no group runs on two nodes;
//  - within a node a group's running resources are always a prefix of its
//    list (started left to right, stopped right to left);
//  - a node never runs two scripts at once.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace hbd::sim {

struct RscRunResult {
  std::string description;
  std::vector<std::string> violations;
  std::string trace;  // only when asked for
  uint64_t script_calls = 0;
};

// monitoring: hbd.ini monitors on every resource, resources whose process
// dies at random during the disturbances, and some that cannot work on one
// node or on both; checked too: a group failed on both nodes may run
// nowhere, and no group is relocated by monitoring more than a few times.
RscRunResult run_rsc_seed(uint64_t seed, bool with_trace, bool monitoring = false);

}  // namespace hbd::sim
