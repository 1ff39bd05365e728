#include "daemon/signals.h"

#include <signal.h>

namespace hbd::daemon {

namespace {

void signal_cb(struct ev_loop*, ev_signal* w, int) {
  static_cast<SignalRelay*>(w->data)->on_signal(w->signum);
}

}  // namespace

SignalRelay::SignalRelay(struct ev_loop* loop, OnSignal on_signal)
    : loop_(loop), on_signal_(std::move(on_signal)) {
  for (size_t i = 0; i < kSignals.size(); ++i) {
    ev_signal_init(&watchers_[i], signal_cb, kSignals[i]);
    watchers_[i].data = this;
    ev_signal_start(loop_, &watchers_[i]);
  }
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGPIPE, SIG_IGN);
}

SignalRelay::~SignalRelay() {
  for (auto& w : watchers_) ev_signal_stop(loop_, &w);
}

}  // namespace hbd::daemon
