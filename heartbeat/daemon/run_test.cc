#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <sstream>

#include "daemon/run.h"
#include "io/pidfile.h"
#include "test/temp_dir.h"

using namespace hbd;
using namespace hbd::daemon;

namespace {

struct TempPid {
  hbd::testing::TempDir dir{"hbd-run"};
  std::string path = dir.path() + "/heartbeat.pid";
};

// Real liveness; only the listed pids run hbd.
struct FakeProcesses : io::SystemProcessTable {
  bool is_hbd(long pid) const override { return hbd_pids.count(pid) > 0; }
  std::set<long> hbd_pids;
};

struct Out {
  int code;
  std::string out, err;
};

Out run(const std::vector<std::string>& args, const std::string& pid_file,
        const io::ProcessTable* processes = nullptr) {
  RunEnv env;
  env.processes = processes;
  env.version = "9.9";
  env.pid_file = pid_file;
  env.state_dir = "/nonexistent";
  std::ostringstream out, err;
  int code = run_command(config::parse_cli(args), env, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("run: -s exit codes follow heartbeat", "[daemon]") {
  TempPid t;
  Out none = run({"-s"}, t.path);
  CHECK(none.code == 3);
  CHECK(none.out == "heartbeat is stopped. No process\n");
  std::string error;
  REQUIRE(io::write_pid_file(t.path, getpid(), error));  // our own pid: stale
  Out stale = run({"-s"}, t.path);
  CHECK(stale.code == 1);
  CHECK(stale.out == "heartbeat is stopped. No process\n");
  REQUIRE(io::write_pid_file(t.path, getppid(), error));
  FakeProcesses processes;
  processes.hbd_pids.insert(getppid());
  Out running = run({"-s"}, t.path, &processes);
  CHECK(running.code == 0);
  CHECK(running.out.rfind("heartbeat OK [pid " + std::to_string(getppid()) + " et al] is running on ", 0) == 0);
}

TEST_CASE("run: -k when not running", "[daemon]") {
  TempPid t;
  Out k = run({"-k"}, t.path);
  CHECK(k.code == 0);
  CHECK(k.err == "INFO: Heartbeat already stopped.\n");
}

TEST_CASE("run: -k never signals a process that reused the daemon's pid", "[daemon]") {
  TempPid t;
  pid_t other = ::fork();
  REQUIRE(other >= 0);
  if (other == 0) {
    ::pause();
    ::_exit(0);
  }
  std::string error;
  REQUIRE(io::write_pid_file(t.path, other, error));
  FakeProcesses processes;  // `other` lives but is no hbd
  Out k = run({"-k"}, t.path, &processes);
  CHECK(k.code == 0);
  CHECK(k.err == "INFO: Heartbeat already stopped.\n");
  CHECK(run({"-s"}, t.path, &processes).code == 1);
  int status = 0;
  CHECK(::waitpid(other, &status, WNOHANG) == 0);  // not killed
  ::kill(other, SIGKILL);
  ::waitpid(other, &status, 0);
}

TEST_CASE("run: status line and restart arguments", "[daemon]") {
  CHECK(status_line(29787, "nodea", "nodea") ==
        "heartbeat OK [pid 29787 et al] is running on nodea [nodea]...");
  CHECK(restart_args({"-f", "-c", "/etc/ha.d"}, "") ==
        std::vector<std::string>{"-f", "-c", "/etc/ha.d", "-R"});
  CHECK(restart_args({"-r", "-R"}, "") == std::vector<std::string>{"-R"});
  CHECK(restart_args({"-f", "-R", "-C", "local"}, "all") ==
        std::vector<std::string>{"-f", "-R", "-C", "all"});
  CHECK(fresh_args({"-f", "-R", "-Cnone", "-d"}) == std::vector<std::string>{"-f", "-d"});
}
