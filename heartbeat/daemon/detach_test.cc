#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include "daemon/detach.h"

using namespace hbd::daemon;

namespace {

struct Pair {
  Pair() { REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fd) == 0); }
  int fd[2];
};

}  // namespace

TEST_CASE("detach: what the parent makes of the daemon's report", "[daemon]") {
  CHECK(interpret_startup("ready\n", false).exit_code == 0);
  StartupOutcome failed = interpret_startup("failed cannot lock /run/heartbeat.pid\n", false);
  CHECK(failed.exit_code == 1);
  CHECK(failed.error == "cannot lock /run/heartbeat.pid");
  StartupOutcome died = interpret_startup("", false);
  CHECK(died.exit_code == 1);
  CHECK(died.error == "the daemon exited during start-up; see its log");
  CHECK(interpret_startup("", true).error.find("did not report being up within") != std::string::npos);
}

TEST_CASE("detach: the report travels to the waiting parent", "[daemon]") {
  Pair up;
  StartupReport(up.fd[1]).ready();
  CHECK(await_startup(up.fd[0], 5000).exit_code == 0);

  Pair failing;
  StartupReport(failing.fd[1]).failed("state dir is unsafe");
  StartupOutcome f = await_startup(failing.fd[0], 5000);
  CHECK(f.exit_code == 1);
  CHECK(f.error == "state dir is unsafe");

  Pair silent;  // the daemon went away without a word
  { StartupReport gone(silent.fd[1]); }
  CHECK(await_startup(silent.fd[0], 5000).error ==
        "the daemon exited during start-up; see its log");

  Pair slow;  // still starting when the parent's patience ends
  CHECK(await_startup(slow.fd[0], 50).error.find("did not report being up") != std::string::npos);
  ::close(slow.fd[1]);
}

TEST_CASE("detach: the original process exits with the daemon's outcome", "[daemon]") {
  Detached failing = detach();
  if (!failing.is_parent) {  // the detached daemon: fail at once
    StartupReport(failing.report_fd).failed("media would not open");
    ::_exit(0);
  }
  CHECK(failing.outcome.exit_code == 1);
  CHECK(failing.outcome.error == "media would not open");

  Detached dying = detach();
  if (!dying.is_parent) ::_exit(1);  // dies before reporting
  CHECK(dying.outcome.exit_code == 1);

  Detached up = detach();
  if (!up.is_parent) {
    StartupReport(up.report_fd).ready();
    ::_exit(0);
  }
  CHECK(up.outcome.exit_code == 0);
}
