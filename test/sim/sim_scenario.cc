#include "test/sim/sim_scenario.h"

#include <algorithm>

#include "test/sim/sim_cluster.h"

namespace hbd::sim {

namespace {

struct Setup {
  std::vector<cluster::Params> params;
  std::vector<std::string> media;
  Faults faults;
};

Setup choose_setup(SimRandom& r) {
  Setup s;
  int n = static_cast<int>(r.between(2, 4));
  s.media = r.between(0, 1) ? std::vector<std::string>{"eth0"}
                            : std::vector<std::string>{"eth0", "eth1"};
  static const int64_t keepalives[] = {200, 500, 1000};
  int64_t keepalive = keepalives[r.between(0, 2)];
  int64_t deadtime = keepalive * r.between(3, 6);
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) names.push_back("node" + std::to_string(i + 1));
  for (int i = 0; i < n; ++i) {
    cluster::Params p;
    p.local_node = names[i];
    p.nodes = names;
    p.keepalive_ms = keepalive;
    p.deadtime_ms = deadtime;
    p.warntime_ms = deadtime * 2 / 3;
    p.initdead_ms = deadtime * r.between(1, 3);
    p.deadping_ms = deadtime;
    p.max_rexmit_delay_ms = r.between(0, 3) == 0 ? 80 : 250;
    p.generation = 1000 + 100 * i;
    p.uuid = std::string(16, static_cast<char>('A' + i));
    s.params.push_back(p);
  }
  s.faults.loss = static_cast<double>(r.between(0, 15)) / 100;
  s.faults.dup = static_cast<double>(r.between(0, 10)) / 100;
  s.faults.max_delay_ms = r.between(0, 40);
  return s;
}

// `observer` must declare `silent` dead, counting from its last status,
// within the deadtime it applies + the network delay + 1 ms: the core wakes
// at the first ms past the deadtime (no 250 ms check period as in 3.0.6).
void expect_death(SimCluster& sim, int observer, int silent) {
  const auto& p = sim.core(silent).params();
  // Already dead to it (lost heartbeats just before): no second death comes.
  const cluster::Node* known = sim.core(observer).nodes().find(p.local_node);
  if (known && known->is_dead()) return;
  int64_t deadtime = sim.core(observer).comm_up() ? p.deadtime_ms : p.initdead_ms;
  int64_t deadline = sim.last_status_sent(silent) + deadtime +
                     sim.network().faults().max_delay_ms + 1;
  sim.invariants().expect_death(observer, silent, sim.now(), deadline);
}

void expect_deaths_of(SimCluster& sim, int silent) {
  for (int other = 0; other < sim.size(); ++other) {
    if (other != silent && sim.running(other)) expect_death(sim, other, silent);
  }
}

}  // namespace

