// The resource manager with hbd.ini [fence]: takeovers wait for the fence
// command's success.
#include <catch2/catch.hpp>

#include "resources/fence.h"
#include "resources/test_support.h"

namespace hbd::resources::testing {
namespace {

Settings fenced_settings(const std::string& me, Mode mode, bool required = true) {
  Settings s = settings_for(me, mode);
  s.fence.command = {"/usr/sbin/fence"};
  s.fence.required = required;
  s.fence.retry_ms = 1000;
  s.fence.retry_max_ms = 4000;
  return s;
}

bool is_fence(const ScriptCall& c) { return c.path == "/usr/sbin/fence"; }

bool logged_part(const Harness& h, const std::string& part) {
  for (const auto& line : h.logs)
    if (line.find(part) != std::string::npos) return true;
  return false;
}

// Ends the first held call, which must be the fence command, with `code`.
void end_fence(Harness& h, int code) {
  REQUIRE_FALSE(h.held.empty());
  ScriptCall c = h.held.front();
  REQUIRE(is_fence(c));
  h.held.pop_front();
  ScriptOutcome o;
  o.id = c.id;
  o.exit_code = code;
  h.event([&](Out& out) { h.rm.on_script_done(o, h.now, out); });
}

// The peer dies and its first fence run fails; script calls are held.
void peer_dead_unfenced(Harness& h) {
  h.hold_scripts = true;
  h.peer_dead();
  end_fence(h, 1);
}

TEST_CASE("fence: a dead peer is fenced first; its groups are taken only after success",
          "[resources][fence]") {
  Mode mode = GENERATE(Mode::On, Mode::Legacy);
  Harness h(fenced_settings("node1", mode));
  settle(h);
  if (mode == Mode::Legacy) h.complete_held();
  h.clear();
  h.hold_scripts = true;
  h.peer_dead();
  REQUIRE(h.held.size() == 1);
  CHECK(h.held.front().args == std::vector<std::string>{"node2", "dead"});
  CHECK_FALSE(logged_part(h, "Resources being acquired from node2"));
  CHECK_FALSE(h.logged("No STONITH device configured."));

  end_fence(h, 1);  // it fails: nothing is taken, CRIT, retried
  CHECK(logged_part(h, "Fencing of node2 failed"));
  CHECK(h.held.empty());
  h.advance(999);
  CHECK(h.held.empty());
  h.advance(1);
  REQUIRE(h.held.size() == 1);
  CHECK(h.scripts.calls.empty());  // no resource script ran meanwhile
  CHECK_FALSE(h.runs("rec B1"));

  end_fence(h, 0);
  CHECK(logged_part(h, "Resources being acquired from node2"));
  CHECK(h.sent_lines().front() == "stonith node=node2 result=OK");
  h.hold_scripts = false;
  h.complete_held();
  CHECK(h.runs("rec B1"));
}

TEST_CASE("fence: required = no takes over after a failure, with a warning", "[resources][fence]") {
  Harness h(fenced_settings("node1", Mode::On, false));
  settle(h);
  peer_dead_unfenced(h);
  CHECK(logged_part(h, "[fence] required = no: going on without it"));
  h.hold_scripts = false;
  h.complete_held();
  CHECK(h.runs("rec B1"));
}

TEST_CASE("fence: a peer that gave up its groups is not fenced", "[resources][fence]") {
  Harness h(fenced_settings("node1", Mode::On));
  settle(h);
  h.from_peer(resource("none", "1", "shutdown"));
  h.from_peer(msg("shutdone", {{"st", "dead"}}));
  h.hold_scripts = true;
  h.peer_dead();
  for (const auto& c : h.held) CHECK_FALSE(is_fence(c));
}

TEST_CASE("fence: after a split brain, our groups are acquired only once the peer is fenced",
          "[resources][fence]") {
  Harness h(fenced_settings("node2", Mode::Off));
  h.peer_status("active");
  h.comm_up();
  h.from_peer(resource("all", "1"));  // node1 runs node2's group too
  REQUIRE_FALSE(h.runs("rec B1"));
  peer_dead_unfenced(h);  // a split brain: node1 holds all
  h.partition_return();
  CHECK(logged_part(h, "Fencing of node1 no longer waited for"));
  h.advance(10000);  // no retry of the dropped request, no acquisition without a fence
  REQUIRE(h.held.size() == 1);
  CHECK(h.held.front().args == std::vector<std::string>{"node1", "split-brain"});
  end_fence(h, 0);
  h.hold_scripts = false;
  h.complete_held();
  CHECK(h.runs("rec B1"));
}

TEST_CASE("fence: a node that shuts down stops fencing", "[resources][fence]") {
  Harness h(fenced_settings("node1", Mode::On));
  settle(h);
  peer_dead_unfenced(h);
  h.shutdown();
  h.complete_held();  // the release of our own groups
  CHECK(logged_part(h, "Fencing of node2 no longer waited for: this node shuts down"));
  h.advance(60000);
  for (const auto& c : h.held) CHECK_FALSE(is_fence(c));
  CHECK(h.rm.next_deadline() == INT64_MAX);
}

TEST_CASE("fence: after a split brain, a node without groups of its own fences nobody",
          "[resources][fence]") {
  Settings s = fenced_settings("node2", Mode::On);
  s.groups = config::parse_haresources("node1 rec::A1\n", "haresources").groups;
  Harness h(std::move(s));
  h.peer_status("active");
  h.comm_up();
  h.from_peer(resource("all", "1"));  // what heartbeat says with no foreign groups to hold
  peer_dead_unfenced(h);
  h.clear();
  h.partition_return();
  h.advance(10000);
  for (const auto& c : h.held) CHECK_FALSE(is_fence(c));
  CHECK_FALSE(logged_part(h, "Resetting node node1"));
}

}  // namespace
}  // namespace hbd::resources::testing
