#include <catch2/catch.hpp>

#include "config/hbd_ini.h"

using namespace hbd::config;
using hbd::resources::OnFail;

namespace {

const std::string kPath = "/etc/ha.d/hbd.ini";

HbdIniResult parse(const std::string& text) { return parse_hbd_ini(text, kPath); }

// The one error the text gives: its line and message.
Diagnostic only_error(const std::string& text) {
  HbdIniResult r = parse(text);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].severity == Severity::Error);
  CHECK(r.diagnostics[0].file == kPath);
  return r.diagnostics[0];
}

}  // namespace

TEST_CASE("hbd.ini: durations", "[config][hbd_ini]") {
  CHECK(parse_duration_ms("10") == 10000);
  CHECK(parse_duration_ms("1.5") == 1500);
  CHECK(parse_duration_ms("500ms") == 500);
  CHECK(parse_duration_ms("500 ms") == 500);
  CHECK(parse_duration_ms("10s") == 10000);
  CHECK(parse_duration_ms("10S") == 10000);
  CHECK(parse_duration_ms("2min") == 120000);
  CHECK(parse_duration_ms("0") == 0);
  CHECK(parse_duration_ms("7d") == std::nullopt);
  CHECK(parse_duration_ms("-1") == std::nullopt);
  CHECK(parse_duration_ms("") == std::nullopt);
  CHECK(parse_duration_ms("s") == std::nullopt);
  CHECK(parse_duration_ms(".") == std::nullopt);
  CHECK(parse_duration_ms("10us") == std::nullopt);
  CHECK(parse_duration_ms("10080min") == 7LL * 24 * 3600 * 1000);
  CHECK(parse_duration_ms("10081min") == std::nullopt);
}

TEST_CASE("hbd.ini: fence command words", "[config][hbd_ini]") {
  using Argv = std::vector<std::string>;
  CHECK(split_command("/bin/f  a\tb") == Argv{"/bin/f", "a", "b"});
  CHECK(split_command("/bin/f \"two words\" x\"y z\"") == Argv{"/bin/f", "two words", "xy z"});
  CHECK(split_command("/bin/f \"\"") == Argv{"/bin/f", ""});
  CHECK(split_command("") == Argv{});
  CHECK(split_command("/bin/f \"open") == std::nullopt);
}

TEST_CASE("hbd.ini: every section and key", "[config][hbd_ini]") {
  HbdIniResult r = parse(
      "# hbd.ini\n"
      "[monitor]\n"
      "interval = 10\n"
      "timeout = 20s\n"
      "on_fail = relocate\n"
      "max_restarts = 5\n"
      "restart_window = 15min\n"
      "backoff = 500ms\n"
      "backoff_max = 30\n"
      "\n"
      "[resource \"Filesystem::/dev/sdb1::/srv/ha::ext4\"]\n"
      "  interval = 0   ; indented keys are keys, not continuations\n"
      "  on_fail = ignore\n"
      "[group \"198.18.1.200/24\"]\n"
      "timeout = 5\n"
      "[fence]\n"
      "command = /usr/sbin/fence-ipmi -H \"bmc 1\"\n"
      "required = no\n"
      "timeout = 30\n"
      "retry = 2\n"
      "retry_max = 1min\n"
      "[timeouts]\n"
      "start = 300\n"
      "stop = 0\n"
      "status = 45s\n");
  CHECK(r.diagnostics.empty());
  const HbdIni& ini = r.ini;
  CHECK(ini.path == kPath);
  CHECK(ini.monitor.interval_ms == 10000);
  CHECK(ini.monitor.timeout_ms == 20000);
  CHECK(ini.monitor.on_fail == OnFail::Relocate);
  CHECK(ini.monitor.max_restarts == 5);
  CHECK(ini.monitor.restart_window_ms == 900000);
  CHECK(ini.monitor.backoff_ms == 500);
  CHECK(ini.monitor.backoff_max_ms == 30000);
  const NamedMonitor& fs = ini.resources.at("Filesystem::/dev/sdb1::/srv/ha::ext4");
  CHECK(fs.line == 11);
  CHECK(fs.keys.interval_ms == 0);
  CHECK(fs.keys.on_fail == OnFail::Ignore);
  CHECK_FALSE(fs.keys.timeout_ms);
  CHECK(ini.groups.at("198.18.1.200/24").keys.timeout_ms == 5000);
  CHECK(ini.groups.at("198.18.1.200/24").line == 14);
  CHECK(ini.fence.command == std::vector<std::string>{"/usr/sbin/fence-ipmi", "-H", "bmc 1"});
  CHECK(ini.fence.required == false);
  CHECK(ini.fence.timeout_ms == 30000);
  CHECK(ini.fence.retry_ms == 2000);
  CHECK(ini.fence.retry_max_ms == 60000);
  CHECK(ini.timeouts.start_ms == 300000);
  CHECK(ini.timeouts.stop_ms == 0);
  CHECK(ini.timeouts.status_ms == 45000);
}

