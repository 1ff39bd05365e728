#include "test/sim/rsc_sim.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <set>

#include "cluster/ping.h"
#include "config/haresources.h"
#include "node/node_core.h"
#include "test/sim/sim_network.h"

namespace hbd::sim {

namespace {

constexpr int64_t kEpochSeconds = 1795295131;
constexpr int64_t kQuietMs = 75000;  // RQSTDELAY, a heal's restart wait, standby replies
constexpr std::size_t kTraceLines = 4000;
const char* const kPingNode = "198.18.0.254";

class RscSim;

// One host: a NodeCore while powered and running, and its resources' state,
// which survives a daemon restart but not a power loss.
struct Host : node::Effects {
  RscSim& sim;
  int index;
  std::string name;
  node::NodeSettings settings;
  std::unique_ptr<node::NodeCore> core;
  std::map<std::string, bool> world;  // "script args" -> running
  bool busy = false;
  bool uplink = true;  // the ping node answers this host
  uint64_t incarnation = 0;

  Host(RscSim& s, int i, node::NodeSettings ns)
      : sim(s), index(i), name(ns.membership.local_node), settings(std::move(ns)) {}

  void transmit(const wire::Message& m, cluster::SendKind kind) override;
  void log(log::Level level, const std::string& text) override;
  void run_script(const resources::ScriptCall& call) override;
  void announce(const std::vector<std::string>& addresses) override;
  void reboot() override;
  void comm_up() override {}
  void finished(bool restart) override;
};

class RscSim {
 public:
  RscSim(uint64_t seed, bool trace) : rng_(seed), network_(rng_, 2, {"eth0"}), trace_on_(trace) {}

  void setup(std::vector<node::NodeSettings> hosts, Faults faults, int64_t max_script_ms) {
    faults_ = faults;
    max_script_ms_ = max_script_ms;
    for (std::size_t i = 0; i < hosts.size(); ++i)
      hosts_.push_back(std::make_unique<Host>(*this, static_cast<int>(i), std::move(hosts[i])));
    groups_ = hosts_[0]->settings.resources.groups;
  }

  void at(int64_t when, std::string what, std::function<void()> action) {
    actions_.push_back({when, order_++, std::move(what), std::move(action)});
  }

  void start(int i) {
    Host& h = *hosts_[i];
    if (h.core) return;
    h.settings.membership.generation += 1;
    h.busy = false;
    ++h.incarnation;
    h.core = std::make_unique<node::NodeCore>(
        h.settings, h, rng_, [this] { return kEpochSeconds + now_ / 1000; },
        [](const std::string& s) -> std::optional<std::string> { return "/rsc/" + s; });
    h.core->start(now_);
  }

  void crash(int i) {
    Host& h = *hosts_[i];
    h.core.reset();
    h.world.clear();  // a power loss takes the resources with it
    h.busy = false;
    ++h.incarnation;
    check();
  }

  void stop_gracefully(int i) {
    if (hosts_[i]->core) hosts_[i]->core->request_shutdown(now_);
  }

  void submit(int i, wire::Message m) {
    std::string why;
    if (hosts_[i]->core) hosts_[i]->core->submit(std::move(m), now_, why);
  }

  // The ping node stops (or starts again) answering host i.
  void set_uplink(int i, bool up) {
    hosts_[i]->uplink = up;
    if (up) uplink_changed_ = now_;
  }
  bool with_ipfail() const { return hosts_[0]->settings.ipfail.has_value(); }
  // A ping echo comes back a few ms after the status it rode on.
  void echo(int i, const std::string& ts) {
    uint64_t life = hosts_[i]->incarnation;
    sim_at_echo(i, ts, life);
  }

  void isolate(bool on) {
    network_.cut(0, 1, on);
    network_.cut(1, 0, on);
    cut_ = on;
    if (on) split_ = true;
    check();
  }

  void run_until(int64_t until) {
    for (;;) {
      int64_t next = std::min(network_.next_at(), next_action_at());
      for (const auto& h : hosts_)
        if (h->core) next = std::min(next, h->core->next_deadline());
      if (next > until) break;
      now_ = std::max(now_, next);
      if (next_action_at() <= now_) {
        run_next_action();
      } else if (network_.next_at() <= now_) {
        Delivery d = network_.pop();
        Host& to = *hosts_[d.to];
        if (to.core) to.core->receive(*d.message, d.medium, now_);
      } else {
        for (const auto& h : hosts_)
          if (h->core && h->core->next_deadline() <= now_) h->core->tick(now_);
      }
    }
    now_ = std::max(now_, until);
  }

