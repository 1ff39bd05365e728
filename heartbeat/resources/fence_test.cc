#include "resources/fence.h"

#include <catch2/catch.hpp>

#include "resources/test_support.h"

namespace hbd::resources {
namespace {

FencePolicy policy(bool required = true) {
  FencePolicy p;
  p.command = {"/usr/libexec/hbd/fence-testhost", "--fast"};
  p.required = required;
  p.timeout_ms = 20000;
  p.retry_ms = 1000;
  p.retry_max_ms = 3000;
  return p;
}

struct Gate {
  explicit Gate(FencePolicy p) : gate(std::move(p), &ids) {}

  bool request(const std::string& node, FencePurpose purpose = FencePurpose::Takeover) {
    Out out(actions);
    return gate.request(node, purpose, now, out);
  }
  std::optional<FenceCleared> finish(ScriptOutcome o) {
    Out out(actions);
    o.id = last_call().id;
    return gate.on_outcome(o, now, out);
  }
  std::optional<FenceCleared> exit(int code) {
    ScriptOutcome o;
    o.exit_code = code;
    return finish(o);
  }
  void at(int64_t t) {
    now = t;
    Out out(actions);
    gate.on_time(now, out);
  }
  ScriptCall last_call() const {
    for (auto it = actions.rbegin(); it != actions.rend(); ++it)
      if (it->kind == Action::Kind::RunScript) return it->call;
    return {};
  }
  int runs() const {
    int n = 0;
    for (const auto& a : actions) n += a.kind == Action::Kind::RunScript;
    return n;
  }
  bool logged(log::Level level, const std::string& part) const {
    for (const auto& a : actions)
      if (a.kind == Action::Kind::Log && a.level == level && a.text.find(part) != std::string::npos)
        return true;
    return false;
  }

