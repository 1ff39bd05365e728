#include <catch2/catch.hpp>

#include <algorithm>

#include "config/fake_system_probe.h"
#include "config/validate.h"

using namespace hbd::config;

namespace {

const std::string kHacf = "logfile /var/log/ha-log\nuse_logd no\nnode node1 node2\nbcast eth0\n"
                          "auto_failback on\n";
const std::string kKeys = "auth 1\n1 sha1 secret\n";
const std::string kRes = "node1 198.18.0.10 httpd\n";

// A host named node1 whose /etc/ha.d holds the three files.
FakeSystemProbe host(const std::string& hacf = kHacf, const std::string& keys = kKeys,
                     const std::string& res = kRes) {
  FakeSystemProbe p;
  p.files["/etc/ha.d/ha.cf"] = {hacf, 0644};
  p.files["/etc/ha.d/authkeys"] = {keys, 0600};
  p.files["/etc/ha.d/haresources"] = {res, 0644};
  return p;
}

Validation check(const FakeSystemProbe& p, bool resources = true) {
  ValidateOptions o;
  o.resources = resources;
  return validate_config(o, p);
}

bool says(const Validation& v, const std::string& message, int line = -1) {
  for (const auto& d : v.diagnostics)
    if (d.message == message && (line < 0 || d.line == line)) return true;
  return false;
}

}  // namespace

TEST_CASE("validate: a good directory would start", "[config]") {
  auto v = check(host());
  CHECK(v.exit_code == kExitStarted);
  CHECK_FALSE(has_errors(v.diagnostics));
  CHECK(says(v, "Configuration validated."));
  CHECK(v.local_node == "node1");
  CHECK(v.auth.active == 1);
  REQUIRE(v.groups.size() == 1);
  CHECK(v.config.keepalive_ms == 1000);
  CHECK(v.config.deadtime_ms == 30000);
  CHECK(v.config.warntime_ms == 15000);
  CHECK(v.config.initdead_ms == 30000);
  CHECK(v.config.params.at("deadping") == "30000ms");
  CHECK(v.config.params.at("keepalive") == "1000ms");
  CHECK(v.config.params.at("auto_failback") == "on");
  CHECK(v.config.params.at("udpport") == "694");
}

TEST_CASE("validate: uname -n is compared lower-cased", "[config]") {
  auto p = host();
  p.hostname = "NODE1";
  CHECK(check(p).exit_code == kExitStarted);
  p.hostname = "node3";
  auto v = check(p);
  CHECK(v.exit_code == kExitNotConfigured);
  CHECK(says(v, "Current node [node3] not in configuration!", 3));
  CHECK(says(v, "Configuration error, heartbeat not started."));
}

TEST_CASE("validate: timing rules", "[config]") {
  auto small = check(host(kHacf + "keepalive 2\ndeadtime 4\n"));
  CHECK(small.exit_code == kExitNotConfigured);
  CHECK(says(small, "Dead time [4000] is too small compared to keeplive [2000]", 7));
  auto init = check(host(kHacf + "deadtime 10\ninitdead 5\n"));
  CHECK(says(init, "Initial dead time [5000] is smaller than deadtime [10000]", 7));
  auto warn = check(host(kHacf + "deadtime 4\ninitdead 5\n"));
  CHECK(warn.exit_code == kExitStarted);
  CHECK(says(warn, "Initial dead time [5000 ms] may be too small!"));
  auto ping = check(host(kHacf + "deadping 1\n"));
  CHECK(says(ping, "Ping dead time [1000] is too small compared to keeplive [1000]"));
  CHECK(ping.exit_code == kExitNotConfigured);
}

TEST_CASE("validate: derived initdead", "[config]") {
  CHECK(check(host(kHacf + "deadtime 20\n")).config.initdead_ms == 20000);
  CHECK(check(host(kHacf + "deadtime 8\n")).config.initdead_ms == 16000);
  auto v = check(host(kHacf + "deadtime 5\n"));
  CHECK(v.config.initdead_ms == 12000);
  CHECK(v.config.params.at("initdead") == "12000ms");
  CHECK(v.config.warntime_ms == 2500);
}