  // Every group on exactly one node (none if no node runs), nothing pending.
  // ipfail_outcome: the disturbance just before was an uplink lost for good
  // (later ones, an admin's standby say, may rightly move groups elsewhere).
  void check_settled(const std::string& when, bool ipfail_outcome = false) {
    bool anyone = std::any_of(hosts_.begin(), hosts_.end(), [](const auto& h) { return h->core != nullptr; });
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      std::vector<std::string> owners = owners_of(g);
      std::size_t wanted = anyone ? 1 : 0;
      if (owners.size() != wanted)
        fail(when + ": group " + groups_[g].key() + " runs on " + std::to_string(owners.size()) +
             " nodes (" + join(owners) + ")" + states());
    }
    for (const auto& h : hosts_)
      if (h->core && !h->core->resources().idle()) fail(when + ": " + h->name + " still busy");
    if (ipfail_outcome) check_ipfail_outcome(when);
  }

  // ipfail: with both nodes up and only one of them seeing the ping node,
  // everything runs on that one.
  void check_ipfail_outcome(const std::string& when) {
    if (!with_ipfail() || hosts_[0]->settings.resources.mode == resources::Mode::Legacy) return;
    if (!hosts_[0]->core || !hosts_[1]->core || hosts_[0]->uplink == hosts_[1]->uplink) return;
    const std::string& good = hosts_[0]->uplink ? hosts_[0]->name : hosts_[1]->name;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      std::vector<std::string> owners = owners_of(g);
      if (owners != std::vector<std::string>{good})
        fail(when + ": group " + groups_[g].key() + " runs on " + join(owners) +
             " though only " + good + " sees the ping node" + states());
    }
  }

  // Who runs each group now (for "nothing moves" checks).
  std::vector<std::vector<std::string>> owners_now() const {
    std::vector<std::vector<std::string>> out;
    for (std::size_t g = 0; g < groups_.size(); ++g) out.push_back(owners_of(g));
    return out;
  }
  // Between two snapshots, did a group move anywhere but to its home node?
  // (With auto_failback on, ipfail hands foreign groups back when the counts
  // are balanced, as heartbeat's does: that move is expected.)
  bool moved_away(const std::vector<std::vector<std::string>>& before,
                  const std::vector<std::vector<std::string>>& after) const {
    for (std::size_t g = 0; g < groups_.size() && g < before.size() && g < after.size(); ++g) {
      if (after[g] == before[g] || after[g].empty()) continue;  // same, or on its way
      if (after[g] != std::vector<std::string>{groups_[g].node}) return true;
    }
    return false;
  }
  std::string owners_text(const std::vector<std::vector<std::string>>& owners) const {
    std::string out;
    for (std::size_t g = 0; g < owners.size(); ++g)
      out += (g ? ", " : "") + groups_[g].key() + " on " + (owners[g].empty() ? "none" : join(owners[g]));
    return out;
  }

  std::string states() const {
    std::string out;
    for (const auto& h : hosts_)
      if (h->core) out += "; " + h->name + ": " + h->core->resources().debug_state();
    return out;
  }