TEST_CASE("hbd.ini: an empty file or only comments sets nothing", "[config][hbd_ini]") {
  for (std::string text : {"", "\n", "# nothing\n; nothing\n", "\xEF\xBB\xBF[monitor]\n"}) {
    HbdIniResult r = parse(text);
    CHECK(r.diagnostics.empty());
    CHECK_FALSE(r.ini.monitor.interval_ms);
    CHECK(r.ini.fence.command.empty());
    CHECK_FALSE(r.ini.timeouts.start_ms);
  }
}

TEST_CASE("hbd.ini: section errors carry their line", "[config][hbd_ini]") {
  auto e = only_error("\n[monitors]\ninterval = 1\n");
  CHECK(e.line == 2);
  CHECK(e.message ==
        "unknown section [monitors]; expected [monitor], [group \"KEY\"], [resource \"NAME\"], "
        "[fence], [timeouts], [status], [notify] or [metrics]");
  e = only_error("[resource httpd]\ninterval = 1\n");
  CHECK(e.line == 1);
  CHECK(e.message == "[resource httpd]: the name must be in double quotes, as in "
                     "[resource \"httpd\"]");
  CHECK(only_error("[group]\n").message ==
        "[group]: the name must be in double quotes, as in [group \"NAME\"]");
  CHECK(only_error("[resource \"\"]\n").line == 1);
  CHECK(only_error("[resource \"a\"b\"]\n").line == 1);
  CHECK(only_error("[fence \"x\"]\n").message == "[fence] takes no name (found [fence \"x\"])");
  e = only_error("[monitor]\n\n[monitor]\n");
  CHECK(e.line == 3);
  CHECK(e.message == "[monitor] given twice (first at line 1)");
  e = only_error("[resource \"httpd\"]\n[resource  \"httpd\"]\n");
  CHECK(e.message == "[resource \"httpd\"] given twice (first at line 1)");
  CHECK(only_error("[monitor\n").message == "section header without ']'");
}

TEST_CASE("hbd.ini: key and value errors carry their line", "[config][hbd_ini]") {
  auto e = only_error("interval = 10\n");
  CHECK(e.line == 1);
  CHECK(e.message.rfind("\"interval\" outside a section", 0) == 0);
  e = only_error("[monitor]\ninterval = 10\nintervall = 5\n");
  CHECK(e.line == 3);
  CHECK(e.message == "unknown key \"intervall\" in [monitor] (known: interval, timeout, on_fail, "
                     "max_restarts, restart_window, backoff, backoff_max)");
  e = only_error("[monitor]\ninterval = 10\n\ninterval = 20\n");
  CHECK(e.line == 4);
  CHECK(e.message == "[monitor] interval given twice (first at line 2)");
  e = only_error("[monitor]\ninterval = ten\n");
  CHECK(e.line == 2);
  CHECK(e.message ==
        "[monitor] interval = \"ten\": expected a duration such as 30, 500ms, 10s or 2min");
  CHECK(only_error("[monitor]\ntimeout = 0\n").message ==
        "[monitor] timeout = \"0\": expected a duration above 0, such as 30, 10s or 2min");
  CHECK(only_error("[monitor]\non_fail = reboot\n").message ==
        "[monitor] on_fail = \"reboot\": expected restart, relocate or ignore");
  CHECK(only_error("[monitor]\nmax_restarts = -1\n").message ==
        "[monitor] max_restarts = \"-1\": expected a whole number from 0 to 1000");
  CHECK(only_error("[group \"g\"]\ninterval = 10 # not a comment here\n").line == 2);
  CHECK(only_error("[timeouts]\nmonitor = 5\n").message ==
        "unknown key \"monitor\" in [timeouts] (known: start, stop, status)");
  CHECK(only_error("[monitor]\njust words\n").message ==
        "expected [section] or key = value, found \"just words\"");
}

