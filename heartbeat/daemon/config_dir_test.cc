#include "daemon/config_dir.h"

#include <fcntl.h>
#include <signal.h>
#include <cerrno>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <optional>

#include "config/fake_system_probe.h"
#include "daemon/test_support.h"
#include "io/clock.h"
#include "io/ev_test_loop.h"
#include "test/temp_dir.h"

using namespace hbd;
using namespace hbd::daemon;
using hbd::daemon::testing::FakeScriptRunner;

namespace {

void write_with_mtime(const std::string& path, time_t sec, long nsec) {
  std::ofstream(path) << "x\n";
  timespec times[2] = {{sec, nsec}, {sec, nsec}};
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

CheckCommand command(std::string program, bool no_resources = false,
                     int64_t budget_ms = kConfigCheckBudgetMs, std::string output = "") {
  return {std::move(program), no_resources, budget_ms, std::move(output)};
}

}  // namespace

TEST_CASE("config dir: mtimes of ha.cf and authkeys, zero when missing", "[daemon]") {
  hbd::testing::TempDir dir;
  config::FakeSystemProbe probe;
  FakeScriptRunner runner;
  SystemConfigDir cfg(dir.path(), probe, runner, command("/sbin/hbd"));
  ConfigTimes none = cfg.mtimes();
  CHECK(none.hacf == Mtime{});
  CHECK(none.authkeys == Mtime{});
  write_with_mtime(dir.path() + "/ha.cf", 1000, 5);
  write_with_mtime(dir.path() + "/authkeys", 2000, 7);
  ConfigTimes t = cfg.mtimes();
  CHECK(t.hacf == Mtime{1000, 5});
  CHECK(t.authkeys == Mtime{2000, 7});
  CHECK(mtime_of(dir.path() + "/nothing") == Mtime{});
}

TEST_CASE("config dir: authkeys are read through the probe", "[daemon]") {
  config::FakeSystemProbe probe;
  FakeScriptRunner runner;
  SystemConfigDir cfg("/cfg", probe, runner, command("/sbin/hbd"));
  CHECK(cfg.authkeys_path() == "/cfg/authkeys");
  CHECK(cfg.read_authkeys().error == ENOENT);
  probe.files["/cfg/authkeys"] = {"auth 1\n1 crc\n", 0600};
  CHECK(cfg.read_authkeys().text == "auth 1\n1 crc\n");
}

TEST_CASE("config dir: the check is our own -t in a child, within the budget", "[daemon]") {
  config::FakeSystemProbe probe;
  FakeScriptRunner runner;
  SystemConfigDir cfg("/cfg", probe, runner, command("/sbin/hbd", true, 5000, "/var/log/ha-debug"));
  std::vector<HacfVerdict> verdicts;
  cfg.check_hacf([&](const HacfVerdict& v) { verdicts.push_back(v); });
  REQUIRE(runner.started.size() == 1);
  const io::ScriptSpec& spec = runner.started[0];
  CHECK(spec.argv == std::vector<std::string>{"/sbin/hbd", "-t", "-c", "/cfg", "-M"});
  CHECK(spec.timeout_ms == 5000);
  CHECK(spec.output_path == "/var/log/ha-debug");
  CHECK(verdicts.empty());  // never from inside check_hacf
  runner.complete(6);
  REQUIRE(verdicts.size() == 1);
  CHECK(verdicts[0].check == HacfVerdict::Check::Invalid);
  cfg.check_hacf([&](const HacfVerdict& v) { verdicts.push_back(v); });
  runner.complete(0);
  REQUIRE(verdicts.size() == 2);
  CHECK(verdicts[1].check == HacfVerdict::Check::Valid);
}

TEST_CASE("config dir: a cancelled check's verdict is dropped", "[daemon]") {
  config::FakeSystemProbe probe;
  FakeScriptRunner runner;
  SystemConfigDir cfg("/cfg", probe, runner, command("/sbin/hbd"));
  int verdicts = 0;
  cfg.check_hacf([&](const HacfVerdict&) { ++verdicts; });
  cfg.cancel_check();
  runner.complete(0);
  CHECK(verdicts == 0);
}

TEST_CASE("config dir: how the check ended gives the verdict", "[daemon]") {
  using End = io::ScriptResult::End;
  io::ScriptResult r;
  r.end = End::TimedOut;
  HacfVerdict slow = check_verdict(r, 5000);
  CHECK(slow.check == HacfVerdict::Check::Unchecked);
  CHECK(slow.why == "Configuration check took longer than 5 s");
  CHECK(check_verdict(r, 250).why == "Configuration check took longer than 250 ms");
  r.end = End::Signalled;
  r.signal = 11;
  CHECK(check_verdict(r, 5000).why == "Configuration check killed by signal 11");
  r.end = End::ExecFailed;
  r.error = "No such file or directory";
  CHECK(check_verdict(r, 5000).why ==
        "Configuration check could not run (No such file or directory)");
  r.end = End::Exited;
  r.exit_code = 4;
  CHECK(check_verdict(r, 5000).check == HacfVerdict::Check::Invalid);
}

// A check that hangs (a name server that never answers) is killed at the
// end of its budget, and the loop keeps running its timers all along.
TEST_CASE("config dir: a hanging check ends at its budget without blocking the loop",
          "[daemon]") {
  hbd::testing::TempDir dir;
  std::string program = dir.path() + "/hbd";
  std::string pid_file = dir.path() + "/check.pid";
  std::ofstream(program) << "#!/bin/sh\necho $$ >" << pid_file << "\nexec sleep 30\n";
  ::chmod(program.c_str(), 0755);
  config::FakeSystemProbe probe;
  hbd::testing::LoopRunner loop;
  io::EvScriptRunner runner(loop.loop());
  SystemConfigDir cfg(dir.path(), probe, runner, command(program, false, 300));
  std::optional<HacfVerdict> verdict;
  int ticks = 0;
  ev_timer tick;
  ev_timer_init(&tick, [](struct ev_loop*, ev_timer* w, int) { ++*static_cast<int*>(w->data); },
                0.02, 0.02);
  tick.data = &ticks;
  ev_timer_start(loop.loop(), &tick);
  int64_t started = io::monotonic_ms();
  cfg.check_hacf([&](const HacfVerdict& v) { verdict = v; });
  REQUIRE(loop.run_until([&] { return verdict.has_value(); }, 10.));
  ev_timer_stop(loop.loop(), &tick);
  CHECK(verdict->why == "Configuration check took longer than 300 ms");
  CHECK(io::monotonic_ms() - started >= 300);  // not judged before its budget
  // The check itself is gone (killed, and reaped by the runner), not left
  // sleeping out its 30 s.
  pid_t check_pid = 0;
  std::ifstream(pid_file) >> check_pid;
  REQUIRE(check_pid > 0);
  CHECK(::kill(check_pid, 0) == -1);
  CHECK(errno == ESRCH);
  CHECK(ticks >= 5);  // the loop ran while the check hung
}
