#include "tools/script_log.h"

#include <syslog.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>

#include "test/temp_dir.h"

using namespace hbd::tools;

namespace {

struct Env {
  std::map<std::string, std::string> vars;
  Getenv getter() const {
    return [this](const char* name) -> const char* {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

// 2026-12-06 05:23:20, a Sunday.
std::tm when() {
  std::tm t{};
  t.tm_year = 126;
  t.tm_mon = 11;
  t.tm_mday = 6;
  t.tm_hour = 5;
  t.tm_min = 23;
  t.tm_sec = 20;
  t.tm_wday = 0;
  return t;
}

ScriptLogPlan plan(const Env& env, bool tty = false,
                   std::optional<ConfigLogging> config = std::nullopt) {
  ScriptLogInputs in;
  in.getenv = env.getter();
  in.config = std::move(config);
  in.stdin_is_tty = tty;
  in.program = "hb_standby";
  in.pid = 12149;
  return plan_script_log(in);
}

}  // namespace

TEST_CASE("script log: the shell's word splitting of echo arguments", "[tools]") {
  CHECK(shell_echo({{false, "Dec 06 05:23:20 "}, {true, "Going standby [all]."}}) ==
        "Dec 06 05:23:20 Going standby [all].");
  // A trailing blank ends the field: the quoted part is a field of its own.
  CHECK(shell_echo({{false, "2026/12/06_05:23:20\t"}, {true, " T:    x"}}) ==
        "2026/12/06_05:23:20  T:    x");
  // No trailing blank: the quoted part sticks to the last field.
  CHECK(shell_echo({{false, "2026"}, {true, " T: x"}}) == "2026 T: x");
  CHECK(shell_echo({{true, "T:\t"}, {false, "2026/12/06_05:23:20\t"}, {true, "x"}}) ==
        "T:\t2026/12/06_05:23:20 x");
  CHECK(shell_echo({{false, "  a   b  "}}) == "a b");
  CHECK(shell_echo({{false, ""}, {true, "x"}}) == "x");
}

TEST_CASE("script log: the three layouts, as heartbeat 3.0.6's scripts write them", "[tools]") {
  Env env;
  env.vars = {{"HA_LOGFILE", "/l"}, {"HA_DEBUGLOG", "/d"}, {"HA_DATEFMT", "%Y/%m/%d_%T\t"}};
  ScriptLogPlan p = plan(env);
  CHECK(log_file_line(p, when(), "Going standby [local].") ==
        "2026/12/06_05:23:20  hb_standby(default)[12149]:    Going standby [local].");
  CHECK(debug_file_line(p, when(), "Going standby [local].") ==
        "hb_standby(default)[12149]:\t2026/12/06_05:23:20 Going standby [local].");
  // HA_LOGFILE set by hand without HA_DATEFMT: the shell library's default.
  env.vars.erase("HA_DATEFMT");
  p = plan(env);
  CHECK(log_file_line(p, when(), "x") == "Dec 06 05:23:20  hb_standby(default)[12149]:    x");
  CHECK(debug_file_line(p, when(), "x") == "hb_standby(default)[12149]:\tDec 06 05:23:20 x");
}

TEST_CASE("script log: run by hand, lines go to stderr as heartbeat's do", "[tools]") {
  Env env;
  ScriptLogPlan p = plan(env);
  CHECK(p.stderr_mode == ScriptLogPlan::Stderr::Dated);
  CHECK(stderr_line(p, when(), "Going standby [all].") == "Dec 06 05:23:20 Going standby [all].");
  CHECK(p.logfile.empty());
  CHECK(p.debugfile.empty());
  CHECK(p.facility == -1);
  CHECK_FALSE(p.from_config);

  p = plan(env, true);
  CHECK(p.stderr_mode == ScriptLogPlan::Stderr::Plain);
  CHECK(stderr_line(p, when(), "Going standby [all].") == "Going standby [all].");
  env.vars["HA_LOGTAG"] = "mytag";
  p = plan(env, true);
  CHECK(p.tag == "mytag");
  CHECK(stderr_line(p, when(), "x") == "mytag: x");
}

TEST_CASE("script log: by hand, ha.cf's files also get the line (hbd)", "[tools]") {
  Env env;
  ScriptLogPlan p =
      plan(env, false, ConfigLogging{"/var/log/ha-log", "/var/log/ha-debug", "local0"});
  CHECK(p.from_config);
  CHECK(p.stderr_mode == ScriptLogPlan::Stderr::Dated);  // the terminal still sees it
  CHECK(p.logfile == "/var/log/ha-log");
  CHECK(p.debugfile == "/var/log/ha-debug");
  CHECK(p.script_output == "/var/log/ha-debug");
  CHECK(p.facility == LOG_LOCAL0);
  CHECK(p.facility_name == "local0");
  CHECK(log_file_line(p, when(), "x") == "2026/12/06_05:23:20  hb_standby(default)[12149]:    x");

  p = plan(env, false, ConfigLogging{"", "", "none"});
  CHECK(p.facility == -1);
  CHECK(p.facility_name.empty());
}

TEST_CASE("script log: the environment wins over ha.cf", "[tools]") {
  Env env;
  env.vars = {{"HA_LOGFILE", "/env-log"}};
  ScriptLogPlan p = plan(env, false, ConfigLogging{"/cf-log", "/cf-debug", "daemon"});
  CHECK_FALSE(p.from_config);
  CHECK(p.logfile == "/env-log");
  CHECK(p.debugfile.empty());
  CHECK(p.facility == -1);
  CHECK(p.stderr_mode == ScriptLogPlan::Stderr::None);

  // Exported but empty (the daemon's way of saying "none"): still not by hand.
  env.vars = {{"HA_LOGFILE", ""}, {"HA_DEBUGLOG", ""}};
  p = plan(env, false, ConfigLogging{"/cf-log", "", ""});
  CHECK_FALSE(p.from_config);
  CHECK(p.logfile.empty());
  CHECK(p.stderr_mode == ScriptLogPlan::Stderr::Dated);

  env.vars = {{"HA_LOGFACILITY", "daemon"}};
  p = plan(env);
  CHECK(p.facility == LOG_DAEMON);
  CHECK(p.stderr_mode == ScriptLogPlan::Stderr::None);
  env.vars = {{"HA_LOGFACILITY", "none"}};
  CHECK(plan(env).stderr_mode == ScriptLogPlan::Stderr::Dated);
}

TEST_CASE("script log: the debug file is skipped when it is the log file or /dev/null", "[tools]") {
  Env env;
  env.vars = {{"HA_LOGFILE", "/same"}, {"HA_DEBUGLOG", "/same"}};
  CHECK(plan(env).debugfile.empty());
  CHECK(plan(env).script_output == "/same");
  env.vars = {{"HA_DEBUGLOG", "/dev/null"}};
  CHECK(plan(env).debugfile.empty());
  CHECK(plan(env).script_output.empty());
}

TEST_CASE("script log: the tag names the program and OCF instance", "[tools]") {
  Env env;
  CHECK(plan(env).tag == "hb_standby(default)[12149]");
  env.vars["OCF_RESOURCE_INSTANCE"] = "r0";
  CHECK(plan(env).tag == "hb_standby(r0)[12149]");
  CHECK(base_name("/usr/share/heartbeat/ResourceManager") == "ResourceManager");
  CHECK(base_name("hb_standby") == "hb_standby");
}

TEST_CASE("script log: syslog priority from the text, as ha_log picks it", "[tools]") {
  CHECK(syslog_priority_for("ERROR: Return code 1 from x") == LOG_ERR);
  CHECK(syslog_priority_for("WARN: it (x) MUST succeed") == LOG_WARNING);
  CHECK(syslog_priority_for("INFO: Resource is stopped") == LOG_INFO);
  CHECK(syslog_priority_for("info") == LOG_INFO);
  // ha_log's pattern matches INFO or exactly "info": "info: …" is a notice.
  CHECK(syslog_priority_for("info: Running x start") == LOG_NOTICE);
  CHECK(syslog_priority_for("Going standby [all].") == LOG_NOTICE);
}

TEST_CASE("script log: the logger appends to both files", "[tools]") {
  hbd::testing::TempDir dir;
  ScriptLogPlan p;
  p.tag = "ResourceManager(default)[7]";
  p.logfile = dir.path() + "/ha-log";
  p.debugfile = dir.path() + "/ha-debug";
  p.file_datefmt = "%Y/%m/%d_%T\t";
  {
    ScriptLogger log(p);
    log.log("info: Acquiring resource group: nodea x");
    log.log("ERROR: Return code 1 from /x");
  }
  std::string l = hbd::testing::read_file(p.logfile);
  std::string d = hbd::testing::read_file(p.debugfile);
  CHECK_THAT(l, Catch::Matches("[0-9]{4}/[0-9]{2}/[0-9]{2}_[0-9:]{8}  ResourceManager\\(default\\)"
                               "\\[7\\]:    info: Acquiring resource group: nodea x\n"
                               "[0-9/_:]{19}  ResourceManager\\(default\\)\\[7\\]:    ERROR: "
                               "Return code 1 from /x\n"));
  CHECK_THAT(d,
             Catch::Matches("ResourceManager\\(default\\)\\[7\\]:\t[0-9/_:]{19} info: "
                            "Acquiring resource group: nodea x\n.*ERROR: Return code 1 from /x\n"));
}

TEST_CASE("script log: ha.cf's logging directives", "[tools]") {
  hbd::testing::TempDir dir;
  std::string path = dir.path() + "/ha.cf";
  std::ofstream(path) << "logfile /var/log/ha-log # c\ndebugfile /var/log/ha-debug\n"
                         "logfacility local7\nucast eth9 no-such-host.invalid\nnode a b\n";
  auto c = read_config_logging(path);
  REQUIRE(c);
  CHECK(c->logfile == "/var/log/ha-log");
  CHECK(c->debugfile == "/var/log/ha-debug");
  CHECK(c->logfacility == "local7");
  CHECK_FALSE(read_config_logging(dir.path() + "/missing"));
}