  uint64_t ids = 0;
  FenceGate gate;
  Actions actions;
  int64_t now = 0;
};

TEST_CASE("fence gate: without a command every request is granted and nothing runs",
          "[resources][fence]") {
  Gate g{FencePolicy{}};
  CHECK(g.request("node2"));
  CHECK(g.request("node2", FencePurpose::HealAcquire));
  CHECK(g.actions.empty());
  CHECK(g.gate.next_deadline() == 0);
}

TEST_CASE("fence gate: the command runs with the node and reason; success clears the takeover",
          "[resources][fence]") {
  Gate g{policy()};
  CHECK_FALSE(g.request("node2"));
  REQUIRE(g.runs() == 1);
  ScriptCall c = g.last_call();
  CHECK(c.path == "/usr/libexec/hbd/fence-testhost");
  CHECK(c.args == std::vector<std::string>{"--fast", "node2", "dead"});
  CHECK(c.timeout_ms == 20000);
  CHECK(c.id == 1);
  CHECK(g.gate.owns(1));
  CHECK(g.logged(log::Level::Info, "Resetting node node2 with [/usr/libexec/hbd/fence-testhost --fast]"));
  auto cleared = g.exit(0);
  REQUIRE(cleared);
  CHECK(cleared->node == "node2");
  CHECK(cleared->purposes == std::vector<FencePurpose>{FencePurpose::Takeover});
  CHECK(g.gate.fenced("node2"));
  CHECK_FALSE(g.gate.waiting("node2"));
  CHECK(g.logged(log::Level::Info, "node node2 now reset."));
  bool sent_ok = false;
  for (const auto& a : g.actions)
    if (a.kind == Action::Kind::Send)
      sent_ok = a.message.get_or("t", "") == "stonith" && a.message.get_or("result", "") == "OK";
  CHECK(sent_ok);
}

TEST_CASE("fence gate: a failure is CRIT, clears nothing, and is retried with a doubling delay",
          "[resources][fence]") {
  Gate g{policy()};
  CHECK_FALSE(g.request("node2"));
  CHECK_FALSE(g.exit(1));
  CHECK(g.logged(log::Level::Crit, "Fencing of node2 failed"));
  CHECK(g.logged(log::Level::Crit, "exited with return code 1"));
  CHECK(g.gate.next_deadline() == 1000);
  // A second request while waiting starts no second run.
  CHECK_FALSE(g.request("node2", FencePurpose::HealAcquire));
  CHECK(g.runs() == 1);
  g.at(999);
  CHECK(g.runs() == 1);
  g.at(1000);
  CHECK(g.runs() == 2);
  CHECK(g.gate.next_deadline() == 0);  // running, no timer of its own: the runner times it
  CHECK_FALSE(g.exit(1));
  CHECK(g.gate.next_deadline() == 1000 + 2000);
  g.at(3000);
  CHECK_FALSE(g.exit(1));
  CHECK(g.gate.next_deadline() == 3000 + 3000);  // capped at retry_max
  g.at(6000);
  auto cleared = g.exit(0);
  REQUIRE(cleared);
  CHECK(cleared->purposes ==
        std::vector<FencePurpose>{FencePurpose::Takeover, FencePurpose::HealAcquire});
  CHECK(g.gate.next_deadline() == 0);
}

TEST_CASE("fence gate: a timeout, a signal or a command that cannot run is a failure",
          "[resources][fence]") {
  ScriptOutcome timed_out;
  timed_out.end = ScriptOutcome::End::TimedOut;
  ScriptOutcome killed;
  killed.end = ScriptOutcome::End::Signalled;
  killed.signal = 9;
  ScriptOutcome not_run;
  not_run.end = ScriptOutcome::End::NotRun;
  not_run.error = "No such file or directory";
  for (auto [outcome, text] : {std::pair{timed_out, "timed out"},
                               std::pair{killed, "was killed by signal 9"},
                               std::pair{not_run, "could not run: No such file"}}) {
    Gate g{policy()};
    CHECK_FALSE(g.request("node2"));
    CHECK_FALSE(g.finish(outcome));
    CHECK(g.logged(log::Level::Crit, text));
    CHECK_FALSE(g.gate.fenced("node2"));
    CHECK(g.gate.waiting("node2"));
  }
}

TEST_CASE("fence gate: required = no goes on after a failure, with a warning", "[resources][fence]") {
  Gate g{policy(false)};
  CHECK_FALSE(g.request("node2"));
  auto cleared = g.exit(2);
  REQUIRE(cleared);
  CHECK(cleared->purposes == std::vector<FencePurpose>{FencePurpose::Takeover});
  CHECK(g.logged(log::Level::Warn, "required = no"));
  CHECK_FALSE(g.logged(log::Level::Crit, "Fencing"));
  CHECK_FALSE(g.gate.fenced("node2"));  // not fenced: the next death runs it again
  CHECK(g.gate.next_deadline() == 0);
}

TEST_CASE("fence gate: a fenced peer is trusted again only with a new generation",
          "[resources][fence]") {
  Gate g{policy()};
  CHECK_FALSE(g.request("node2"));
  REQUIRE(g.exit(0));
  // Still fenced (no reboot seen): a second request needs no second run.
  CHECK(g.request("node2"));
  CHECK(g.runs() == 1);
  SECTION("a new generation: trusted, the next death fences it again") {
    Actions a;
    Out out(a);
    g.gate.on_restart("node2", out);
    CHECK_FALSE(g.gate.fenced("node2"));
    CHECK_FALSE(g.request("node2"));
    CHECK(g.runs() == 2);
  }
  SECTION("back with the same generation: the fence did not hold, CRIT, fenced again") {
    Out out(g.actions);
    g.gate.on_partition_return("node2", out);
    CHECK(g.logged(log::Level::Crit, "was fenced but is back with the same generation"));
    CHECK_FALSE(g.request("node2", FencePurpose::HealAcquire));
    CHECK(g.runs() == 2);
    CHECK(g.last_call().args.back() == "split-brain");
  }
}

TEST_CASE("fence gate: a peer back before it is fenced drops what waited; no more retries",
          "[resources][fence]") {
  Gate g{policy()};
  CHECK_FALSE(g.request("node2"));
  CHECK_FALSE(g.exit(1));
  Out out(g.actions);
  g.gate.on_restart("node2", out);
  CHECK_FALSE(g.gate.waiting("node2"));
  CHECK(g.gate.next_deadline() == 0);
  g.at(100000);
  CHECK(g.runs() == 1);
}

TEST_CASE("fence gate: outcomes of other calls are not its own", "[resources][fence]") {
  Gate g{policy()};
  CHECK_FALSE(g.request("node2"));
  ScriptOutcome other;
  other.id = 99;
  Out out(g.actions);
  CHECK_FALSE(g.gate.on_outcome(other, 0, out));
  CHECK_FALSE(g.gate.owns(99));
  CHECK_FALSE(g.gate.owns(0));
  CHECK(g.gate.waiting("node2"));
}

}  // namespace
}  // namespace hbd::resources
