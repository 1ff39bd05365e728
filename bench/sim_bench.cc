// Scale benchmark of the membership simulation (test/sim): N real cores under
// the virtual clock, one broadcast medium, no loss, keepalive 100 ms,
// deadtime 2 s. After a warm-up in which the cluster forms, it runs
// SIM_SECONDS of virtual time and measures the process CPU time spent on it.
// Prints one Markdown table row per N: simulated node-seconds per CPU second,
// CPU per packet on the wire and per delivery (one core receiving it), and
// the cost of one next_deadline() call (the daemon makes one after every
// packet), and whether every node saw every other one active at the end.
//
// Usage: sim_bench [SIM_SECONDS [N...]]   (defaults: 600, 2 4 8 16)
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "test/sim/sim_cluster.h"

namespace {

using hbd::sim::Faults;
using hbd::sim::SimCluster;

constexpr int64_t kKeepaliveMs = 100;
constexpr int64_t kDeadtimeMs = 2000;
constexpr int64_t kWarmupMs = 30000;

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::vector<hbd::cluster::Params> cluster_params(int n) {
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) names.push_back("node" + std::to_string(i + 1));
  std::vector<hbd::cluster::Params> all;
  for (int i = 0; i < n; ++i) {
    hbd::cluster::Params p;
    p.local_node = names[i];
    p.nodes = names;
    p.keepalive_ms = kKeepaliveMs;
    p.deadtime_ms = kDeadtimeMs;
    p.warntime_ms = kDeadtimeMs * 2 / 3;
    p.initdead_ms = 2 * kDeadtimeMs;
    p.deadping_ms = kDeadtimeMs;
    p.generation = 1000 + 100 * i;
    p.uuid = std::string(16, static_cast<char>('A' + i % 26));
    all.push_back(p);
  }
  return all;
}

// Every node sees every other one active: the cluster formed and held.
bool all_active(const SimCluster& sim) {
  for (int a = 0; a < sim.size(); ++a) {
    for (const auto& name : sim.core(a).params().nodes) {
      const hbd::cluster::Node* node = sim.core(a).nodes().find(name);
      if (!node || node->status != "active") return false;
    }
  }
  return true;
}

// What the daemon's loop asks the core after every packet: ns per call.
double next_deadline_ns(const SimCluster& sim) {
  constexpr int kCalls = 200000;
  int64_t sum = 0;
  double cpu0 = cpu_seconds();
  for (int i = 0; i < kCalls; ++i) sum += sim.core(i % sim.size()).next_deadline() & 1;
  double ns = (cpu_seconds() - cpu0) / kCalls * 1e9;
  return sum >= 0 ? ns : 0;  // sum keeps the calls from being optimised away
}

void bench(int n, int64_t sim_ms) {
  SimCluster sim(1, cluster_params(n), {"eth0"}, Faults{});
  sim.set_trace(false);
  // Staggered starts, as hosts booted one after another would be.
  for (int i = 0; i < n; ++i) sim.at(i * 37, "start", [&sim, i] { sim.start(i); });
  sim.run_until(kWarmupMs);
  bool formed = all_active(sim);
  uint64_t deliveries0 = sim.network().delivered();
  double cpu0 = cpu_seconds();
  sim.run_until(kWarmupMs + sim_ms);
  double cpu = cpu_seconds() - cpu0;
  bool held = all_active(sim) && sim.invariants().violations().empty();
  double deliveries = static_cast<double>(sim.network().delivered() - deliveries0);
  // Each packet reaches all n cores (bcast loops back to the sender too).
  double packets = deliveries / n;
  double seconds = static_cast<double>(sim_ms) / 1000;
  std::printf("| %d | %.0f | %.0f | %.1f | %.2f | %.2f | %.2f | %.0f | %s |\n", n,
              packets / seconds, packets / seconds / n, n * seconds / cpu,
              cpu / (n * seconds) * 1e6 / (n - 1), cpu / packets * 1e6, cpu / deliveries * 1e6,
              next_deadline_ns(sim), formed && held ? "yes" : "NO");
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  int64_t sim_seconds = argc > 1 ? std::atoll(argv[1]) : 600;
  std::vector<int> sizes;
  for (int i = 2; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
  if (sizes.empty()) sizes = {2, 4, 8, 16};
  if (sim_seconds <= 0) {
    std::fprintf(stderr, "usage: sim_bench [SIM_SECONDS [N...]]\n");
    return 2;
  }
  std::printf("| nodes | packets/s (wire) | packets/s per node | simulated node-s per CPU s |"
              " CPU µs per node-s per peer | CPU µs per packet | CPU µs per delivery |"
              " ns per next_deadline() | all active |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
  for (int n : sizes) {
    if (n < 2 || n > 26) {
      std::fprintf(stderr, "sim_bench: N must be 2..26, not %d\n", n);
      return 2;
    }
    bench(n, sim_seconds * 1000);
  }
  return 0;
}
