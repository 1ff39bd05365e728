// The daemon's signals (config-and-tools §5.2): SIGTERM stops, SIGHUP
// rereads the configuration, SIGUSR1/SIGUSR2 raise/lower the debug level;
// SIGINT and SIGPIPE are ignored. Kept out of the Daemon so that tests
// construct a Daemon on any loop without touching the process's signals.
#pragma once
#include <array>
#include <csignal>
#include <functional>

#include <ev.h>

namespace hbd::daemon {

class SignalRelay {
 public:
  using OnSignal = std::function<void(int signum)>;
  static constexpr std::array<int, 4> kSignals = {SIGTERM, SIGHUP, SIGUSR1, SIGUSR2};

  // Starts the watchers and ignores SIGINT and SIGPIPE for the process.
  SignalRelay(struct ev_loop* loop, OnSignal on_signal);
  ~SignalRelay();
  SignalRelay(const SignalRelay&) = delete;
  SignalRelay& operator=(const SignalRelay&) = delete;

  void on_signal(int signum) { on_signal_(signum); }

 private:
  struct ev_loop* loop_;
  OnSignal on_signal_;
  std::array<ev_signal, kSignals.size()> watchers_;
};

}  // namespace hbd::daemon
