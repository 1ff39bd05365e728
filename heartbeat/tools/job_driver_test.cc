#include "tools/job_driver.h"

#include <catch2/catch.hpp>

#include "config/haresources.h"
#include "tools/test_support.h"

using namespace hbd;
using namespace hbd::tools;
using hbd::tools::testing::FakeHost;
using hbd::tools::testing::FakeLog;
using Kind = resources::GroupJob::Kind;
using Result = resources::GroupJob::Result;

namespace {

struct Fixture {
  resources::GroupTable table;
  resources::JobContext context;
  uint64_t ids = 0;
  FakeHost host;
  FakeLog log;

  explicit Fixture(const std::string& haresources, int stop_retries = 2)
      : table(config::parse_haresources(haresources, "haresources").groups, "nodea") {
    context.locate = testing::locator({"rsc", "bad"});
    context.stop_retries = stop_retries;
    context.next_call_id = &ids;
  }
  DriveResult drive(Kind kind, size_t group = 0) {
    return drive_group_job(table.at(group), kind, context, host, log);
  }
};

}  // namespace

TEST_CASE("driver: a group starts left to right, status before each start", "[tools][rm]") {
  Fixture f("nodea rsc::a1 rsc::a2 rsc::a3\n");
  f.host.running.insert("/rd/rsc a2");
  DriveResult r = f.drive(Kind::Acquire);
  CHECK(r.result == Result::Done);
  CHECK(r.exit_code == 0);
  CHECK(f.host.calls == std::vector<std::string>{"/rd/rsc a1 status", "/rd/rsc a1 start",
                                                 "/rd/rsc a2 status", "/rd/rsc a3 status",
                                                 "/rd/rsc a3 start"});
  CHECK(f.log.lines == std::vector<std::string>{
                           "info: Acquiring resource group: nodea rsc::a1 rsc::a2 rsc::a3",
                           "info: Running /rd/rsc a1 start", "info: Running /rd/rsc a3 start"});
  for (auto where : f.host.outputs) CHECK(where == ScriptOutput::DebugFile);
}

TEST_CASE("driver: a group stops right to left, stop whatever the state", "[tools][rm]") {
  Fixture f("nodea rsc::a1 rsc::a2\n");
  DriveResult r = f.drive(Kind::Release);
  CHECK(r.result == Result::Done);
  CHECK(r.exit_code == 0);
  CHECK(f.host.calls == std::vector<std::string>{"/rd/rsc a2 stop", "/rd/rsc a1 stop"});
  CHECK(f.log.lines ==
        std::vector<std::string>{"info: Releasing resource group: nodea rsc::a1 rsc::a2",
                                 "info: Running /rd/rsc a2 stop", "info: Running /rd/rsc a1 stop"});
}

TEST_CASE("driver: a failed start gives the group up and exits with its code", "[tools][rm]") {
  Fixture f("nodea rsc::a1 bad::x rsc::a2\n");
  f.host.start_fails["/rd/bad x"] = 7;
  DriveResult r = f.drive(Kind::Acquire);
  CHECK(r.result == Result::StartFailed);
  CHECK(r.exit_code == 7);
  CHECK(f.host.calls == std::vector<std::string>{"/rd/rsc a1 status", "/rd/rsc a1 start",
                                                 "/rd/bad x status", "/rd/bad x start",
                                                 "/rd/rsc a2 stop", "/rd/bad x stop",
                                                 "/rd/rsc a1 stop"});
  CHECK(f.log.has("ERROR: Return code 7 from /rd/bad"));
  CHECK(f.log.has("CRIT: Giving up resources due to failure of bad::x"));
  CHECK(f.host.running.empty());
}

TEST_CASE("driver: a start killed by a signal exits as a shell reports it", "[tools][rm]") {
  Fixture f("nodea bad::x\n");
  f.host.start_signals["/rd/bad x"] = 9;
  CHECK(f.drive(Kind::Acquire).exit_code == 137);
  CHECK(f.log.has("ERROR: Return code 137 from /rd/bad (killed by signal 9)"));
}

TEST_CASE("driver: a missing script fails the start with 1", "[tools][rm]") {
  Fixture f("nodea rsc::a1 nosuch::y\n");
  DriveResult r = f.drive(Kind::Acquire);
  CHECK(r.result == Result::StartFailed);
  CHECK(r.exit_code == 1);
  CHECK(f.log.has("ERROR: Cannot locate resource script nosuch"));
}

TEST_CASE("driver: a failed stop is retried a second apart, then judged", "[tools][rm]") {
  SECTION("still running: the reboot verdict, logged, no reboot, the stop's code") {
    Fixture f("nodea rsc::a1 bad::x\n");
    f.host.running.insert("/rd/bad x");
    f.host.stop_fails["/rd/bad x"] = 5;
    DriveResult r = f.drive(Kind::Release);
    CHECK(r.result == Result::RebootRequired);
    CHECK(r.exit_code == 5);
    CHECK(f.host.calls == std::vector<std::string>{"/rd/bad x stop", "/rd/bad x stop",
                                                   "/rd/bad x stop", "/rd/bad x status"});
    REQUIRE(f.host.waits.size() == 2);
    CHECK(f.host.waits[0] == 1010 + 1000);  // a second after the first stop ended
    CHECK(f.log.has("info: Retrying failed stop operation [bad::x]"));
    CHECK(f.log.has("CRIT: Resource STOP failure. Reboot required!"));
    CHECK(f.log.has("CRIT: Killing heartbeat ungracefully!"));
    CHECK(f.log.lines.back() ==
          "CRIT: Not rebooting: ResourceManager run by hand leaves that to you (hbd); bad::x is "
          "still running");
  }
  SECTION("says stopped: heartbeat's LSB warning, and on to the next") {
    Fixture f("nodea rsc::a1 bad::x\n");
    f.host.stop_fails["/rd/bad x"] = 4;
    DriveResult r = f.drive(Kind::Release);
    CHECK(r.result == Result::Done);
    CHECK(r.exit_code == 0);
    CHECK(f.host.calls.back() == "/rd/rsc a1 stop");
    CHECK(f.log.has("ERROR: Resource script for bad::x probably not LSB-compliant."));
    CHECK(f.log.has("WARN: it (bad::x) MUST succeed on a stop when already stopped"));
    CHECK(f.log.has("WARN: Machine reboot narrowly avoided!"));
  }
}

TEST_CASE("driver: script-layer level words and shell statuses", "[tools][rm]") {
  CHECK(std::string(script_level_word(log::Level::Info)) == "info");
  CHECK(std::string(script_level_word(log::Level::Warn)) == "WARN");
  CHECK(std::string(script_level_word(log::Level::Error)) == "ERROR");
  CHECK(std::string(script_level_word(log::Level::Crit)) == "CRIT");
  resources::ScriptOutcome o;
  o.exit_code = 3;
  CHECK(shell_status(o) == 3);
  o.end = resources::ScriptOutcome::End::TimedOut;
  CHECK(shell_status(o) == 1);
  o.end = resources::ScriptOutcome::End::NotRun;
  CHECK(shell_status(o) == 1);
}
