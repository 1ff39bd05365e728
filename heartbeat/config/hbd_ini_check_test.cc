// hbd.ini in the start-up validation and in `hbd -t`.
#include <catch2/catch.hpp>

#include <sstream>

#include "config/cli.h"
#include "config/fake_system_probe.h"
#include "config/validate.h"

using namespace hbd::config;

namespace {

const std::string kIni = "/etc/ha.d/hbd.ini";

// node1 with a good ha.cf, authkeys and haresources, and `ini` as hbd.ini
// unless it is empty.
FakeSystemProbe host(const std::string& ini = "") {
  FakeSystemProbe p;
  if (!ini.empty()) p.files[kIni] = {ini, 0644};
  p.files["/etc/ha.d/ha.cf"] = {"logfile /var/log/ha-log\nuse_logd no\nnode node1 node2\n"
                                "bcast eth0\nauto_failback on\n",
                                0644};
  p.files["/etc/ha.d/authkeys"] = {"auth 1\n1 sha1 secret\n", 0600};
  p.files["/etc/ha.d/haresources"] = {"node1 198.18.0.10 httpd\n", 0644};
  return p;
}

Validation check(const FakeSystemProbe& p, bool resources = true) {
  ValidateOptions o;
  o.resources = resources;
  return validate_config(o, p);
}

struct Run {
  int code;
  std::string out, err;
};

Run hbd_t(const FakeSystemProbe& probe, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"-t"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::ostringstream out, err;
  int code = run_cli(parse_cli(args), "9.9", probe, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("hbd.ini check: no hbd.ini is heartbeat's behaviour, silently", "[config][hbd_ini]") {
  FakeSystemProbe p = host();
  Validation v = check(p);
  CHECK(v.exit_code == kExitStarted);
  CHECK_FALSE(v.hbd_ini);
  for (const auto& d : v.diagnostics) CHECK(d.file != kIni);
  Run r = hbd_t(p);
  CHECK(r.code == 0);
  CHECK(r.err.find("hbd.ini") == std::string::npos);
}

TEST_CASE("hbd.ini check: a good hbd.ini is kept in the Validation", "[config][hbd_ini]") {
  FakeSystemProbe p = host("[resource \"httpd\"]\ninterval = 10\n[timeouts]\nstart = 60\n");
  Validation v = check(p);
  CHECK(v.exit_code == kExitStarted);
  REQUIRE(v.hbd_ini);
  CHECK(v.hbd_ini->path == kIni);
  CHECK(v.hbd_ini->resources.at("httpd").keys.interval_ms == 10000);
  CHECK(v.hbd_ini->timeouts.start_ms == 60000);
}

TEST_CASE("hbd.ini check: a bad hbd.ini refuses to start with exit 6", "[config][hbd_ini]") {
  FakeSystemProbe p = host("[monitor]\n\ninterval = soon\n");
  Validation v = check(p);
  CHECK(v.exit_code == kExitNotConfigured);
  CHECK_FALSE(v.hbd_ini);
  Run r = hbd_t(p);
  CHECK(r.code == 6);
  CHECK(r.err.find("/etc/ha.d/hbd.ini:3: ERROR: [monitor] interval = \"soon\": expected a "
                   "duration such as 30, 500ms, 10s or 2min\n") != std::string::npos);
  CHECK(r.err.find("ERROR: Configuration error, heartbeat not started.\n") != std::string::npos);
}

TEST_CASE("hbd.ini check: names haresources does not have", "[config][hbd_ini]") {
  FakeSystemProbe p =
      host("[group \"198.18.0.10\"]\ninterval = 5\n[resource \"apache\"]\ninterval = 5\n");
  Run r = hbd_t(p);
  CHECK(r.code == 6);
  CHECK(r.err.find("/etc/ha.d/hbd.ini:3: ERROR: [resource \"apache\"]: haresources has no "
                   "resource \"apache\"") != std::string::npos);
  CHECK(r.err.find("hbd.ini:1:") == std::string::npos);
  // -M: haresources is not read, so names are not checked (nothing is started).
  Validation m = check(p, false);
  CHECK(m.exit_code == kExitStarted);
  CHECK(m.hbd_ini);
}

TEST_CASE("hbd.ini check: unreadable hbd.ini is an error", "[config][hbd_ini]") {
  FakeSystemProbe p = host();
  p.unreadable.insert(kIni);
  Validation v = check(p);
  CHECK(v.exit_code == kExitPermission);  // as for ha.cf: EACCES gives heartbeat's 4
  Run r = hbd_t(p);
  CHECK(r.err.find("/etc/ha.d/hbd.ini: ERROR: Cannot open hbd.ini [/etc/ha.d/hbd.ini]\n") !=
        std::string::npos);
  CHECK(r.err.find("/etc/ha.d/hbd.ini: info: reason: Permission denied\n") != std::string::npos);
}

TEST_CASE("hbd.ini check: a warning does not change the verdict; --json lists it",
          "[config][hbd_ini]") {
  FakeSystemProbe p = host("[fence]\nrequired = yes\n");
  Run r = hbd_t(p, {"--json"});
  CHECK(r.code == 0);
  CHECK(r.out.find("{\"file\":\"/etc/ha.d/hbd.ini\",\"line\":2,\"level\":\"WARN\",\"message\":"
                   "\"[fence] has no command: no fencing, its other keys are unused\"}") !=
        std::string::npos);
}

namespace {

std::string shipped(const std::string& relative) {
  RealSystemProbe real;
  FileContent f = real.read_file(std::string(HBD_SRCDIR) + "/" + relative);
  REQUIRE(f.error == 0);
  return f.text;
}

// The shipped example with its settings uncommented ("#key = value" and
// "#[section]" lines), except the lines that contain `skip`.
std::string uncommented(const std::string& text, const std::string& skip) {
  std::string out, line;
  for (char c : text + (text.empty() || text.back() == '\n' ? "" : "\n")) {
    if (c != '\n') {
      line += c;
      continue;
    }
    bool setting = line.size() > 1 && line[0] == '#' && line[1] != ' ';
    if (setting && line.find(skip) == std::string::npos) line.erase(0, 1);
    out += line + "\n";
    line.clear();
  }
  return out;
}

FakeSystemProbe shipped_host(const std::string& ini) {
  FakeSystemProbe p;
  p.files["/etc/ha.d/ha.cf"] = {shipped("ha.d/ha.cf"), 0644};
  p.files["/etc/ha.d/authkeys"] = {shipped("ha.d/authkeys"), 0600};
  p.files["/etc/ha.d/haresources"] = {shipped("ha.d/haresources"), 0644};
  p.files[kIni] = {ini, 0644};
  p.directories.insert("/etc/ha.d/notify.d");  // the example's hook directory
  return p;
}

}  // namespace

TEST_CASE("hbd.ini check: the shipped example changes nothing as shipped", "[config][hbd_ini]") {
  Validation v = check(shipped_host(shipped("ha.d/hbd.ini")));
  CHECK(v.exit_code == kExitStarted);
  REQUIRE(v.hbd_ini);
  for (const auto& d : v.diagnostics) CHECK(d.file != kIni);
  CHECK(v.hbd_ini->groups.empty());
  CHECK(v.hbd_ini->resources.empty());
  CHECK_FALSE(v.hbd_ini->monitor.interval_ms);
  CHECK(v.hbd_ini->fence.command.empty());
}

TEST_CASE("hbd.ini check: every key of the shipped example is valid", "[config][hbd_ini]") {
  std::string text = uncommented(shipped("ha.d/hbd.ini"), "fence-testhost");
  Validation v = check(shipped_host(text));
  for (const auto& d : v.diagnostics) CHECK(format_diagnostic(d).find(kIni) == std::string::npos);
  CHECK(v.exit_code == kExitStarted);
  REQUIRE(v.hbd_ini);
  CHECK(v.hbd_ini->resources.at("httpd").keys.interval_ms == 10000);
  CHECK(v.hbd_ini->groups.count("IPaddr::198.18.0.100/24/eth0") == 1);
  CHECK(v.hbd_ini->monitor.max_restarts == 3);
  CHECK(v.hbd_ini->fence.command.at(0) == "/usr/libexec/hbd/fence-ipmi");
  CHECK(v.hbd_ini->timeouts.status_ms == 120000);
  CHECK(v.hbd_ini->status.group == "haclient");
  CHECK(v.hbd_ini->notify.directory == "/etc/ha.d/notify.d");
  REQUIRE(v.hbd_ini->metrics);
  CHECK(v.hbd_ini->metrics->port == 9101);
}

TEST_CASE("hbd.ini check: [status] group and [notify] directory", "[config][hbd_ini]") {
  FakeSystemProbe p = host("[status]\ngroup = haclient\n[notify]\ndirectory = /etc/ha.d/notify.d\n"
                           "timeout = 5s\n");
  p.directories.insert("/etc/ha.d/notify.d");
  Validation v = check(p);
  REQUIRE(v.exit_code == kExitStarted);
  REQUIRE(v.hbd_ini);
  CHECK(v.hbd_ini->status.group == "haclient");
  CHECK(v.hbd_ini->notify.directory == "/etc/ha.d/notify.d");
  CHECK(v.hbd_ini->notify.timeout_ms == 5000);

  p.directories.erase("/etc/ha.d/notify.d");  // a warning: no hooks until it exists
  Run missing_dir = hbd_t(p);
  CHECK(missing_dir.code == 0);
  CHECK(missing_dir.err.find(kIni + ":4: WARN: [notify] directory /etc/ha.d/notify.d does not "
                                    "exist: no notify hooks run until it does") !=
        std::string::npos);

  p.groups.erase("haclient");  // an error: the socket could not be given to it
  Run no_group = hbd_t(p);
  CHECK(no_group.code == 6);
  CHECK(no_group.err.find(kIni + ":2: ERROR: [status] group = \"haclient\": no such group") !=
        std::string::npos);
}

TEST_CASE("hbd.ini: [status] and [notify] values", "[config][hbd_ini]") {
  auto errors = [](const std::string& text) {
    std::string all;
    for (const auto& d : parse_hbd_ini(text, "/x/hbd.ini").diagnostics) all += d.message + "\n";
    return all;
  };
  CHECK(errors("[status]\ngroup = a b\n").find("expected a group name") != std::string::npos);
  CHECK(errors("[status]\nuser = x\n").find("unknown key \"user\" in [status] (known: group)") !=
        std::string::npos);
  CHECK(errors("[notify]\ndirectory = notify.d\n").find("an absolute directory path") !=
        std::string::npos);
  CHECK(errors("[notify]\ntimeout = 0\n").find("a duration above 0") != std::string::npos);
  CHECK(errors("[notify]\nscript = /x\n").find("(known: directory, timeout)") != std::string::npos);
  CHECK(errors("[status]\ngroup = haclient\n[notify]\ndirectory = /etc/ha.d/notify.d\n").empty());
}

TEST_CASE("hbd.ini: [metrics] listen needs an explicit address and port", "[config][hbd_ini]") {
  CHECK(parse_listen_address("127.0.0.1:9101")->host == "127.0.0.1");
  CHECK(parse_listen_address("127.0.0.1:9101")->port == 9101);
  CHECK(parse_listen_address("[::1]:9101")->host == "::1");
  CHECK_FALSE(parse_listen_address("9101"));
  CHECK_FALSE(parse_listen_address(":9101"));
  CHECK_FALSE(parse_listen_address("::1:9101"));  // brackets needed
  CHECK_FALSE(parse_listen_address("127.0.0.1:0"));
  CHECK_FALSE(parse_listen_address("127.0.0.1:65536"));
  CHECK_FALSE(parse_listen_address("127.0.0.1:x"));
  HbdIniResult ok = parse_hbd_ini("[metrics]\nlisten = 198.18.0.1:9101\n", "/x/hbd.ini");
  CHECK(ok.diagnostics.empty());
  REQUIRE(ok.ini.metrics);
  CHECK(ok.ini.metrics->port == 9101);
  HbdIniResult bad = parse_hbd_ini("[metrics]\nlisten = 9101\n", "/x/hbd.ini");
  REQUIRE(bad.diagnostics.size() == 1);
  CHECK(bad.diagnostics[0].line == 2);
  CHECK(bad.diagnostics[0].message.find("expected ADDRESS:PORT") != std::string::npos);
  CHECK_FALSE(parse_hbd_ini("", "/x/hbd.ini").ini.metrics);
}