TEST_CASE("validate: media and nodes", "[config]") {
  auto nomedia = check(host("logfile /l\nnode node1 node2\n"));
  CHECK(says(nomedia, "No heartbeat media defined"));
  CHECK(nomedia.exit_code == kExitNotConfigured);
  auto nonodes = check(host("logfile /l\nbcast eth0\n"));
  CHECK(says(nonodes, "no nodes defined"));
}

TEST_CASE("validate: a bad directive stops before authkeys", "[config]") {
  auto v = check(host(kHacf + "keepalive 2s\n", "garbage\n"));
  CHECK(v.exit_code == kExitNotConfigured);
  CHECK(says(v, "Heartbeat not started: configuration error."));
  CHECK_FALSE(says(v, "Authentication configuration error."));
}

TEST_CASE("validate: authkeys problems", "[config]") {
  auto perm = host();
  perm.files["/etc/ha.d/authkeys"].mode = 0640;
  auto v = check(perm);
  CHECK(v.exit_code == kExitNotConfigured);
  CHECK(says(v, "Bad permissions on keyfile [/etc/ha.d/authkeys], 600 recommended."));
  CHECK(says(v, "Authentication configuration error."));
  auto missing = host();
  missing.files.erase("/etc/ha.d/authkeys");
  CHECK(says(check(missing), "Cannot open keyfile [/etc/ha.d/authkeys].  Stop."));
  CHECK(check(host(kHacf, "1 sha1 x\nauth 1\n")).exit_code == kExitNotConfigured);
}

TEST_CASE("validate: a writable or non-root authkeys starts with a warning", "[config]") {
  auto writable = host();
  writable.files["/etc/ha.d/authkeys"].mode = 0622;  // heartbeat checks readability only
  auto v = check(writable);
  CHECK(v.exit_code == kExitStarted);
  CHECK(says(v, "keyfile [/etc/ha.d/authkeys] has mode 0622 and owner uid 0: others can rewrite "
                "the keys; chmod 600 it."));
  auto foreign = host();
  foreign.files["/etc/ha.d/authkeys"].owner = 1000;
  v = check(foreign);
  CHECK(v.exit_code == kExitStarted);
  CHECK(says(v, "keyfile [/etc/ha.d/authkeys] has mode 0600 and owner uid 1000: a non-root user "
                "can rewrite the keys; chown root it."));
}

TEST_CASE("validate: unreadable files give exit code 4", "[config]") {
  auto p = host();
  p.unreadable.insert("/etc/ha.d/ha.cf");
  auto v = check(p);
  CHECK(v.exit_code == kExitPermission);
  CHECK(says(v, "reason: Permission denied"));
  auto q = host();
  q.unreadable.insert("/etc/ha.d/haresources");
  CHECK(check(q).exit_code == kExitPermission);
}

TEST_CASE("validate: missing ha.cf", "[config]") {
  auto p = host();
  p.files.erase("/etc/ha.d/ha.cf");
  auto v = check(p);
  CHECK(v.exit_code == kExitNotConfigured);
  CHECK(says(v, "Cannot open config file [/etc/ha.d/ha.cf]"));
  CHECK(says(v, "reason: No such file or directory"));
}

TEST_CASE("validate: haresources", "[config]") {
  auto bad = check(host(kHacf, kKeys, "node1 a\nNODE2 b\nnode3 c\nnode4 d\n"));
  CHECK(bad.exit_code == kExitNotConfigured);
  CHECK(says(bad, "Bad nodename in /etc/ha.d/haresources [node3]", 3));
  CHECK_FALSE(says(bad, "Bad nodename in /etc/ha.d/haresources [node4]"));
  CHECK(says(bad, "Configuration validated."));  // printed before the check, as heartbeat
  auto missing = host();
  missing.files.erase("/etc/ha.d/haresources");
  CHECK(says(check(missing), "Cannot open resources file [/etc/ha.d/haresources]"));
  CHECK(check(missing, false).exit_code == kExitStarted);  // -M
}

