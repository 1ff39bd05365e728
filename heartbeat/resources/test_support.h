// Test support for the resource manager: fake resource scripts whose state
// lives in a map, and a harness that runs one Manager the way the node core
// does (our own messages come back to us after the actions before them).
#pragma once
#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "resources/manager.h"
#include "resources/status_text.h"

namespace hbd::resources::testing {

// Scripts live at /rsc/<name>; each "name args" has a running flag.
struct FakeScripts {
  std::map<std::string, bool> running;
  std::set<std::string> fail_start, fail_stop, missing;
  std::set<std::string> hang_status;  // status times out
  std::vector<std::string> calls;  // "name args op"

  static std::string name_of(const std::string& path) { return path.substr(path.rfind('/') + 1); }

  ScriptOutcome run(const ScriptCall& c) {
    std::string id = name_of(c.path);
    for (std::size_t i = 0; i + 1 < c.args.size(); ++i) id += " " + c.args[i];
    const std::string& op = c.args.back();
    calls.push_back(id + " " + op);
    ScriptOutcome o;
    o.id = c.id;
    if (op == "status" && hang_status.count(id)) {
      o.end = ScriptOutcome::End::TimedOut;
      o.elapsed_ms = c.timeout_ms;
    } else if (op == "status") {
      o.output = running[id] ? id + " is running" : id + " is stopped";
    } else if (op == "start") {
      if (fail_start.count(id)) o.exit_code = 1;
      else running[id] = true;
    } else if (op == "stop") {
      if (fail_stop.count(id)) o.exit_code = 1;
      else running[id] = false;
    }
    return o;
  }
};

inline Locator fake_locator(const FakeScripts* scripts) {
  return [scripts](const std::string& s) -> std::optional<std::string> {
    if (scripts->missing.count(s)) return std::nullopt;
    return "/rsc/" + s;
  };
}

inline std::vector<config::ResourceGroup> two_groups() {
  return config::parse_haresources(
             "node1 IPaddr::198.18.1.200/24/eth0 LabRes::app1 LabRes::app2\n"
             "node2 rec::B1\n",
             "haresources")
      .groups;
}

inline Settings settings_for(const std::string& me, Mode mode,
                             std::vector<config::ResourceGroup> groups = two_groups()) {
  Settings s;
  s.local_node = me;
  s.nodes = {"node1", "node2"};
  s.mode = mode;
  s.groups = std::move(groups);
  s.pid = 4242;
  s.deadtime_ms = 3000;
  return s;
}

class Harness {
 public:
  explicit Harness(Settings settings)
      : me(settings.local_node), rm(std::move(settings), fake_locator(&scripts)) {}

  // Runs one event's actions and everything they cause.
  template <typename F>
  void event(F&& f) {
    Actions a;
    Out out(a);
    f(out);
    drain(a);
  }
  void comm_up() { event([&](Out& o) { rm.on_comm_up(now, o); }); }
  void peer_status(const std::string& st) {
    event([&](Out& o) { rm.on_node_status(peer(), st, now, o); });
  }
  void peer_dead() { event([&](Out& o) { rm.on_node_dead(peer(), now, o); }); }
  void peer_restart() { event([&](Out& o) { rm.on_node_restart(peer(), now, o); }); }
  void partition_return() { event([&](Out& o) { rm.on_partition_return(peer(), now, o); }); }
  void from_peer(const wire::Message& m) {
    event([&](Out& o) { rm.on_message(peer(), m, now, o); });
  }
  void shutdown() { event([&](Out& o) { rm.request_shutdown(now, false, o); }); }
  // Our own message through the FIFO (hb_standby): it reaches us as any other.
  void local(const wire::Message& m) { loopback(m); }
  void advance(int64_t ms) {
    int64_t until = now + ms;
    while (true) {
      int64_t next = rm.next_deadline();
      if (next > until) break;
      now = std::max(now, next);
      event([&](Out& o) { rm.on_time(now, o); });
    }
    now = until;
    event([&](Out& o) { rm.on_time(now, o); });
  }
  void complete_held() {
    while (!held.empty()) {
      ScriptCall c = held.front();
      held.pop_front();
      ScriptOutcome o = scripts.run(c);
      event([&](Out& out) { rm.on_script_done(o, now, out); });
    }
  }

