// The membership simulation over many seeds. SIM_SEEDS=N runs seeds 0..N-1
// (default 1000); SIM_SEED=S runs only seed S and prints its trace.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include <catch2/catch.hpp>

#include "test/sim/sim_scenario.h"

using hbd::sim::run_seed;

namespace {
uint64_t env_number(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

std::string report(uint64_t seed) {
  auto replay = run_seed(seed, true);  // deterministic: the same run, traced
  std::string out = "seed " + std::to_string(seed) + " (" + replay.description + ")\n";
  for (const auto& v : replay.violations) out += "  violation: " + v + "\n";
  out += "replay with: SIM_SEED=" + std::to_string(seed) + " ./unit_tests \"[sim]\"\n";
  out += "last trace lines:\n" + replay.trace;
  return out;
}
}  // namespace

TEST_CASE("sim: membership invariants hold over many seeds", "[sim]") {
  if (std::getenv("SIM_SEED")) {
    uint64_t seed = env_number("SIM_SEED", 0);
    auto result = run_seed(seed, true);
    std::cout << report(seed);
    CHECK(result.violations.empty());
    return;
  }
  uint64_t seeds = env_number("SIM_SEEDS", 1000);
  auto started = std::chrono::steady_clock::now();
  uint64_t failed = 0, deliveries = 0;
  std::string first_failure;
  for (uint64_t seed = 0; seed < seeds; ++seed) {
    auto result = run_seed(seed, false);
    deliveries += result.deliveries;
    if (result.violations.empty()) continue;
    if (failed++ == 0) first_failure = report(seed);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (std::getenv("SIM_STATS")) {
    std::cout << seeds << " seeds, " << deliveries << " deliveries, " << seconds << " s\n";
  }
  INFO(failed << " of " << seeds << " seeds failed; first:\n" << first_failure);
  CHECK(failed == 0);
}

TEST_CASE("sim: the same seed replays the same run", "[sim]") {
  auto a = run_seed(42, true);
  auto b = run_seed(42, true);
  CHECK(a.trace == b.trace);
  CHECK(a.deliveries == b.deliveries);
  CHECK_FALSE(a.trace.empty());
}
