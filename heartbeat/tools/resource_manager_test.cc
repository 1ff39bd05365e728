#include "tools/resource_manager.h"

#include <catch2/catch.hpp>
#include <map>
#include <sstream>

#include "config/haresources.h"
#include "tools/test_support.h"

using namespace hbd;
using namespace hbd::tools;
using hbd::tools::testing::FakeHost;
using hbd::tools::testing::FakeLog;

namespace {

const char* kHaresources =
    "# comment\n"
    "NodeA  rsc::a1 rsc::a2   # c\n"
    "nodeb rsc::b1 \\\n"
    "   rsc::b2\n"
    "nodea 198.18.0.5/24 rsc::a3\n"
    "nodec\n";

struct Rm {
  RmContext context;
  FakeHost host;
  FakeLog log;
  std::string out, err;

  explicit Rm(const std::string& haresources = kHaresources) {
    context.program = "/usr/share/heartbeat/ResourceManager";
    context.haresources_path = "/etc/ha.d/haresources";
    context.haresources_text = haresources;
    context.local_node = "nodea";
    context.locate = testing::locator({"rsc", "bad", "IPaddr"});
    context.stop_retries = 1;
  }
  int operator()(std::vector<std::string> args) {
    std::ostringstream o, e;
    int rc = run_resource_manager(args, context, host, log, o, e);
    out = o.str();
    err = e.str();
    return rc;
  }
};

}  // namespace

TEST_CASE("ResourceManager: listkeys matches ^<regex>  against the whole line, any case",
          "[tools][rm]") {
  Rm rm;
  CHECK(rm({"listkeys", "nodea"}) == 0);
  CHECK(rm.out == "rsc::a1\n198.18.0.5/24\n");
  CHECK(rm({"listkeys", "NODEA"}) == 0);
  CHECK(rm.out == "rsc::a1\n198.18.0.5/24\n");
  CHECK(rm({"listkeys", "node[ab]"}) == 0);
  CHECK(rm.out == "rsc::a1\nrsc::b1\n198.18.0.5/24\n");
  CHECK(rm({"listkeys", "node"}) == 0);  // a word: "node " never starts a line
  CHECK(rm.out.empty());
  CHECK(rm({"listkeys", "nodea RSC::A1"}) == 0);  // the pattern may reach into the resources
  CHECK(rm.out == "rsc::a1\n");
  CHECK(rm({"listkeys", "nodea|nodeb"}) == 0);  // egrep: ^nodea or "nodeb " anywhere
  CHECK(rm.out == "rsc::a1\nrsc::b1\n198.18.0.5/24\n");
  CHECK(rm({"listkeys"}) == 0);
  CHECK(rm.out.empty());
  CHECK(rm.host.calls.empty());
}

TEST_CASE("ResourceManager: a bad listkeys pattern is an error", "[tools][rm]") {
  Rm rm;
  CHECK(rm({"listkeys", "("}) == 1);
  CHECK(rm.out.empty());
  CHECK_THAT(rm.err, Catch::StartsWith("/usr/share/heartbeat/ResourceManager: listkeys: bad "
                                       "pattern [(]: "));
}

TEST_CASE("ResourceManager: allkeys, ourkeys, otherkeys", "[tools][rm]") {
  Rm rm;
  CHECK(rm({"allkeys"}) == 0);
  CHECK(rm.out == "rsc::a1\nrsc::b1\n198.18.0.5/24\n");
  CHECK(rm({"ourkeys"}) == 0);
  CHECK(rm.out == "rsc::a1 rsc::a2 \n198.18.0.5/24 rsc::a3 \n");
  CHECK(rm({"otherkeys"}) == 0);
  CHECK(rm.out == "rsc::b1 rsc::b2 \n");
  rm.context.local_node = "nodeb";
  CHECK(rm({"ourkeys"}) == 0);
  CHECK(rm.out == "rsc::b1 rsc::b2 \n");
}

TEST_CASE("ResourceManager: status by the text, 0 running, 3 stopped", "[tools][rm]") {
  Rm rm;
  std::map<std::string, int> cases = {
      {"x is running", 0},
      {"x is not running", 3},
      {"Not Running", 3},
      {"INFO:  Running OK", 0},
      {"OK", 0},
      {"TOKEN", 0},
      {"RUNNING", 3},
      {"stopped", 3},
      {"", 3},
      {"running? not", 0},
  };
  for (const auto& [text, want] : cases) {
    rm.host.status_text["/rd/rsc a1"] = text;
    CHECK(rm({"status", "rsc::a1"}) == want);
  }
  CHECK(rm.host.calls.back() == "/rd/rsc a1 status");
  CHECK(rm.host.outputs.back() == ScriptOutput::Stderr);
  rm.host.running.insert("/rd/IPaddr 198.18.0.9");
  CHECK(rm({"status", "198.18.0.9"}) == 0);
  CHECK(rm.log.lines.empty());
}