TEST_CASE("validate: logging rules", "[config]") {
  const std::string base = "node node1 node2\nbcast eth0\n";
  auto off = check(host(base + "use_logd no\n"));
  CHECK(off.exit_code == kExitNotConfigured);
  CHECK(says(off, "No log entry found in ha.cf and use_logd is set to off", 3));
  auto none = check(host(base + "use_logd no\nlogfacility none\n"));
  CHECK(none.exit_code == kExitNotConfigured);
  auto logd = check(host(base));
  CHECK(logd.exit_code == kExitStarted);
  CHECK(says(logd, "No log entry found in ha.cf -- use logd"));
  auto facility = check(host(base + "logfacility daemon\n"));
  CHECK(facility.exit_code == kExitStarted);
  CHECK(says(facility, "Logging daemon is disabled --enabling logging daemon is recommended"));
  auto both = check(host(base + "use_logd yes\nlogfile /l\n"));
  CHECK(says(both, "logd is enabled but logfile/debugfile is still configured in ha.cf"));
}

TEST_CASE("validate: autojoin and pacemaker are refused in v1", "[config]") {
  auto aj = check(host(kHacf + "autojoin other\n"));
  CHECK(aj.exit_code == kExitNotConfigured);
  CHECK(says(aj, "R1 style resource management conflicts with  autojoin set", 6));
  CHECK(check(host(kHacf + "autojoin other\n"), false).exit_code == kExitStarted);
  auto pm = check(host(kHacf + "crm respawn\n"));
  CHECK(pm.exit_code == kExitNotConfigured);
  CHECK(pm.diagnostics.end() !=
        std::find_if(pm.diagnostics.begin(), pm.diagnostics.end(), [](const Diagnostic& d) {
          return d.line == 6 && d.message.find("not supported") != std::string::npos;
        }));
  CHECK(check(host(kHacf + "pacemaker off\n")).exit_code == kExitStarted);
}

TEST_CASE("validate: legacy auto_failback warns", "[config]") {
  auto v = check(host("logfile /l\nnode node1 node2\nbcast eth0\n"));
  CHECK(v.exit_code == kExitStarted);
  CHECK(says(v, "Deprecated 'legacy' auto_failback option selected."));
}

TEST_CASE("validate: a missing ucast interface is only found at run time", "[config]") {
  // heartbeat exits 0 and its daemon dies after daemonising: warn, exit 0.
  auto v = check(host(kHacf + "ucast eth9 198.18.0.2\n"));
  CHECK(v.exit_code == kExitStarted);
  CHECK(v.diagnostics.end() !=
        std::find_if(v.diagnostics.begin(), v.diagnostics.end(), [](const Diagnostic& d) {
          return d.line == 6 && d.severity == Severity::Warning &&
                 d.message.rfind("ucast: interface [eth9] does not exist", 0) == 0;
        }));
}

TEST_CASE("validate: lines with only a node name are checked too", "[config]") {
  auto v = check(host(kHacf, kKeys, "node1 a \\ \nIPaddr::198.18.0.9\n"));
  CHECK(v.exit_code == kExitNotConfigured);
  CHECK(says(v, "Bad nodename in /etc/ha.d/haresources [IPaddr::198.18.0.9]", 2));
  CHECK(check(host(kHacf, kKeys, "node2\n")).exit_code == kExitStarted);
  CHECK(check(host(kHacf, kKeys, "node3\n")).exit_code == kExitNotConfigured);
}

