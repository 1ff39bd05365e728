#include <catch2/catch.hpp>

#include <sstream>

#include "config/cli.h"
#include "config/fake_system_probe.h"

using namespace hbd::config;

namespace {

struct Run {
  int code;
  std::string out, err;
};

Run run(const std::vector<std::string>& args, const FakeSystemProbe& probe = FakeSystemProbe()) {
  std::ostringstream out, err;
  int code = run_cli(parse_cli(args), "9.9", probe, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("cli: option parsing", "[config]") {
  auto t = parse_cli({"-t", "-c", "/tmp/x"});
  CHECK(t.action == CliAction::Check);
  CHECK(t.config_dir == "/tmp/x");
  auto grouped = parse_cli({"-tMc/tmp/y"});
  CHECK(grouped.action == CliAction::Check);
  CHECK(grouped.no_resources);
  CHECK(grouped.config_dir == "/tmp/y");
  CHECK(parse_cli({}).config_dir == "/etc/ha.d");
  CHECK(parse_cli({"-dd"}).debug == 2);
  CHECK(parse_cli({"-X"}).action == CliAction::Usage);
  CHECK(parse_cli({"-c"}).action == CliAction::Usage);
  CliOptions empty_dir = parse_cli({"-t", "-c", ""});  // would read /ha.cf
  CHECK(empty_dir.action == CliAction::Usage);
  CHECK(empty_dir.error == "-c needs a configuration directory");
  CHECK(parse_cli({"stray"}).action == CliAction::Usage);
  CHECK(parse_cli({"-C", "x"}).action == CliAction::Usage);
  CHECK(parse_cli({"-r", "-R"}).action == CliAction::Usage);
  CHECK(parse_cli({"-k"}).action == CliAction::Stop);
  CHECK(parse_cli({"-s"}).action == CliAction::Status);
  CHECK(parse_cli({}).action == CliAction::Start);
  auto fg = parse_cli({"-f", "-l", "-dd", "-c", "/x"});
  CHECK(fg.action == CliAction::Start);
  CHECK(fg.foreground);
  CHECK(fg.no_realtime);
  CHECK(fg.debug == 2);
  CHECK(fg.config_dir == "/x");
  auto reload = parse_cli({"-r"});
  CHECK(reload.action == CliAction::Start);
  CHECK(reload.reload);
  CHECK(parse_cli({"-R"}).restart);
  CHECK(parse_cli({"-t", "-k"}).action == CliAction::Check);
  CHECK(is_daemon_action(CliAction::Stop));
  CHECK_FALSE(is_daemon_action(CliAction::Check));
}

TEST_CASE("cli: -V, -D and usage", "[config]") {
  auto v = run({"-V"});
  CHECK(v.code == 0);
  CHECK(v.out == "hbd 9.9 (heartbeat 3.0.6 compatible)\n");
  auto d = run({"-D"});
  CHECK(d.code == 0);
  CHECK(d.out.rfind("Directive                Default   Description\n" + std::string(80, '-') + "\n", 0) == 0);
  CHECK(d.out.find("\nkeepalive                1000ms    keepalive time\n") != std::string::npos);
  CHECK(d.out.find("\ntraditional_compression  no        set traditional_compression\n") !=
        std::string::npos);
  auto w = run({"-D", "-W"});
  CHECK(w.out.find("||[wiki:ha.cf/EnableConfigWritesDirective enable_config_writes]||on||") !=
        std::string::npos);
  auto bad = run({"-X"});
  CHECK(bad.code == 2);
  CHECK(bad.err.find("Usage: hbd") != std::string::npos);
}

TEST_CASE("cli: -t prints FILE:LINE: LEVEL: message and heartbeat's exit code", "[config]") {
  FakeSystemProbe p;
  p.files["/cfg/ha.cf"] = {"logfile /l\nnode node1 node2\nbcast eth0\nKeepalive 2\n", 0644};
  auto r = run({"-t", "-c", "/cfg/"}, p);
  CHECK(r.code == 6);
  CHECK(r.err.find("/cfg/ha.cf:4: ERROR: Illegal directive [Keepalive] in /cfg/ha.cf\n") !=
        std::string::npos);
  CHECK(r.err.find("/cfg/ha.cf: ERROR: Configuration error, heartbeat not started.\n") !=
        std::string::npos);
  p.files["/cfg/ha.cf"].text = "logfile /l\nnode node1 node2\nbcast eth0\nauto_failback on\n";
  p.files["/cfg/authkeys"] = {"auth 1\n1 crc\n", 0600};
  p.files["/cfg/haresources"] = {"node2 198.18.0.9\n", 0644};
  auto ok = run({"-t", "-c", "/cfg"}, p);
  CHECK(ok.code == 0);
  CHECK(ok.err.find("ERROR") == std::string::npos);
}

TEST_CASE("cli: diagnostics without a line or file", "[config]") {
  CHECK(format_diagnostic({Severity::Warning, "/a/ha.cf", 0, "x"}) == "/a/ha.cf: WARN: x");
  CHECK(format_diagnostic({Severity::Info, "/a/ha.cf", 7, "y"}) == "/a/ha.cf:7: info: y");
  CHECK(format_diagnostic({Severity::Error, "", 0, "z"}) == "hbd: ERROR: z");
}

TEST_CASE("cli: -t warns about resource scripts it cannot find; HBD_INIT_DIR", "[config]") {
  FakeSystemProbe p;
  p.files["/cfg/ha.cf"] = {"logfile /l\nnode node1 node2\nbcast eth0\nauto_failback on\n", 0644};
  p.files["/cfg/authkeys"] = {"auth 1\n1 crc\n", 0600};
  p.files["/cfg/haresources"] = {"node2 198.18.0.9 svc\n", 0644};
  p.executables.insert("/cfg/resource.d/IPaddr");
  ::unsetenv("HBD_INIT_DIR");
  auto r = run({"-t", "-c", "/cfg"}, p);
  CHECK(r.code == 0);
  CHECK(r.err.find("/cfg/haresources:1: WARN: Resource script for [svc]: [svc] not found in "
                   "/cfg/resource.d or /etc/init.d; heartbeat starts, but this group will fail "
                   "to start\n") != std::string::npos);
  p.executables.insert("/t/init/svc");
  ::setenv("HBD_INIT_DIR", "/t/init", 1);
  r = run({"-t", "-c", "/cfg"}, p);
  ::unsetenv("HBD_INIT_DIR");
  CHECK(r.code == 0);
  CHECK(r.err.find("Resource script") == std::string::npos);
}

TEST_CASE("cli: -n NODE checks the files as that node would", "[config]") {
  FakeSystemProbe p;  // this host is node1
  p.files["/cfg/ha.cf"] = {"logfile /l\nnode node2 node3\nbcast eth0\nauto_failback on\n", 0644};
  p.files["/cfg/authkeys"] = {"auth 1\n1 crc\n", 0600};
  p.files["/cfg/haresources"] = {"node2 198.18.0.9\n", 0644};
  auto here = run({"-t", "-c", "/cfg"}, p);
  CHECK(here.code == 6);
  CHECK(here.err.find("Current node [node1] not in configuration!") != std::string::npos);
  auto as_node2 = run({"-t", "-n", "node2", "-c", "/cfg"}, p);
  CHECK(as_node2.code == 0);
  CHECK(as_node2.err.find("not in configuration") == std::string::npos);
  auto grouped = parse_cli({"-tnnode3"});
  CHECK(grouped.action == CliAction::Check);
  CHECK(grouped.as_node == "node3");
  CHECK(parse_cli({"-n", "node2"}).error == "-n only valid with -t");
  CHECK(parse_cli({"-t", "-n"}).action == CliAction::Usage);
  CHECK(parse_cli({"-t", "-n", ""}).error == "-n needs a node name");
}

TEST_CASE("cli: -t --json gives the exit code and diagnostics as JSON on stdout", "[config]") {
  FakeSystemProbe p;
  p.files["/cfg/ha.cf"] = {"logfile /l\nnode node1 node2\nbcast eth0\nKeep\"alive 2\n", 0644};
  auto bad = run({"-t", "--json", "-c", "/cfg"}, p);
  CHECK(bad.code == 6);
  CHECK(bad.err.empty());
  CHECK(bad.out.rfind("{\"exit_code\":6,\"diagnostics\":[{\"file\":\"/cfg/ha.cf\",\"line\":4,"
                      "\"level\":\"ERROR\",\"message\":\"Illegal directive [Keep\\\"alive]",
                      0) == 0);
  CHECK(bad.out.substr(bad.out.size() - 5) == "\"}]}\n");  // one line, closed
  p.files["/cfg/ha.cf"].text = "logfile /l\nnode node1 node2\nbcast eth0\nauto_failback on\n";
  p.files["/cfg/authkeys"] = {"auth 1\n1 crc\n", 0600};
  p.files["/cfg/haresources"] = {"node2 198.18.0.9\n", 0644};
  auto ok = run({"-t", "--json", "-c", "/cfg"}, p);
  CHECK(ok.code == 0);
  CHECK(ok.out.rfind("{\"exit_code\":0,\"diagnostics\":[", 0) == 0);
  CHECK(ok.out.find("{\"file\":\"/cfg/ha.cf\",\"line\":0,\"level\":\"info\","
                    "\"message\":\"Configuration validated.\"}") != std::string::npos);
  CHECK(ok.err.empty());
  CHECK(parse_cli({"--json"}).error == "--json only valid with -t");
  CHECK(parse_cli({"-t", "--jsonx"}).action == CliAction::Usage);
}
