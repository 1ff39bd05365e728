// hbd under systemd (Type=notify): READY=1 once the daemon is up, a STATUS=
// line with the membership and resource state for `systemctl status`, and
// WATCHDOG=1 from the event loop when the unit sets WatchdogSec (a loop that
// stops turning stops feeding it, and systemd restarts the daemon). Nothing
// at all when not started by systemd.
#pragma once
#include <ev.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "control/snapshot.h"
#include "io/sd_notify.h"

namespace hbd::daemon {

// One line for systemctl status, e.g.
// "comm up; node2 active; here: all (198.18.1.200/24 running)".
std::string systemd_status(const control::Snapshot& s);

// How often the loop reports: half the watchdog period, and at least every
// 10 s for the STATUS line.
int64_t systemd_report_period_ms(std::optional<int64_t> watchdog_ms);

class SystemdLink {
 public:
  using Status = std::function<std::string()>;
  SystemdLink(struct ev_loop* loop, io::SdNotify notify, std::optional<int64_t> watchdog_ms,
              Status status);
  ~SystemdLink();
  SystemdLink(const SystemdLink&) = delete;
  SystemdLink& operator=(const SystemdLink&) = delete;

  void ready();     // READY=1 and the first STATUS, then the periodic reports
  void stopping();  // STOPPING=1: the hand-over has begun
  void report();    // the timer's: WATCHDOG=1 (if asked for) and STATUS

 private:
  struct ev_loop* loop_;
  io::SdNotify notify_;
  std::optional<int64_t> watchdog_ms_;
  Status status_;
  ev_timer timer_;
};

}  // namespace hbd::daemon