TEST_CASE("hbd.ini: [fence] errors", "[config][hbd_ini]") {
  CHECK(only_error("[fence]\ncommand = fence-ipmi host\n").message ==
        "[fence] command = \"fence-ipmi host\": expected an absolute path and its arguments "
        "(run without a shell)");
  CHECK(only_error("[fence]\ncommand = /bin/f \"x\n").message ==
        "[fence] command = \"/bin/f \"x\": expected a command whose double quotes are closed");
  CHECK(only_error("[fence]\ncommand = /bin/f\nrequired = maybe\n").line == 3);
  CHECK(only_error("[fence]\ncommand = /bin/f\nretry = 0\n").line == 3);
  CHECK(only_error("[fence]\ncommand = /bin/f\nkill = 1\n").message ==
        "unknown key \"kill\" in [fence] (known: command, required, timeout, retry, retry_max)");
}

TEST_CASE("hbd.ini: [fence] without a command is a warning", "[config][hbd_ini]") {
  HbdIniResult r = parse("[fence]\n# command = /bin/f\nrequired = yes\ntimeout = 5\n");
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].severity == Severity::Warning);
  CHECK(r.diagnostics[0].line == 3);
  CHECK(r.diagnostics[0].message == "[fence] has no command: no fencing, its other keys are unused");
}

TEST_CASE("hbd.ini: several errors are all reported", "[config][hbd_ini]") {
  HbdIniResult r = parse("[monitor]\ninterval = x\n[nope]\nfoo = 1\n[timeouts]\nstart = y\n");
  REQUIRE(r.diagnostics.size() == 3);
  CHECK(r.diagnostics[0].line == 2);
  CHECK(r.diagnostics[1].line == 3);  // keys of an unknown section are not reported again
  CHECK(r.diagnostics[2].line == 6);
}

TEST_CASE("hbd.ini: a line longer than inih's buffer is an error", "[config][hbd_ini]") {
  std::string long_value(300, '1');
  auto e = only_error("[monitor]\n\ninterval = " + long_value + "\ntimeout = 5\n");
  CHECK(e.line == 3);
  CHECK(e.message.rfind("line longer than ", 0) == 0);
  // A section header that is too long: its keys are not taken for [fence]'s.
  e = only_error("[fence]\n[resource \"" + std::string(200, 'x') + "\"]\ninterval = 5\n");
  CHECK(e.line == 2);
}

TEST_CASE("hbd.ini: names must be in haresources", "[config][hbd_ini]") {
  HaResourcesResult res = parse_haresources(
      "node1 198.18.1.200/24 Filesystem::/dev/sdb1::/srv/ha::ext4 httpd\n"
      "node2 IPaddr::198.18.1.201 mq\n",
      "/etc/ha.d/haresources");
  HbdIniResult r = parse(
      "[group \"198.18.1.200/24\"]\n"
      "[group \"IPaddr::198.18.1.201\"]\n"
      "[group \"httpd\"]\n"
      "[resource \"Filesystem::/dev/sdb1::/srv/ha::ext4\"]\n"
      "[resource \"Filesystem\"]\n"
      "[resource \"IPaddr\"]\n"
      "[resource \"mq\"]\n"
      "[resource \"apache\"]\n");
  REQUIRE(r.diagnostics.empty());
  Diagnostics d = check_hbd_ini_names(r.ini, res.groups);
  REQUIRE(d.size() == 2);
  CHECK(d[0].file == kPath);
  CHECK(d[0].line == 3);
  CHECK(d[0].message == "[group \"httpd\"]: haresources has no group whose first resource is "
                        "\"httpd\"");
  CHECK(d[1].line == 8);
  CHECK(d[1].message == "[resource \"apache\"]: haresources has no resource \"apache\" and none "
                        "run by a script of that name");
}
