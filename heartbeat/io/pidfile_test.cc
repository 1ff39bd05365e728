#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "io/pidfile.h"

using namespace hbd::io;

TEST_CASE("pidfile: heartbeat's layout", "[io]") {
  CHECK(format_pid(16158) == "     16158\n");
  CHECK(parse_pid("     16158\n") == 16158);
  CHECK(parse_pid("7") == 7);
  CHECK_FALSE(parse_pid(""));
  CHECK_FALSE(parse_pid("0\n"));
  CHECK_FALSE(parse_pid("12x\n"));
  CHECK_FALSE(parse_pid("-3\n"));
}

TEST_CASE("pidfile: no file, stale and running", "[io]") {
  char tmpl[] = "/tmp/hbd-pid-XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  std::string path = std::string(tmpl) + "/heartbeat.pid";
  CHECK(read_pid_file(path).state == PidState::NoFile);
  std::string error;
  // Our own pid counts as stale: a restart exec keeps the pid.
  REQUIRE(write_pid_file(path, getpid(), error));
  CHECK(read_pid_file(path).state == PidState::Stale);
  REQUIRE(write_pid_file(path, getppid(), error));
  PidInfo parent = read_pid_file(path);
  CHECK(parent.state == PidState::Running);
  CHECK(parent.pid == getppid());
  std::ofstream(path) << "garbage\n";
  CHECK(read_pid_file(path).state == PidState::Stale);
  unlink(path.c_str());
  rmdir(tmpl);
  CHECK_FALSE(write_pid_file("/nonexistent-hbd-dir/pid", 1, error));
  CHECK(error.find("cannot create") != std::string::npos);
}
