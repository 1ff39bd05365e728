#include "daemon/signals.h"

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <vector>

using namespace hbd::daemon;

namespace {

void give_up(struct ev_loop* loop, ev_timer*, int) { ev_break(loop, EVBREAK_ALL); }

// The process-wide dispositions the relay changes, restored afterwards so the
// test binary still stops on Ctrl-C.
struct SavedDispositions {
  struct sigaction intr {}, pipe {};
  SavedDispositions() {
    ::sigaction(SIGINT, nullptr, &intr);
    ::sigaction(SIGPIPE, nullptr, &pipe);
  }
  ~SavedDispositions() {
    ::sigaction(SIGINT, &intr, nullptr);
    ::sigaction(SIGPIPE, &pipe, nullptr);
  }
};

}  // namespace

TEST_CASE("signals: the daemon's signals reach the callback from the loop", "[daemon]") {
  SavedDispositions saved;
  struct ev_loop* loop = ev_loop_new(EVFLAG_AUTO);
  std::vector<int> got;
  {
    SignalRelay relay(loop, [&](int signum) {
      got.push_back(signum);
      ev_break(loop, EVBREAK_ALL);
    });
    struct sigaction now {};
    ::sigaction(SIGINT, nullptr, &now);
    CHECK(now.sa_handler == SIG_IGN);
    ev_timer bound;  // a lost signal fails the test instead of hanging it
    ev_timer_init(&bound, give_up, 5., 0.);
    ev_timer_start(loop, &bound);
    for (int signum : {SIGHUP, SIGUSR1}) {
      REQUIRE(::kill(::getpid(), signum) == 0);
      ev_run(loop, 0);
    }
    ev_timer_stop(loop, &bound);
  }
  ev_loop_destroy(loop);
  CHECK(got == std::vector<int>{SIGHUP, SIGUSR1});
}
