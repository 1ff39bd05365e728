#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "daemon/run.h"
#include "io/pidfile.h"

using namespace hbd;
using namespace hbd::daemon;

namespace {

struct TempPid {
  TempPid() {
    char tmpl[] = "/tmp/hbd-run-XXXXXX";
    dir = mkdtemp(tmpl);
    path = dir + "/heartbeat.pid";
  }
  ~TempPid() {
    unlink(path.c_str());
    rmdir(dir.c_str());
  }
  std::string dir, path;
};

struct Out {
  int code;
  std::string out, err;
};

Out run(const std::vector<std::string>& args, const std::string& pid_file) {
  RunEnv env;
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
  Out running = run({"-s"}, t.path);
  CHECK(running.code == 0);
  CHECK(running.out.rfind("heartbeat OK [pid " + std::to_string(getppid()) + " et al] is running on ", 0) == 0);
}

TEST_CASE("run: -k when not running", "[daemon]") {
  TempPid t;
  Out k = run({"-k"}, t.path);
  CHECK(k.code == 0);
  CHECK(k.err == "INFO: Heartbeat already stopped.\n");
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
