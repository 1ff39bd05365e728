#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>
#include <set>

#include "io/pidfile.h"
#include "test/temp_dir.h"

using namespace hbd::io;
using hbd::testing::TempDir;
using hbd::testing::read_file;

namespace {

// Every pid lives; only those listed run hbd.
struct FakeProcesses : ProcessTable {
  bool alive(long) const override { return true; }
  bool is_hbd(long pid) const override { return hbd_pids.count(pid) > 0; }
  std::set<long> hbd_pids;
};

}  // namespace

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
  TempDir dir("hbd-pid");
  std::string path = dir.path() + "/heartbeat.pid";
  FakeProcesses processes;
  processes.hbd_pids = {static_cast<long>(getpid()), static_cast<long>(getppid())};
  CHECK(read_pid_file(path, processes).state == PidState::NoFile);
  std::string error;
  // Our own pid counts as stale: a restart exec keeps the pid.
  REQUIRE(write_pid_file(path, getpid(), error));
  CHECK(read_pid_file(path, processes).state == PidState::Stale);
  REQUIRE(write_pid_file(path, getppid(), error));
  PidInfo parent = read_pid_file(path, processes);
  CHECK(parent.state == PidState::Running);
  CHECK(parent.pid == getppid());
  std::ofstream(path) << "garbage\n";
  CHECK(read_pid_file(path, processes).state == PidState::Stale);
  CHECK_FALSE(write_pid_file("/nonexistent-hbd-dir/pid", 1, error));
  CHECK(error.find("cannot create") != std::string::npos);
}

TEST_CASE("pidfile: a live pid that is not an hbd is stale (reused pid)", "[io]") {
  TempDir dir("hbd-pid");
  std::string path = dir.path() + "/heartbeat.pid";
  std::string error;
  REQUIRE(write_pid_file(path, 4242, error));
  FakeProcesses processes;
  CHECK(read_pid_file(path, processes).state == PidState::Stale);
  processes.hbd_pids.insert(4242);
  CHECK(read_pid_file(path, processes).state == PidState::Running);
}

TEST_CASE("pidfile: the real process table knows an hbd by its program name", "[io]") {
  CHECK(names_hbd("/usr/sbin/hbd", "/home/x/build/hbd"));
  CHECK(names_hbd("/usr/lib/heartbeat/heartbeat", "/usr/sbin/hbd"));
  CHECK(names_hbd("hbd", "/usr/sbin/hbd"));  // a comm
  CHECK(names_hbd("/tmp/b/unit_tests", "/tmp/a/unit_tests"));
  CHECK_FALSE(names_hbd("/usr/bin/bash", "/usr/sbin/hbd"));
  CHECK_FALSE(names_hbd("", "/usr/sbin/hbd"));
  const ProcessTable& real = system_processes();
  CHECK(real.is_hbd(getpid()));  // this program, whatever it is called
  CHECK(real.alive(getpid()));
}

TEST_CASE("pidfile: the lock keeps a second daemon out and its file intact", "[io]") {
  TempDir dir("hbd-pid");
  std::string path = dir.path() + "/heartbeat.pid";
  std::string error;
  PidFileLock first;
  REQUIRE(first.acquire(path, error) == PidFileLock::Outcome::Locked);
  REQUIRE(first.write(12345, error));
  CHECK(read_file(path) == format_pid(12345));
  {
    PidFileLock second;  // another start, while the first daemon lives
    CHECK(second.acquire(path, error) == PidFileLock::Outcome::Busy);
    CHECK(read_file(path) == format_pid(12345));
  }
  REQUIRE(first.write(7, error));  // shorter: no digits of the old pid left
  CHECK(read_file(path) == format_pid(7));
}

TEST_CASE("pidfile: the lock is free again once its holder is gone", "[io]") {
  TempDir dir("hbd-pid");
  std::string path = dir.path() + "/heartbeat.pid";
  std::string error;
  {
    PidFileLock gone;
    REQUIRE(gone.acquire(path, error) == PidFileLock::Outcome::Locked);
  }
  PidFileLock next;
  CHECK(next.acquire(path, error) == PidFileLock::Outcome::Locked);
  PidFileLock nowhere;
  CHECK(nowhere.acquire("/nonexistent-hbd-dir/pid", error) == PidFileLock::Outcome::Failed);
  CHECK(error.find("cannot open /nonexistent-hbd-dir/pid") != std::string::npos);
  std::string link = dir.path() + "/link.pid";
  REQUIRE(::symlink(path.c_str(), link.c_str()) == 0);
  CHECK(nowhere.acquire(link, error) == PidFileLock::Outcome::Failed);  // never through a symlink
}
