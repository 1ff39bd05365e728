#include <catch2/catch.hpp>

#include <signal.h>

#include "io/respawn_policy.h"

using hbd::io::ClientEnd;
using hbd::io::RespawnLogLine;
using hbd::io::RespawnPolicy;
using hbd::log::Level;
using Action = RespawnPolicy::Action;
using Lines = std::vector<RespawnLogLine>;

namespace {

ClientEnd exit_code(pid_t pid, int code) { return ClientEnd{pid, false, code, 0}; }
ClientEnd killed(pid_t pid, int sig) { return ClientEnd{pid, true, 0, sig}; }

const std::string kCmd = "/etc/ha.d/fast.sh";

Lines respawn_lines(const std::string& managed) {
  return {{Level::Warn, managed},
          {Level::Error, "Respawning client \"/etc/ha.d/fast.sh\":"},
          {Level::Info, "Starting child client \"/etc/ha.d/fast.sh\" (0,0)"}};
}

}  // namespace

TEST_CASE("respawn policy: a death after 30 s or more restarts at once", "[respawn]") {
  RespawnPolicy p(kCmd);
  p.started(1000);
  auto d = p.exited(exit_code(25, 2), 31000, 0, 0);
  CHECK(d.action == Action::RestartNow);
  CHECK(d.restart_at_ms == 31000);
  CHECK(d.log == respawn_lines("Managed /etc/ha.d/fast.sh process 25 exited with return code 2."));
  CHECK(p.fast_deaths() == 0);
}

TEST_CASE("respawn policy: a fast death restarts 1 s later", "[respawn]") {
  RespawnPolicy p(kCmd);
  p.started(0);
  auto d = p.exited(exit_code(25, 1), 50, 0, 0);
  CHECK(d.action == Action::RestartLater);
  CHECK(d.restart_at_ms == 1050);
  CHECK(d.log == respawn_lines("Managed /etc/ha.d/fast.sh process 25 exited with return code 1."));
  CHECK(p.fast_deaths() == 1);
}

TEST_CASE("respawn policy: 30 s is the boundary of a fast death", "[respawn]") {
  RespawnPolicy p(kCmd);
  p.started(0);
  CHECK(p.exited(exit_code(1, 1), 29999, 0, 0).action == Action::RestartLater);
  p.started(100000);
  CHECK(p.exited(exit_code(2, 1), 130000, 0, 0).action == Action::RestartNow);
}

TEST_CASE("respawn policy: signal deaths are logged with the signal's names", "[respawn]") {
  RespawnPolicy p("/etc/ha.d/sig.sh");
  p.started(0);
  auto d = p.exited(killed(28, SIGUSR1), 3000, 0, 0);
  CHECK(d.action == Action::RestartLater);
  REQUIRE_FALSE(d.log.empty());
  CHECK(d.log[0] == RespawnLogLine{Level::Warn, "Managed /etc/ha.d/sig.sh process 28 killed by "
                                                "signal 10 [SIGUSR1 - User-defined signal 1]."});
  // heartbeat's own signal texts, not glibc's.
  CHECK(hbd::io::managed_process_ended_line("/x", killed(7, SIGKILL)) ==
        "Managed /x process 7 killed by signal 9 [SIGKILL - Kill, unblockable].");
  CHECK(hbd::io::managed_process_ended_line("/x", killed(7, SIGTERM)) ==
        "Managed /x process 7 killed by signal 15 [SIGTERM - Termination (ANSI)].");
  CHECK(hbd::io::managed_process_ended_line("/x", killed(7, SIGURG)) ==
        "Managed /x process 7 killed by signal 23 [SIGURG\t - Urgent condition on socket].");
  CHECK(hbd::io::managed_process_ended_line("/x", killed(7, SIGRTMIN + 2)) ==
        "Managed /x process 7 killed by signal " + std::to_string(SIGRTMIN + 2) + ".");
  ClientEnd core = killed(8, SIGSEGV);
  core.core_dumped = true;
  auto dumped = p.exited(core, 6000, 0, 0);
  REQUIRE(dumped.log.size() >= 2);
  CHECK(dumped.log[0].text == "Managed /etc/ha.d/sig.sh process 8 killed by signal 11 [SIGSEGV - Segmentation violation].");
  CHECK(dumped.log[1] == RespawnLogLine{Level::Warn, "Managed /etc/ha.d/sig.sh process 8 dumped core"});
}