  std::string peer() const { return me == "node1" ? "node2" : "node1"; }

  // "t k=v k=v" of what we sent, for compact expectations.
  std::vector<std::string> sent_lines() const {
    std::vector<std::string> out;
    for (const auto& m : sent) out.push_back(line(m));
    return out;
  }
  static std::string line(const wire::Message& m) {
    std::string s;
    for (const auto& f : m.fields())
      s += (s.empty() ? "" : " ") + (f.name == "t" ? f.value : f.name + "=" + f.value);
    return s;
  }
  bool logged(const std::string& text) const {
    return std::find(logs.begin(), logs.end(), text) != logs.end();
  }
  int log_count(const std::string& text) const {
    return static_cast<int>(std::count(logs.begin(), logs.end(), text));
  }
  void clear() {
    sent.clear();
    logs.clear();
    scripts.calls.clear();
    announced.clear();
  }
  bool runs(const std::string& id) { return scripts.running[id]; }

  std::string me;
  FakeScripts scripts;
  Manager rm;
  int64_t now = 0;
  bool hold_scripts = false;  // calls wait for complete_held()
  std::deque<ScriptCall> held;
  std::vector<wire::Message> sent;
  std::vector<std::string> logs;
  std::vector<std::string> announced;
  int reboots = 0;
  int shutdowns_complete = 0;

 private:
  void loopback(const wire::Message& m) {
    event([&](Out& o) { rm.on_message(me, m, now, o); });
  }
  void drain(Actions& first) {
    std::deque<Action> pending(first.begin(), first.end());
    while (!pending.empty()) {
      Action a = std::move(pending.front());
      pending.pop_front();
      Actions more;
      Out out(more);
      switch (a.kind) {
        case Action::Kind::Send:
          sent.push_back(a.message);
          rm.on_message(me, a.message, now, out);
          break;
        case Action::Kind::Log: logs.push_back(a.text); break;
        case Action::Kind::RunScript:
          if (hold_scripts) {
            held.push_back(a.call);
          } else {
            ScriptOutcome o = scripts.run(a.call);
            rm.on_script_done(o, now, out);
          }
          break;
        case Action::Kind::Announce:
          for (const auto& ip : a.addresses) announced.push_back(ip);
          break;
        case Action::Kind::Reboot: ++reboots; break;
        case Action::Kind::ShutdownComplete: ++shutdowns_complete; break;
      }
      for (auto& m : more) pending.push_back(std::move(m));
    }
  }
};

inline wire::Message msg(const std::string& type,
                         std::initializer_list<std::pair<std::string, std::string>> fields = {}) {
  return make_message(type, fields);
}

inline wire::Message resource(const std::string& held, const std::string& stable,
                              const std::string& info = "") {
  wire::Message m = make_message("resource", {{"rsc_hold", held}, {"rtype", "full"},
                                              {"isstable", stable}});
  if (!info.empty()) m.add("info", info);
  return m;
}

inline wire::Message ask(const std::string& held, const std::string& info) {
  return make_message("ask_resources", {{"rsc_hold", held}, {"info", info}});
}

// node1 and node2 both up, each holding its own groups (both started
// together, RQSTDELAY passed on both).
// Both up and starting, holding nothing yet (RQSTDELAY runs).
inline void both_starting(Harness& h) {
  h.peer_status("active");
  h.comm_up();
  h.from_peer(msg("starting"));
  h.from_peer(resource("none", "0"));
}

inline void settle(Harness& h) {
  both_starting(h);
  h.advance(kRequestDelayMs);
  h.from_peer(resource("local", "1"));
  h.clear();
}

}  // namespace hbd::resources::testing
