// Going to the background without losing the outcome: the process that was
// started waits on a pipe until the daemon says it is up (pid file written,
// media open) or why it is not, and exits 0 or non-zero accordingly, so `hbd`
// and the init script never say "Done." for a daemon that died at once.
#pragma once
#include <string>

namespace hbd::daemon {

// The daemon's end of the pipe. Reports once; closing it unreported (the
// daemon exits or crashes) tells the waiting parent that the start failed.
// Default constructed (foreground, restart exec): reports go nowhere.
class StartupReport {
 public:
  StartupReport() = default;
  explicit StartupReport(int fd) : fd_(fd) {}
  ~StartupReport();
  StartupReport(const StartupReport&) = delete;
  StartupReport& operator=(const StartupReport&) = delete;

  void ready();
  void failed(const std::string& why);

 private:
  void send(const std::string& line);
  int fd_ = -1;
};

struct StartupOutcome {
  int exit_code = 0;
  std::string error;  // for the parent to print when exit_code != 0
};

// What the parent makes of what it read before the pipe closed (or its
// patience ran out).
StartupOutcome interpret_startup(const std::string& received, bool timed_out);

// Reads the report from `fd` for up to `limit_ms`, then closes it.
StartupOutcome await_startup(int fd, int limit_ms);

// The daemon has this long to come up before the parent gives up waiting
// (and says so; the daemon is left alone).
constexpr int kStartupWaitMs = 60 * 1000;

struct Detached {
  bool is_parent = false;
  StartupOutcome outcome;  // parent: the daemon's start, to exit with
  int report_fd = -1;      // daemon: for its StartupReport
};

// Double fork: the daemon (grandchild) continues detached with stdio on
// /dev/null; the original process waits for its report.
Detached detach();

}  // namespace hbd::daemon