namespace {

std::string read_source_file(const std::string& relative) {
  std::string path = std::string(HBD_SRCDIR) + "/" + relative;
  hbd::config::RealSystemProbe real;
  auto f = real.read_file(path);
  REQUIRE(f.error == 0);
  return f.text;
}

}  // namespace

TEST_CASE("validate: the shipped ha.d samples pass on node1", "[config]") {
  FakeSystemProbe p;
  p.files["/etc/ha.d/ha.cf"] = {read_source_file("ha.d/ha.cf"), 0644};
  p.files["/etc/ha.d/authkeys"] = {read_source_file("ha.d/authkeys"), 0600};  // as installed
  p.files["/etc/ha.d/haresources"] = {read_source_file("ha.d/haresources"), 0644};
  auto v = check(p);
  CHECK(v.exit_code == kExitStarted);
  CHECK_FALSE(has_errors(v.diagnostics));
  CHECK(v.config.nodes == std::vector<std::string>{"node1", "node2"});
  CHECK(v.auth.keys.at(1).method == hbd::wire::AuthMethod::Sha1);
  REQUIRE(v.groups.size() == 1);
  CHECK(v.groups[0].key() == "IPaddr::198.18.0.100/24/eth0");
  CHECK(v.groups[0].resources.size() == 3);
  p.hostname = "node3";
  CHECK(check(p).exit_code == kExitNotConfigured);
}

TEST_CASE("validate: scripts not found or not executable are warnings (hbd -t)", "[config]") {
  auto p = host(kHacf, kKeys,
                "node1 198.18.0.10 httpd \\\n  Filesystem::/dev/sdb1::/data\n"
                "node2 drbddisk::r0 bad/name ::x\n");
  p.executables.insert("/etc/ha.d/resource.d/IPaddr");
  p.executables.insert("/etc/init.d/httpd");
  p.paths.insert("/etc/ha.d/resource.d/drbddisk");  // there, but not executable
  ValidateOptions o;
  o.check_scripts = true;
  auto v = validate_config(o, p);
  CHECK(v.exit_code == kExitStarted);  // heartbeat starts: the verdict stays
  CHECK_FALSE(has_errors(v.diagnostics));
  const std::string tail = "; heartbeat starts, but this group will fail to start";
  CHECK(says(v, "Resource script for [Filesystem::/dev/sdb1::/data]: [Filesystem] not found in "
                "/etc/ha.d/resource.d or /etc/init.d" + tail, 1));
  CHECK(says(v, "Resource script for [drbddisk::r0]: /etc/ha.d/resource.d/drbddisk is not an "
                "executable file" + tail, 3));
  CHECK(says(v, "Resource script for [bad/name]: [bad/name] not found in /etc/ha.d/resource.d "
                "or /etc/init.d" + tail, 3));
  CHECK(says(v, "Resource script for [::x]: [] not found in /etc/ha.d/resource.d or "
                "/etc/init.d" + tail, 3));
  int script_warnings = 0;
  for (const auto& d : v.diagnostics)
    if (d.message.rfind("Resource script for", 0) == 0) {
      ++script_warnings;
      CHECK(d.severity == Severity::Warning);
      CHECK(d.file == "/etc/ha.d/haresources");
    }
  CHECK(script_warnings == 4);  // IPaddr and httpd were found

  // Another init directory (HBD_INIT_DIR), and the default: no lookups at all.
  o.init_dir = "/srv/init";
  p.executables.insert("/srv/init/Filesystem");
  v = validate_config(o, p);
  CHECK_FALSE(says(v, "Resource script for [Filesystem::/dev/sdb1::/data]: [Filesystem] not "
                      "found in /etc/ha.d/resource.d or /srv/init" + tail));
  CHECK(says(v, "Resource script for [bad/name]: [bad/name] not found in /etc/ha.d/resource.d "
                "or /srv/init" + tail, 3));
  auto quiet = check(p);
  for (const auto& d : quiet.diagnostics) CHECK(d.message.rfind("Resource script for", 0) != 0);
}
