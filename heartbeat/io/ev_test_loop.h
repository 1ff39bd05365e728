// Test helper for the io adapters: runs a libev loop until a condition holds
// or a bound passes (every wait in a test is bounded), and waits for
// conditions outside the loop the same way.
#pragma once
#include <ev.h>
#include <time.h>

#include <functional>

namespace hbd::testing {

class LoopRunner {
 public:
  // The default loop: ev_child (script runner, respawn) needs it.
  LoopRunner() : loop_(ev_default_loop(0)) {}
  explicit LoopRunner(struct ev_loop* loop) : loop_(loop) {}
  struct ev_loop* loop() const { return loop_; }

  // Runs the loop until `done()` is true or `limit_s` seconds pass. done()
  // is checked before the loop would block, and every 10 ms for conditions
  // no watcher of the loop sees (a file another process writes). Returns done().
  bool run_until(const std::function<bool()>& done, double limit_s = 20.) {
    if (done()) return true;
    done_ = &done;
    ev_prepare_init(&check_, check_cb);
    check_.data = this;
    ev_timer_init(&guard_, guard_cb, limit_s, 0.);
    guard_.data = this;
    ev_timer_init(&poll_, [](struct ev_loop*, ev_timer*, int) {}, 0.01, 0.01);
    ev_prepare_start(loop_, &check_);
    ev_timer_start(loop_, &guard_);
    ev_timer_start(loop_, &poll_);
    ev_run(loop_, 0);
    ev_prepare_stop(loop_, &check_);
    ev_timer_stop(loop_, &guard_);
    ev_timer_stop(loop_, &poll_);
    done_ = nullptr;
    return done();
  }

 private:
  static void check_cb(struct ev_loop* loop, ev_prepare* w, int) {
    auto* self = static_cast<LoopRunner*>(w->data);
    if ((*self->done_)()) ev_break(loop, EVBREAK_ONE);
  }
  static void guard_cb(struct ev_loop* loop, ev_timer*, int) { ev_break(loop, EVBREAK_ONE); }

  struct ev_loop* loop_;
  const std::function<bool()>* done_ = nullptr;
  ev_prepare check_;  // runs before the loop would block
  ev_timer guard_;
  ev_timer poll_;  // wakes the loop so that done() is looked at again
};

// Polls `condition` every 20 ms for at most `limit_s` seconds (for state
// outside any loop, e.g. a process that init has to reap).
inline bool wait_for(const std::function<bool()>& condition, double limit_s = 10.) {
  for (int i = 0; i < static_cast<int>(limit_s * 50); ++i) {
    if (condition()) return true;
    timespec pause{0, 20 * 1000 * 1000};
    nanosleep(&pause, nullptr);
  }
  return condition();
}

}  // namespace hbd::testing
