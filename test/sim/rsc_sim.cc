#include "test/sim/rsc_sim.h"

#include "test/sim/rsc_sim_world.h"

namespace hbd::sim {

namespace {

using namespace world;

struct Plan {
  std::vector<node::NodeSettings> hosts;
  Faults faults;
  int64_t max_script_ms = 0;
  std::string description;
};

std::string haresources_for(SimRandom& r, int groups) {
  std::string text;
  for (int g = 0; g < groups; ++g) {
    text += r.between(0, 1) ? "node1" : "node2";
    if (r.between(0, 2) != 0) text += " 198.18.0." + std::to_string(10 + g) + "/24/eth0";
    int more = static_cast<int>(r.between(1, 3));
    for (int k = 0; k < more; ++k) text += " svc::g" + std::to_string(g) + "r" + std::to_string(k);
    text += "\n";
  }
  return text;
}

Plan make_plan(SimRandom& r) {
  Plan p;
  static const resources::Mode modes[] = {resources::Mode::Legacy, resources::Mode::On,
                                          resources::Mode::Off};
  static const char* mode_names[] = {"legacy", "on", "off"};
  int mode = static_cast<int>(r.between(0, 2));
  static const int64_t keepalives[] = {200, 500, 1000};
  int64_t keepalive = keepalives[r.between(0, 2)];
  int64_t deadtime = keepalive * r.between(4, 6);
  int groups = static_cast<int>(r.between(1, 3));
  auto parsed = config::parse_haresources(haresources_for(r, groups), "haresources");
  static const int64_t script_ms[] = {0, 50, 300, 2000};
  p.max_script_ms = script_ms[r.between(0, 3)];
  p.faults.loss = static_cast<double>(r.between(0, 10)) / 100;
  p.faults.dup = static_cast<double>(r.between(0, 5)) / 100;
  p.faults.max_delay_ms = r.between(0, 30);
  std::vector<std::string> names = {"node1", "node2"};
  bool ipfail = r.between(0, 1) == 1;  // a ping node and the built-in ipfail
  for (int i = 0; i < 2; ++i) {
    node::NodeSettings s;
    s.membership.local_node = names[i];
    s.membership.nodes = names;
    s.membership.keepalive_ms = keepalive;
    s.membership.deadtime_ms = deadtime;
    s.membership.warntime_ms = deadtime * 2 / 3;
    s.membership.initdead_ms = deadtime * r.between(1, 2);
    s.membership.deadping_ms = deadtime;
    s.membership.generation = 1000 + 100 * i;
    s.membership.uuid = std::string(16, static_cast<char>('A' + i));
    s.resources.local_node = names[i];
    s.resources.nodes = names;
    s.resources.mode = modes[mode];
    s.resources.groups = parsed.groups;
    s.resources.pid = 100 + i;
    s.resources.deadtime_ms = deadtime;
    if (ipfail) {
      s.membership.ping_nodes = {kPingNode};
      resources::IpfailSettings f;
      f.me = names[i];
      f.peer = names[1 - i];
      f.keepalive_ms = keepalive;
      f.auto_failback_on = modes[mode] == resources::Mode::On;
      f.legacy = modes[mode] == resources::Mode::Legacy;
      f.has_resources = !parsed.groups.empty();
      s.ipfail = f;
    }
    p.hosts.push_back(std::move(s));
  }
  p.description = std::string("auto_failback ") + mode_names[mode] + ", keepalive " +
                  std::to_string(keepalive) + " deadtime " + std::to_string(deadtime) + ", " +
                  std::to_string(groups) + " groups, scripts <= " +
                  std::to_string(p.max_script_ms) + " ms, loss " + std::to_string(p.faults.loss) +
                  (ipfail ? ", ping node + ipfail" : "");
  return p;
}

const char* kSets[] = {"all", "local", "foreign"};

// Schedules one disturbance at `when`; returns its description.
// The ping node's disturbances: lost for one node (for good, or for a
// while), for both (nothing may move), or flapping faster than deadping
// (never declared dead: nothing may move).
// `lost`: an earlier disturbance took the uplink of a node for good; the
// "nothing moves" cases need it up on both, so they are not drawn then.
std::string disturb_uplink(RscSim& sim, SimRandom& r, int64_t when, int64_t deadtime, bool& lost) {
  int v = static_cast<int>(r.between(0, 1));
  std::string who = "node" + std::to_string(v + 1);
  auto nothing_moves = [&sim](int64_t from, int64_t to, const std::string& what) {
    // A false death of the peer (a lossy network) moves groups for another
    // reason: then there is nothing to judge.
    auto before = std::make_shared<std::vector<std::vector<std::string>>>();
    auto deaths = std::make_shared<int>(0);
    sim.at(from, "note owners", [&sim, before, deaths] {
      *before = sim.owners_now();
      *deaths = sim.false_deaths();
    });
    sim.at(to, "check owners", [&sim, before, deaths, what] {
      if (sim.false_deaths() == *deaths && !sim.monitoring() && sim.moved_away(*before, sim.owners_now()))
        sim.fail(what + ": groups moved: " + sim.owners_text(*before) + " -> " +
                 sim.owners_text(sim.owners_now()));
    });
  };
  // On a clean network: with loss the count exchange can come after the
  // give-up delay (2 x keepalive, as heartbeat's ipfail), and a node that
  // was only briefly behind gives up, as heartbeat's would.
  sim.at(when, "clean network", [&sim] { sim.faults_on(false); });
  switch (lost ? 1 : r.between(0, 3)) {
    case 0:
      sim.at(when, "uplink lost on " + who, [&sim, v] { sim.set_uplink(v, false); });
      lost = true;
      return "uplink lost on " + who + " for good";
    case 1: {
      int64_t length = r.between(deadtime / 2, 3 * deadtime);
      sim.at(when, "uplink lost on " + who, [&sim, v] { sim.set_uplink(v, false); });
      sim.at(when + length, "uplink back on " + who, [&sim, v] { sim.set_uplink(v, true); });
      if (lost) {  // both lines up again afterwards
        sim.at(when + length, "uplink back on both", [&sim] { sim.set_uplink(0, true); sim.set_uplink(1, true); });
        lost = false;
      }
      return "uplink lost on " + who + " for " + std::to_string(length) + " ms";
    }
    case 2: {
      int64_t length = r.between(deadtime, 3 * deadtime);
      sim.at(when, "uplink lost on both", [&sim] { sim.set_uplink(0, false); sim.set_uplink(1, false); });
      sim.at(when + length, "uplink back on both", [&sim] { sim.set_uplink(0, true); sim.set_uplink(1, true); });
      nothing_moves(when, when + length + deadtime, "uplink lost on both");
      return "uplink lost on both for " + std::to_string(length) + " ms";
    }
    default: {
      int64_t half = r.between(deadtime / 5, deadtime / 3);
      int flips = static_cast<int>(r.between(4, 12));
      for (int k = 0; k < flips; ++k)
        sim.at(when + k * half, "uplink flap on " + who, [&sim, v, k] { sim.set_uplink(v, k % 2 == 1); });
      sim.at(when + flips * half, "uplink back on " + who, [&sim, v] { sim.set_uplink(v, true); });
      nothing_moves(when, when + flips * half + deadtime, "uplink flapping on " + who);
      return "uplink flapping on " + who + " every " + std::to_string(half) + " ms";
    }
  }
}

std::string disturb(RscSim& sim, SimRandom& r, int64_t when, int64_t deadtime, bool& lost) {
  int v = static_cast<int>(r.between(0, 1));
  std::string who = "node" + std::to_string(v + 1);
  if (sim.with_ipfail() && r.between(0, 2) == 0) return disturb_uplink(sim, r, when, deadtime, lost);
  switch (r.between(0, 8)) {
    case 0: {
      int64_t length = r.between(deadtime / 2, 3 * deadtime + 5000);
      sim.at(when, "partition", [&sim] { sim.isolate(true); });
      sim.at(when + length, "heal", [&sim] { sim.isolate(false); });
      return "partition for " + std::to_string(length) + " ms";
    }
    case 1: {
      bool never = r.between(0, 9) == 0;
      int64_t down = r.between(deadtime / 20, 3 * deadtime);
      sim.at(when, "crash " + who, [&sim, v] { sim.crash(v); });
      if (!never) sim.at(when + down, "boot " + who, [&sim, v] { sim.start(v); });
      return "crash " + who + (never ? " for good" : ", back after " + std::to_string(down) + " ms");
    }
    case 2: {
      bool never = r.between(0, 9) == 0;
      int64_t down = r.between(1000, 3 * deadtime + 10000);
      sim.at(when, "stop " + who, [&sim, v] { sim.stop_gracefully(v); });
      if (!never) sim.at(when + down, "start " + who, [&sim, v] { sim.start(v); });
      return "graceful stop of " + who + (never ? " for good" : ", start after " + std::to_string(down) + " ms");
    }
    case 3: {
      std::string set = kSets[r.between(0, 2)];
      sim.at(when, "hb_standby " + set + " on " + who, [&sim, v, set] {
        sim.submit(v, resources::make_message("ask_resources", {{"rsc_hold", set}, {"info", "me"}}));
      });
      return "hb_standby " + set + " on " + who;
    }
    case 4: {
      static const char* asks[] = {"all", "local", "foreign", "failback"};
      std::string set = asks[r.between(0, 3)];
      sim.at(when, "hb_takeover " + set + " on " + who, [&sim, v, set] {
        sim.submit(v, resources::make_message("hb_takeover", {{"rsc_hold", set}}));
      });
      return "hb_takeover " + set + " on " + who;
    }
    case 5: {
      int n = static_cast<int>(r.between(3, 6));
      for (int k = 0; k < n; ++k) {
        int node = static_cast<int>(r.between(0, 1));
        std::string set = kSets[r.between(0, 2)];
        bool takeover = r.between(0, 1);
        sim.at(when + r.between(0, 2000), "storm", [&sim, node, set, takeover] {
          sim.submit(node, takeover ? resources::make_message("hb_takeover", {{"rsc_hold", set}})
                                    : resources::make_message("ask_resources",
                                                              {{"rsc_hold", set}, {"info", "me"}}));
        });
      }
      return "standby/takeover storm of " + std::to_string(n);
    }
    case 6: {
      int64_t down = r.between(500, 2 * deadtime);
      sim.at(when, "stop both", [&sim] {
        sim.stop_gracefully(0);
        sim.stop_gracefully(1);
      });
      sim.at(when + down + 10000, "start both", [&sim] {
        sim.start(0);
        sim.start(1);
      });
      return "both stop together, start together";
    }
    case 7: {
      int64_t length = r.between(200, 2 * deadtime);
      sim.at(when, "loss burst", [&sim, when, length] {
        sim.network().burst(0, 1, when + length);
        sim.network().burst(1, 0, when + length);
      });
      return "loss burst " + std::to_string(length) + " ms";
    }
    default:
      return "quiet";
  }
}

// Monitoring runs draw from their own generator, so that a seed's plan and
// disturbances stay those of the run without monitoring.
std::string add_monitors(Plan& p, SimRandom& m) {
  resources::MonitorPolicy policy;
  policy.interval_ms = m.between(2, 8) * 1000;
  policy.timeout_ms = 5000;
  static const resources::OnFail kOnFail[] = {resources::OnFail::Restart, resources::OnFail::Restart,
                                              resources::OnFail::Relocate, resources::OnFail::Ignore};
  static const char* kNames[] = {"restart", "restart", "relocate", "ignore"};
  int on_fail = static_cast<int>(m.between(0, 3));
  policy.on_fail = kOnFail[on_fail];
  policy.max_restarts = static_cast<int>(m.between(0, 3));
  policy.restart_window_ms = 120000;
  policy.backoff_ms = m.between(0, 2000);
  policy.backoff_max_ms = 8000;
  for (auto& host : p.hosts)
    for (const auto& g : host.resources.groups)
      host.resources.monitors[g.key()] = std::vector<resources::MonitorPolicy>(g.resources.size(), policy);
  return std::string("; monitors every ") + std::to_string(policy.interval_ms) + " ms, on_fail " +
         kNames[on_fail] + ", max_restarts " + std::to_string(policy.max_restarts);
}

std::string resource_id(const config::Resource& r) {
  std::string id = r.script;
  for (const auto& a : r.args) id += " " + a;
  return id;
}

// The resources that may fail: never a group's key (a key whose status lies
// would make a legacy ip-request answer "not ours" while it runs).
std::vector<std::string> fallible(const std::vector<config::ResourceGroup>& groups) {
  std::vector<std::string> out;
  for (const auto& g : groups)
    for (std::size_t r = 1; r < g.resources.size(); ++r) out.push_back(resource_id(g.resources[r]));
  return out;
}

// Some resource that cannot work on one node, or on both.
std::string make_bad(RscSim& sim, SimRandom& m, const std::vector<std::string>& ids) {
  if (ids.empty() || m.between(0, 2) != 0) return "";
  std::string id = ids[m.between(0, static_cast<int64_t>(ids.size()) - 1)];
  int where = static_cast<int>(m.between(0, 2));  // node1, node2, both
  for (int i = 0; i < 2; ++i)
    if (where == 2 || where == i) sim.host(i).bad.insert(id);
  return "; " + id + " cannot work on " + (where == 2 ? "either node" : "node" + std::to_string(where + 1));
}

void schedule_deaths(RscSim& sim, SimRandom& m, const std::vector<std::string>& ids, int64_t from,
                     int64_t length) {
  if (ids.empty()) return;
  int n = static_cast<int>(m.between(0, 3));
  for (int k = 0; k < n; ++k) {
    int host = static_cast<int>(m.between(0, 1));
    std::string id = ids[m.between(0, static_cast<int64_t>(ids.size()) - 1)];
    sim.at(from + m.between(0, length), "process of " + id + " dies",
           [&sim, host, id] { sim.break_resource(host, id); });
  }
}

}  // namespace

RscRunResult run_rsc_seed(uint64_t seed, bool with_trace, bool monitoring) {
  SimRandom r(seed * 104729 + 7);
  Plan plan = make_plan(r);
  int64_t deadtime = plan.hosts[0].membership.deadtime_ms;
  int64_t initdead = plan.hosts[0].membership.initdead_ms;
  SimRandom m(seed * 7919 + 13);
  if (monitoring) plan.description += add_monitors(plan, m);
  std::vector<std::string> ids = fallible(plan.hosts[0].resources.groups);
  RscSim sim(seed, with_trace);
  sim.setup(plan.hosts, plan.faults, plan.max_script_ms);
  RscRunResult result;
  result.description = plan.description;
  if (monitoring) result.description += make_bad(sim, m, ids);

  bool staggered = r.between(0, 3) == 0;  // one node starts alone, the other joins
  sim.at(r.between(0, 1000), "start node1", [&sim] { sim.start(0); });
  int64_t second = staggered ? initdead + r.between(2000, 8000) : r.between(0, 1000);
  sim.at(second, "start node2", [&sim] { sim.start(1); });
  result.description += staggered ? "; node2 joins later" : "; both start together";

  // A group failing on both nodes goes there and back with slow scripts
  // (each a standby of whole classes) before it settles.
  int64_t extra_quiet = monitoring ? 120000 : 0;
  int64_t when = second + kQuietMs + extra_quiet;
  sim.at(when - 1, "check", [&sim] { sim.check_settled("after start"); });
  int disturbances = static_cast<int>(r.between(1, 3));
  bool uplink_lost = false;
  for (int d = 0; d < disturbances; ++d) {
    sim.at(when, "lossy network", [&sim] { sim.faults_on(true); });
    std::string what = disturb(sim, r, when, deadtime, uplink_lost);
    bool ipfail_outcome = what.size() > 9 && what.compare(what.size() - 9, 9, " for good") == 0 &&
                          what.rfind("uplink", 0) == 0;
    result.description += "; " + what;
    if (monitoring) schedule_deaths(sim, m, ids, when, 3 * deadtime + 10000);
    when += 3 * deadtime + 10000;
    sim.at(when, "network healthy", [&sim] { sim.faults_on(false); });
    when += kQuietMs + 12000 + extra_quiet;
    sim.at(when - 1, "check", [&sim, what, ipfail_outcome] {
      sim.check_settled("after " + what, ipfail_outcome);
    });
  }
  sim.run_until(when);
  if (monitoring) sim.check_bounces();
  result.violations = sim.violations();
  result.script_calls = sim.calls;
  if (with_trace) result.trace = sim.trace_text();
  return result;
}

}  // namespace hbd::sim