TEST_CASE("respawn policy: the 11th fast death in a row gives up", "[respawn]") {
  // The lab's fast.sh: exits at once, 11 runs, then "respawning too fast".
  RespawnPolicy p(kCmd);
  int64_t now = 0;
  p.started(now);
  for (int death = 1; death <= 10; ++death) {
    now += 50;
    auto d = p.exited(exit_code(100 + death, 1), now, 0, 0);
    INFO("death " << death);
    CHECK(d.action == Action::RestartLater);
    now = d.restart_at_ms;
    p.started(now - 1000);  // heartbeat's start time is the death time (its child waits)
  }
  now += 50;
  auto last = p.exited(exit_code(111, 1), now, 0, 0);
  CHECK(last.action == Action::GiveUp);
  CHECK(last.log == Lines{{Level::Warn, "Managed /etc/ha.d/fast.sh process 111 exited with return code 1."},
                          {Level::Error, "Client /etc/ha.d/fast.sh \"respawning too fast\""}});
}

TEST_CASE("respawn policy: a slow death resets the count", "[respawn]") {
  // The lab's resets.sh: 3 fast deaths, one after 31 s (restarted at once),
  // then 11 more fast deaths before it was given up.
  RespawnPolicy p(kCmd);
  int64_t now = 0;
  p.started(now);
  for (int i = 0; i < 3; ++i) {
    now += 50;
    CHECK(p.exited(exit_code(1, 1), now, 0, 0).action == Action::RestartLater);
    p.started(now);
  }
  now += 31000;
  CHECK(p.exited(exit_code(1, 1), now, 0, 0).action == Action::RestartNow);
  CHECK(p.fast_deaths() == 0);
  p.started(now);
  for (int i = 0; i < 10; ++i) {
    now += 1050;
    CHECK(p.exited(exit_code(1, 1), now, 0, 0).action == Action::RestartLater);
    p.started(now);
  }
  now += 1050;
  CHECK(p.exited(exit_code(1, 1), now, 0, 0).action == Action::GiveUp);
}

TEST_CASE("respawn policy: exit code 100 is never restarted", "[respawn]") {
  RespawnPolicy p("/bin/sh -c \"exit 100\"");
  p.started(0);
  auto d = p.exited(exit_code(27, 100), 10, 0, 0);
  CHECK(d.action == Action::NoRestart);
  CHECK(d.log == Lines{{Level::Warn,
                        "Managed /bin/sh -c \"exit 100\" process 27 exited with return code 100."}});
  // A slow exit 100 neither.
  p.started(0);
  CHECK(p.exited(exit_code(28, 100), 60000, 0, 0).action == Action::NoRestart);
  // 100 only counts as an exit code, not as a signal number.
  p.started(0);
  CHECK(p.exited(killed(29, 100 % 64), 60000, 0, 0).action == Action::RestartNow);
}

TEST_CASE("respawn policy: during shutdown nothing is restarted or logged", "[respawn]") {
  RespawnPolicy p(kCmd);
  p.started(0);
  p.shutdown();
  CHECK(p.shutting_down());
  auto d = p.exited(killed(29, SIGTERM), 60000, 0, 0);
  CHECK(d.action == Action::Stop);
  CHECK(d.log.empty());
}

TEST_CASE("respawn policy: the start and stop lines", "[respawn]") {
  CHECK(hbd::io::starting_child_client_line("/usr/libexec/heartbeat/ipfail", 102, 105) ==
        "Starting child client \"/usr/libexec/heartbeat/ipfail\" (102,105)");
  CHECK(hbd::io::starting_as_line("/usr/libexec/heartbeat/ipfail", 102, 105, 22107) ==
        "Starting \"/usr/libexec/heartbeat/ipfail\" as uid 102  gid 105 (pid 22107)");
  CHECK(hbd::io::killing_line("/usr/libexec/heartbeat/ipfail", 87, 15) ==
        "killing /usr/libexec/heartbeat/ipfail process group 87 with signal 15");
  CHECK(hbd::io::not_running_line("/bin/false") == "client [/bin/false] is not running.");
}

TEST_CASE("respawn policy: heartbeat's ipfail is recognised and not started", "[respawn]") {
  using hbd::io::is_heartbeat_ipfail;
  CHECK(is_heartbeat_ipfail("/usr/libexec/heartbeat/ipfail"));
  CHECK(is_heartbeat_ipfail("/usr/lib/heartbeat/ipfail"));
  CHECK(is_heartbeat_ipfail("/usr/lib64/heartbeat/ipfail -p 3"));
  CHECK(is_heartbeat_ipfail("  /opt/ha/ipfail\t-v"));
  CHECK_FALSE(is_heartbeat_ipfail("/usr/bin/ipfail2"));
  CHECK_FALSE(is_heartbeat_ipfail("/opt/ipfail/bin/monitor"));
  CHECK_FALSE(is_heartbeat_ipfail("/bin/sh -c /usr/lib/heartbeat/ipfail"));
  CHECK_FALSE(is_heartbeat_ipfail(""));
  hbd::config::ClientChild c{"hacluster", "/usr/lib/heartbeat/ipfail", false, 12};
  CHECK(hbd::io::ipfail_not_started_line(c) ==
        "respawn /usr/lib/heartbeat/ipfail (ha.cf line 12): ipfail is built into hbd; "
        "its logic runs in the daemon (no process started)");
}
