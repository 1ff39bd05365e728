// The resource simulation over many seeds. RSC_SIM_SEEDS=N runs seeds 0..N-1
// (default 300); RSC_SIM_SEED=S runs only seed S and prints its trace.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include <catch2/catch.hpp>

#include "test/sim/rsc_sim.h"

using hbd::sim::run_rsc_seed;

namespace {
uint64_t env_number(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

std::string report(uint64_t seed, bool monitoring = false) {
  auto replay = run_rsc_seed(seed, true, monitoring);
  std::string out = "seed " + std::to_string(seed) + " (" + replay.description + ")\n";
  for (const auto& v : replay.violations) out += "  violation: " + v + "\n";
  out += "replay with: RSC_SIM_SEED=" + std::to_string(seed) +
         (monitoring ? " ./unit_tests \"[rsc-sim-monitor]\"\n" : " ./unit_tests \"[rsc-sim]\"\n");
  out += "last trace lines:\n" + replay.trace;
  return out;
}
}  // namespace

TEST_CASE("rsc sim: one owner per group, no overlap, ordered starts, over many seeds",
          "[rsc-sim]") {
  if (std::getenv("RSC_SIM_SEED")) {
    uint64_t seed = env_number("RSC_SIM_SEED", 0);
    auto result = run_rsc_seed(seed, true);
    std::cout << report(seed);
    CHECK(result.violations.empty());
    return;
  }
  uint64_t seeds = env_number("RSC_SIM_SEEDS", 300);
  auto started = std::chrono::steady_clock::now();
  uint64_t failed = 0, calls = 0;
  std::string first_failure;
  for (uint64_t seed = 0; seed < seeds; ++seed) {
    auto result = run_rsc_seed(seed, false);
    calls += result.script_calls;
    if (result.violations.empty()) continue;
    if (std::getenv("SIM_STATS"))
      std::cout << "seed " << seed << ": " << result.description << "\n  " << result.violations[0]
                << "\n";
    if (failed++ == 0) first_failure = report(seed);
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (std::getenv("SIM_STATS"))
    std::cout << seeds << " resource seeds, " << calls << " script calls, " << seconds << " s\n";
  INFO(failed << " of " << seeds << " seeds failed; first:\n" << first_failure);
  CHECK(failed == 0);
  CHECK(calls > seeds);  // the scripts really ran
}

TEST_CASE("rsc sim: the same seed replays the same run", "[rsc-sim]") {
  auto a = run_rsc_seed(7, true);
  auto b = run_rsc_seed(7, true);
  CHECK(a.trace == b.trace);
  CHECK_FALSE(a.trace.empty());
}

// The same runs with hbd.ini monitoring: processes that die, resources that
// cannot work on a node or on either. RSC_MON_SEEDS=N (default 300).
TEST_CASE("rsc sim: monitoring restarts and relocates without two owners or ping-pong",
          "[rsc-sim-monitor]") {
  if (std::getenv("RSC_SIM_SEED")) {
    uint64_t seed = env_number("RSC_SIM_SEED", 0);
    auto result = run_rsc_seed(seed, true, true);
    std::cout << report(seed, true);
    CHECK(result.violations.empty());
    return;
  }
  uint64_t seeds = env_number("RSC_MON_SEEDS", 300);
  uint64_t failed = 0;
  std::string first_failure;
  for (uint64_t seed = 0; seed < seeds; ++seed) {
    auto result = run_rsc_seed(seed, false, true);
    if (result.violations.empty()) continue;
    if (std::getenv("SIM_STATS"))
      std::cout << "seed " << seed << ": " << result.description << "\n  " << result.violations[0]
                << "\n";
    if (failed++ == 0) first_failure = report(seed, true);
  }
  INFO(failed << " of " << seeds << " seeds failed; first:\n" << first_failure);
  CHECK(failed == 0);
}
