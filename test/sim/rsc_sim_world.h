// The resource simulation's world (rsc_sim.cc runs it): two hosts, each a
// NodeCore while it runs plus the state of its resources, on the lossy
// simulated network, with fake scripts that take time and a ping node that
// echoes each host's status while its uplink is up; and the checks.
#pragma once

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

namespace hbd::sim::world {

constexpr int64_t kEpochSeconds = 1795295131;
constexpr int64_t kQuietMs = 75000;  // RQSTDELAY, a heal's restart wait, standby replies
constexpr std::size_t kTraceLines = 40000;
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
  // Monitoring runs: resources whose process died (their status says
  // stopped until the next start or stop), and those whose status always
  // says stopped on this host (they cannot work here).
  std::set<std::string> broken, bad;
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
    ++fresh_starts_;  // a new daemon remembers no relocation
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
    h.broken.clear();
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
  // Failures move groups for their own reasons: ipfail's outcome is not judged.
  bool monitoring() const { return !hosts_[0]->settings.resources.monitors.empty(); }
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

  // A resource's process dies on host i (if it runs there).
  void break_resource(int i, const std::string& id) {
    Host& h = *hosts_[i];
    if (!h.core || !h.world[id]) return;
    h.broken.insert(id);
    trace(h.name + " process of " + id + " died");
  }
  void relocated(const std::string& key) { ++relocations_[key]; }
  void death_declared() { ++deaths_; }
  // Each daemon start and each death declared forgets or forgives the
  // relocations before it: between them a group goes away and back at most.
  void check_bounces() {
    int most = 2 * (fresh_starts_ + deaths_);
    for (const auto& [key, n] : relocations_)
      if (n > most)
        fail("group " + key + " relocated " + std::to_string(n) + " times (at most " +
             std::to_string(most) + ")");
  }
  // Some node left the group stopped after it failed on both.
  bool failed_both(std::size_t g) const {
    for (const auto& h : hosts_)
      if (h->core)
        for (const auto& v : h->core->resources().groups())
          if (v.key == groups_[g].key() && v.failed_both) return true;
    return false;
  }

  // Every group on exactly one node (none if no node runs, or if it failed
  // on both), nothing pending.
  // ipfail_outcome: the disturbance just before was an uplink lost for good
  // (later ones, an admin's standby say, may rightly move groups elsewhere).
  void check_settled(const std::string& when, bool ipfail_outcome = false) {
    bool anyone = std::any_of(hosts_.begin(), hosts_.end(), [](const auto& h) { return h->core != nullptr; });
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      std::vector<std::string> owners = owners_of(g);
      std::size_t wanted = anyone ? 1 : 0;
      if (owners.size() != wanted && !(owners.empty() && failed_both(g)))
        fail(when + ": group " + groups_[g].key() + " runs on " + std::to_string(owners.size()) +
             " nodes (" + join(owners) + ")" + states());
    }
    for (const auto& h : hosts_)
      if (h->core && !h->core->resources().idle()) fail(when + ": " + h->name + " still busy");
    // Settled also means no node still reports its groups as changing hands
    // (cl_status rscstatus "transition"): a stuck negotiation refuses every
    // later standby and takeover.
    for (const auto& h : hosts_)
      if (h->core && h->core->resources().rsc_status() == "transition")
        fail(when + ": " + h->name + " still in transition" + states());
    if (ipfail_outcome) check_ipfail_outcome(when);
  }

  // ipfail: with both nodes up and only one of them seeing the ping node,
  // everything runs on that one.
  void check_ipfail_outcome(const std::string& when) {
    if (!with_ipfail() || monitoring() || hosts_[0]->settings.resources.mode == resources::Mode::Legacy)
      return;
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
  std::map<std::string, int> relocations_;
  int fresh_starts_ = 0, deaths_ = 0;
  std::vector<std::string> violations_;
  std::deque<std::string> trace_;
};

inline void Host::transmit(const wire::Message& m, cluster::SendKind kind) {
  std::string t = m.get_or("t", "");
  if (t != "status" && t != "NS_ackmsg")
    sim.trace(name + " send " + t + " " + m.get_or("rsc_hold", "") + " " + m.get_or("info", "") +
              " " + m.get_or("ipaddr", ""));
  sim.network().send(index, m, kind == cluster::SendKind::Retransmission, sim.now());
  if (t == "status" && kind == cluster::SendKind::Fresh && sim.with_ipfail())
    sim.echo(index, m.get_or("ts", ""));
}

inline void Host::log(log::Level level, const std::string& text) {
  if (level != log::Level::Debug) sim.trace(name + " " + log::level_label(level) + ": " + text);
  const std::string relocated = " after failures", group = "Resource group ";
  if (text.rfind(group, 0) == 0 && text.size() > relocated.size() &&
      text.compare(text.size() - relocated.size(), relocated.size(), relocated) == 0)
    sim.relocated(text.substr(group.size(), text.find(' ', group.size()) - group.size()));
  const std::string prefix = "node ", suffix = ": is dead";
  if (text.rfind(prefix, 0) == 0 && text.size() > prefix.size() + suffix.size() &&
      text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0) {
    sim.death_declared();
    sim.false_death(text.substr(prefix.size(), text.size() - prefix.size() - suffix.size()));
  }
}

inline void Host::run_script(const resources::ScriptCall& call) {
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
    bool says_running = world[id] && !broken.count(id) && !bad.count(id);
    if (op == "status") o.output = says_running ? id + " is running" : id + " is stopped";
    if (op == "start") broken.erase(id);
    if (op == "stop") {
      broken.erase(id);
      world[id] = false;
      sim.check();
    }
    busy = false;
    core->script_done(o, sim.now());
  });
}

inline void Host::announce(const std::vector<std::string>& addresses) {
  for (const auto& a : addresses) sim.trace(name + " announces " + a);
}

inline void Host::reboot() { sim.fail(name + " asked for a reboot"); }

inline void Host::finished(bool restart) {
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

}  // namespace hbd::sim::world