TEST_CASE("ResourceManager: status of a resource without a script", "[tools][rm]") {
  Rm rm;
  CHECK(rm({"status", "nosuch::x"}) == 3);
  CHECK(rm.log.lines == std::vector<std::string>{"ERROR: Cannot locate resource script nosuch"});
  CHECK(rm({"status"}) == 3);
  CHECK(rm.log.lines.back() == "ERROR: Cannot locate resource script ");
  CHECK(rm.host.calls.empty());
}

TEST_CASE("ResourceManager: takegroup and givegroup by exact key", "[tools][rm]") {
  Rm rm;
  CHECK(rm({"takegroup", "198.18.0.5/24"}) == 0);
  CHECK(rm.host.calls == std::vector<std::string>{"/rd/IPaddr 198.18.0.5/24 status",
                                                  "/rd/IPaddr 198.18.0.5/24 start",
                                                  "/rd/rsc a3 status", "/rd/rsc a3 start"});
  CHECK(rm.log.lines.front() == "info: Acquiring resource group: nodea 198.18.0.5/24 rsc::a3");
  rm.host.calls.clear();
  CHECK(rm({"givegroup", "198.18.0.5/24"}) == 0);
  CHECK(rm.host.calls ==
        std::vector<std::string>{"/rd/rsc a3 stop", "/rd/IPaddr 198.18.0.5/24 stop"});
  CHECK(rm.host.running.empty());
  CHECK(rm.out.empty());
  CHECK(rm.err.empty());
}

TEST_CASE("ResourceManager: takegroup of something that is no key", "[tools][rm]") {
  Rm rm;
  // rsc::a2 is in a group, but not its key; heartbeat would take the group.
  CHECK(rm({"takegroup", "rsc::a2"}) == 1);
  CHECK(rm.err ==
        "/usr/share/heartbeat/ResourceManager: takegroup: no resource group has the "
        "key [rsc::a2] in /etc/ha.d/haresources\n");
  CHECK(rm({"givegroup", "198.18.0.5"}) == 1);  // not a regex match either
  rm.context.haresources_error = "cannot read it: No such file or directory";
  CHECK(rm({"givegroup", "x"}) == 1);
  CHECK(rm.err ==
        "/usr/share/heartbeat/ResourceManager: givegroup: no resource group has the "
        "key [x] in /etc/ha.d/haresources (cannot read it: No such file or "
        "directory)\n");
  CHECK(rm({"takegroup"}) == 1);
  CHECK_THAT(rm.err, Catch::StartsWith("/usr/share/heartbeat/ResourceManager: takegroup needs "
                                       "the key of a resource group\nusage: "));
  CHECK(rm.host.calls.empty());
}

TEST_CASE("ResourceManager: takegroup's failure and givegroup's reboot verdict", "[tools][rm]") {
  Rm rm("nodea rsc::a1 bad::x\nnodea bad::y rsc::a2\n");
  rm.host.start_fails["/rd/bad x"] = 6;
  CHECK(rm({"takegroup", "rsc::a1"}) == 6);
  CHECK(rm.host.running.empty());
  rm.host.running.insert("/rd/bad y");
  rm.host.stop_fails["/rd/bad y"] = 2;
  CHECK(rm({"givegroup", "bad::y"}) == 2);
  CHECK(rm.log.has("CRIT: Resource STOP failure. Reboot required!"));
}

TEST_CASE("ResourceManager: statgroup prints NONE, SOME or ALL", "[tools][rm]") {
  Rm rm("nodea rsc::a1 rsc::a2 rsc::a3\n");
  CHECK(rm({"statgroup", "rsc::a1"}) == 0);
  CHECK(rm.out == "NONE\n");
  CHECK(rm.host.calls.size() == 3);
  rm.host.running = {"/rd/rsc a1", "/rd/rsc a2", "/rd/rsc a3"};
  CHECK(rm({"statgroup", "rsc::a1"}) == 0);
  CHECK(rm.out == "ALL\n");
  rm.host.running.erase("/rd/rsc a2");
  rm.host.calls.clear();
  CHECK(rm({"statgroup", "rsc::a1"}) == 0);
  CHECK(rm.out == "SOME\n");
  // heartbeat stops asking at the first difference.
  CHECK(rm.host.calls == std::vector<std::string>{"/rd/rsc a1 status", "/rd/rsc a2 status"});
  CHECK(rm.host.outputs.back() == ScriptOutput::DebugFile);
  CHECK(rm({"statgroup", "nosuch"}) == 0);
  CHECK(rm.out == "NONE\n");
}