RunResult run_seed(uint64_t seed, bool with_trace) {
  SimRandom r(seed * 7919 + 17);
  Setup setup = choose_setup(r);
  const cluster::Params p0 = setup.params[0];
  int n = static_cast<int>(setup.params.size());
  Faults faults = setup.faults;
  SimCluster sim(seed, setup.params, setup.media, faults);
  sim.set_trace(with_trace);

  RunResult result;
  result.description = std::to_string(n) + " nodes, " + std::to_string(setup.media.size()) +
                       " media, keepalive " + std::to_string(p0.keepalive_ms) + " deadtime " +
                       std::to_string(p0.deadtime_ms) + " initdead " +
                       std::to_string(p0.initdead_ms) + ", loss " +
                       std::to_string(faults.loss) + " dup " + std::to_string(faults.dup) +
                       " delay<=" + std::to_string(faults.max_delay_ms);
  for (int i = 0; i < n; ++i) {
    sim.at(r.between(0, 2000), "start node" + std::to_string(i + 1), [&sim, i] { sim.start(i); });
  }
  int64_t t0 = std::max<int64_t>(p0.initdead_ms + 2000, 8000) + 2000;
  int64_t deadtime = p0.deadtime_ms;
  int victim = static_cast<int>(r.between(0, n - 1));
  std::vector<bool> restarted(n, false);
  bool stays_dead = false;
  int64_t quiet_at = t0;
  int64_t when = t0 + r.between(0, 1000);
  switch (r.between(0, 4)) {
    case 0:
      result.description += "; healthy";
      break;
    case 1: {
      int other = (victim + 1 + static_cast<int>(r.between(0, n - 2))) % n;
      int64_t length = r.between(200, deadtime * 2);
      result.description += "; loss burst " + std::to_string(victim) + "->" +
                            std::to_string(other) + " for " + std::to_string(length) + " ms";
      sim.at(when, "loss burst", [&sim, victim, other, when, length] {
        sim.network().burst(victim, other, when + length);
      });
      quiet_at = when + length + 500;
      break;
    }
    case 2: {
      int64_t down = r.between(0, 1) ? r.between(50, deadtime / 2)
                                     : r.between(deadtime + 1000, deadtime * 2 + 2000);
      stays_dead = r.between(0, 4) == 0;
      result.description += "; crash node" + std::to_string(victim + 1) +
                            (stays_dead ? " for good" : ", restart after " + std::to_string(down) + " ms");
      sim.at(when, "crash", [&sim, victim, down] {
        if (down > sim.core(victim).params().deadtime_ms) expect_deaths_of(sim, victim);
        sim.crash(victim);
      });
      if (!stays_dead) {
        sim.at(when + down, "restart", [&sim, victim] { sim.restart(victim); });
        restarted[victim] = true;
      }
      quiet_at = when + down + 500;
      break;
    }
    case 3: {
      int64_t length = r.between(deadtime + 1000, deadtime * 2 + 2000);
      result.description += "; partition of node" + std::to_string(victim + 1) + " for " +
                            std::to_string(length) + " ms";
      sim.at(when, "partition", [&sim, victim, n] {
        for (int other = 0; other < n; ++other) {
          if (other != victim) expect_death(sim, victim, other);
        }
        expect_deaths_of(sim, victim);
        sim.isolate(victim, true);
      });
      sim.at(when + length, "heal", [&sim, victim] { sim.isolate(victim, false); });
      quiet_at = when + length + 500;
      break;
    }
    default: {
      int64_t length = r.between(100, deadtime / 2);
      result.description += "; everyone loses everything for " + std::to_string(length) + " ms";
      sim.at(when, "global loss burst", [&sim, n, when, length] {
        for (int a = 0; a < n; ++a) {
          for (int b = 0; b < n; ++b) sim.network().burst(a, b, when + length);
        }
      });
      quiet_at = when + length + 500;
      break;
    }
  }
  sim.at(quiet_at, "network healthy", [&sim] {
    Faults calm = sim.network().faults();
    calm.loss = 0;
    calm.dup = 0;
    sim.network().set_faults(calm);
  });
  int64_t end = quiet_at + std::max(p0.initdead_ms, 2 * deadtime) + 4000;
  sim.run_until(end);

  for (int a = 0; a < n; ++a) {
    if (!sim.running(a)) continue;
    for (int b = 0; b < n; ++b) {
      if (sim.running(b)) {
        sim.invariants().check_final(a, b, sim.core(a), sim.generation(b), restarted[b] && a != b);
        continue;
      }
      const cluster::Node* gone = sim.core(a).nodes().find("node" + std::to_string(b + 1));
      if (!gone || gone->status != "dead") {
        sim.invariants().fail("node " + std::to_string(a) + " does not see crashed node " +
                              std::to_string(b) + " as dead");
      }
    }
  }
  result.violations = sim.invariants().violations();
  result.deliveries = sim.network().delivered();
  if (with_trace) result.trace = sim.trace_tail(600);
  return result;
}

}  // namespace hbd::sim