  // Called after every change of a resource's state.
  void check() {
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      for (const auto& h : hosts_) check_prefix(*h, g);
      std::vector<std::string> owners = owners_of(g);
      if (owners.size() > 1 && !split_ && reported_.insert(g).second)
        fail("group " + groups_[g].key() + " runs on " + join(owners) + " while connected");
    }
    maybe_end_split();
  }

  void fail(const std::string& what) {
    violations_.push_back("t=" + std::to_string(now_) + " " + what);
  }
  void trace(const std::string& line) {
    if (!trace_on_) return;
    trace_.push_back("t=" + std::to_string(now_) + " " + line);
    if (trace_.size() > kTraceLines) trace_.pop_front();
  }
  std::string trace_text() const {
    std::string out;
    for (const auto& l : trace_) out += l + "\n";
    return out;
  }
  // A peer that is running was declared dead: a split, as far as resources go.
  void false_death(const std::string& peer) {
    for (const auto& h : hosts_)
      if (h->name == peer && h->core) {
        split_ = true;
        ++false_deaths_;
      }
  }
  int false_deaths() const { return false_deaths_; }

  // Loss and duplication only while something is being disturbed; the
  // quiet period that follows is clean, so its check is fair.
  void faults_on(bool on) {
    Faults f = faults_;
    if (!on) f.loss = f.dup = 0;
    network_.set_faults(f);
  }
  int64_t now() const { return now_; }
  SimRandom& rng() { return rng_; }
  Network& network() { return network_; }
  int64_t max_script_ms() const { return max_script_ms_; }
  Host& host(int i) { return *hosts_[i]; }
  const std::vector<std::string>& violations() const { return violations_; }
  uint64_t calls = 0;

 private:
  struct Action {
    int64_t at;
    uint64_t order;
    std::string what;
    std::function<void()> run;
  };

  int64_t next_action_at() const {
    int64_t next = std::numeric_limits<int64_t>::max();
    for (const auto& a : actions_) next = std::min(next, a.at);
    return next;
  }
  void sim_at_echo(int i, const std::string& ts, uint64_t life) {
    at(now_ + rng_.between(1, 5), "echo", [this, i, ts, life] {
      Host& h = *hosts_[i];
      if (!h.core || h.incarnation != life || !h.uplink) return;
      h.core->receive(cluster::ping_status_message(kPingNode, false, ts), kPingNode, now_);
    });
  }
  void run_next_action() {
    auto it = std::min_element(actions_.begin(), actions_.end(), [](const Action& a, const Action& b) {
      return a.at != b.at ? a.at < b.at : a.order < b.order;
    });
    Action a = std::move(*it);
    actions_.erase(it);
    if (a.what != "script done" && a.what != "echo") trace("== " + a.what);
    a.run();
  }

  static std::string id_of(const config::Resource& r) {
    std::string id = r.script;
    for (const auto& a : r.args) id += " " + a;
    return id;
  }
  std::vector<std::string> owners_of(std::size_t g) const {
    // In host order, so that two snapshots compare equal.
    std::vector<std::string> owners;
    for (const auto& h : hosts_) {
      for (const auto& r : groups_[g].resources) {
        auto it = h->world.find(id_of(r));
        if (it != h->world.end() && it->second) {
          owners.push_back(h->name);
          break;
        }
      }
    }
    return owners;
  }
  void check_prefix(const Host& h, std::size_t g) {
    bool gap = false;
    for (const auto& r : groups_[g].resources) {
      auto it = h.world.find(id_of(r));
      bool running = it != h.world.end() && it->second;
      if (running && gap) {
        fail(h.name + ": " + r.token + " runs while a resource left of it in " +
             groups_[g].key() + " does not");
        return;
      }
      if (!running) gap = true;
    }
  }
  void maybe_end_split() {
    if (!split_ || cut_) return;
    for (std::size_t g = 0; g < groups_.size(); ++g)
      if (owners_of(g).size() > 1) return;
    for (const auto& h : hosts_) {
      if (!h->core) continue;
      if (!h->core->resources().idle()) return;
      for (const auto& other : hosts_) {
        if (other == h || !other->core) continue;
        const cluster::Node* n = h->core->membership().nodes().find(other->name);
        if (!n || !n->is_up()) return;
      }
    }
    split_ = false;
    reported_.clear();
  }
  static std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : " and ") + s;
    return out;
  }

  SimRandom rng_;
  Network network_;
  bool trace_on_;
  int64_t max_script_ms_ = 0;
  Faults faults_;
  std::vector<std::unique_ptr<Host>> hosts_;
  std::vector<config::ResourceGroup> groups_;
  std::vector<Action> actions_;
  uint64_t order_ = 0;
  int64_t now_ = 0;
  bool cut_ = false;
  int64_t uplink_changed_ = 0;
  int false_deaths_ = 0;
  bool split_ = false;
  std::set<std::size_t> reported_;
  std::vector<std::string> violations_;
  std::deque<std::string> trace_;
};

void Host::transmit(const wire::Message& m, cluster::SendKind kind) {
  std::string t = m.get_or("t", "");
  if (t != "status" && t != "NS_ackmsg")
    sim.trace(name + " send " + t + " " + m.get_or("rsc_hold", "") + " " + m.get_or("info", "") +
              " " + m.get_or("ipaddr", ""));
  sim.network().send(index, m, kind == cluster::SendKind::Retransmission, sim.now());
  if (t == "status" && kind == cluster::SendKind::Fresh && sim.with_ipfail())
    sim.echo(index, m.get_or("ts", ""));
}