TEST_CASE("ResourceManager: verifyallidle counts running keys, with heartbeat's warnings",
          "[tools][rm]") {
  Rm rm;
  CHECK(rm({"verifyallidle"}) == 0);
  CHECK(rm.err.empty());
  CHECK(rm.log.lines.empty());
  // Only keys are asked; a2 running does not count.
  CHECK(rm.host.calls == std::vector<std::string>{"/rd/rsc a1 status", "/rd/rsc b1 status",
                                                  "/rd/IPaddr 198.18.0.5/24 status"});
  rm.host.running = {"/rd/rsc a1", "/rd/rsc a2", "/rd/IPaddr 198.18.0.5/24"};
  CHECK(rm({"verifyallidle"}) == 2);
  const std::string prog = "/usr/share/heartbeat/ResourceManager";
  CHECK(rm.err ==
        "CRITICAL: Resource rsc::a1 is active, and should not be!\n"
        "CRITICAL: Non-idle resources can affect data integrity!\n"
        "info: If you don't know what this means, then get help!\n"
        "info: Read the docs and/or the source to " +
            prog +
            " for more details.\n"
            "CRITICAL: Resource 198.18.0.5/24 is active, and should not be!\n"
            "CRITICAL: Non-idle resources can affect data integrity!\n"
            "info: If you don't know what this means, then get help!\n"
            "info: Read the docs and/or the source to " +
            prog + " for more details.\n");
  CHECK(rm.log.lines == std::vector<std::string>{
                            "CRITICAL: Resource rsc::a1 is active, and should not be!",
                            "CRITICAL: Non-idle resources can affect data integrity!",
                            "info: If you don't know what this means, then get help!",
                            "info: Read the docs and/or source to " + prog + " for more details.",
                            "CRITICAL: Resource 198.18.0.5/24 is active, and should not be!",
                            "CRITICAL: Non-idle resources can affect data integrity!",
                            "info: If you don't know what this means, then get help!",
                            "info: Read the docs and/or source to " + prog + " for more details.",
                            "CRITICAL: Non-idle resources will affect resource takeback!",
                            "CRITICAL: Non-idle resources may affect data integrity!"});
}

TEST_CASE("ResourceManager: usage", "[tools][rm]") {
  Rm rm;
  const std::string usage =
      "usage: /usr/share/heartbeat/ResourceManager listkeys machine | takegroup key | givegroup "
      "key|status resource\n\n";
  CHECK(rm({}) == 1);
  CHECK(rm.err == usage);
  CHECK(rm({"bogus"}) == 1);
  CHECK(rm.err == usage);
  CHECK(rm.out.empty());
}

TEST_CASE("ResourceManager: places and the scripts' environment", "[tools][rm]") {
  std::map<std::string, std::string> vars;
  Getenv env = [&vars](const char* n) -> const char* {
    auto it = vars.find(n);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
  RmPlaces p = rm_places(env, "/etc/init.d", "NodeA");
  CHECK(p.ha_dir == "/etc/ha.d");
  CHECK(p.haresources == "/etc/ha.d/haresources");
  CHECK(p.resource_dir == "/etc/ha.d/resource.d");
  CHECK(p.init_dir == "/etc/init.d");
  CHECK(p.local_node == "nodea");
  vars = {{"HA_DIR", "/t/ha"}, {"HA_CURHOST", "NodeB"}};
  p = rm_places(env, "/t/init", "nodea");
  CHECK(p.haresources == "/t/ha/haresources");
  CHECK(p.resource_dir == "/t/ha/resource.d");
  CHECK(p.local_node == "nodeb");
  vars["HA_RESOURCEDIR"] = "/t/rd";
  CHECK(rm_places(env, "/t/init", "x").resource_dir == "/t/rd");

  ScriptLogPlan plan;
  using Env = std::vector<std::pair<std::string, std::string>>;
  CHECK(rm_script_env(p, plan) == Env{{"HA_DIR", "/t/ha"},
                                      {"HA_FUNCS", "/t/ha/shellfuncs"},
                                      {"HA_RESOURCEDIR", "/t/ha/resource.d"},
                                      {"HA_CURHOST", "nodeb"}});
  plan.from_config = true;
  plan.logfile = "/l";
  plan.script_output = "/d";
  plan.facility_name = "local0";
  plan.file_datefmt = "%Y";
  Env env2 = rm_script_env(p, plan);
  REQUIRE(env2.size() == 8);
  CHECK(env2[4] == std::make_pair(std::string("HA_LOGFILE"), std::string("/l")));
  CHECK(env2[5] == std::make_pair(std::string("HA_DEBUGLOG"), std::string("/d")));
  CHECK(env2[6] == std::make_pair(std::string("HA_LOGFACILITY"), std::string("local0")));
  CHECK(env2[7] == std::make_pair(std::string("HA_DATEFMT"), std::string("%Y")));
}