void Host::log(log::Level level, const std::string& text) {
  if (level != log::Level::Debug) sim.trace(name + " " + log::level_label(level) + ": " + text);
  const std::string prefix = "node ", suffix = ": is dead";
  if (text.rfind(prefix, 0) == 0 && text.size() > prefix.size() + suffix.size() &&
      text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0)
    sim.false_death(text.substr(prefix.size(), text.size() - prefix.size() - suffix.size()));
}

void Host::run_script(const resources::ScriptCall& call) {
  ++sim.calls;
  if (busy) sim.fail(name + " runs two scripts at once");
  busy = true;
  std::string id = call.path.substr(call.path.rfind('/') + 1);
  for (std::size_t i = 0; i + 1 < call.args.size(); ++i) id += " " + call.args[i];
  std::string op = call.args.back();
  if (op == "start") {
    world[id] = true;  // a starting resource counts as running
    sim.check();
  }
  int64_t delay = sim.rng().between(0, sim.max_script_ms());
  uint64_t life = incarnation;
  sim.at(sim.now() + delay, "script done", [this, call, id, op, life] {
    if (!core || incarnation != life) return;
    resources::ScriptOutcome o;
    o.id = call.id;
    if (op == "status") o.output = world[id] ? id + " is running" : id + " is stopped";
    if (op == "stop") {
      world[id] = false;
      sim.check();
    }
    busy = false;
    core->script_done(o, sim.now());
  });
}

void Host::announce(const std::vector<std::string>& addresses) {
  for (const auto& a : addresses) sim.trace(name + " announces " + a);
}

void Host::reboot() { sim.fail(name + " asked for a reboot"); }

void Host::finished(bool restart) {
  uint64_t life = incarnation;
  sim.at(sim.now(), name + " stopped", [this, restart, life] {
    if (incarnation != life) return;
    core.reset();
    busy = false;
    ++incarnation;
    sim.check();
    if (restart) sim.start(index);
  });
}

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
      if (sim.false_deaths() == *deaths && sim.moved_away(*before, sim.owners_now()))
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

}  // namespace

RscRunResult run_rsc_seed(uint64_t seed, bool with_trace) {
  SimRandom r(seed * 104729 + 7);
  Plan plan = make_plan(r);
  int64_t deadtime = plan.hosts[0].membership.deadtime_ms;
  int64_t initdead = plan.hosts[0].membership.initdead_ms;
  RscSim sim(seed, with_trace);
  sim.setup(plan.hosts, plan.faults, plan.max_script_ms);
  RscRunResult result;
  result.description = plan.description;

  bool staggered = r.between(0, 3) == 0;  // one node starts alone, the other joins
  sim.at(r.between(0, 1000), "start node1", [&sim] { sim.start(0); });
  int64_t second = staggered ? initdead + r.between(2000, 8000) : r.between(0, 1000);
  sim.at(second, "start node2", [&sim] { sim.start(1); });
  result.description += staggered ? "; node2 joins later" : "; both start together";

  int64_t when = second + kQuietMs;
  sim.at(when - 1, "check", [&sim] { sim.check_settled("after start"); });
  int disturbances = static_cast<int>(r.between(1, 3));
  bool uplink_lost = false;
  for (int d = 0; d < disturbances; ++d) {
    sim.at(when, "lossy network", [&sim] { sim.faults_on(true); });
    std::string what = disturb(sim, r, when, deadtime, uplink_lost);
    bool ipfail_outcome = what.size() > 9 && what.compare(what.size() - 9, 9, " for good") == 0 &&
                          what.rfind("uplink", 0) == 0;
    result.description += "; " + what;
    when += 3 * deadtime + 10000;
    sim.at(when, "network healthy", [&sim] { sim.faults_on(false); });
    when += kQuietMs + 12000;
    sim.at(when - 1, "check", [&sim, what, ipfail_outcome] {
      sim.check_settled("after " + what, ipfail_outcome);
    });
  }
  sim.run_until(when);
  result.violations = sim.violations();
  result.script_calls = sim.calls;
  if (with_trace) result.trace = sim.trace_text();
  return result;
}

}  // namespace hbd::sim
