// systemd's service notification protocol (sd_notify(3)) without
// libsystemd: one datagram per state change to the unix socket named by
// $NOTIFY_SOCKET ("@…" is an abstract socket). Used by the unit's
// Type=notify (READY=1 once configured and the media are open), its
// WatchdogSec (WATCHDOG=1 from the event loop) and `systemctl status`
// (STATUS=…). Without $NOTIFY_SOCKET (not under systemd) it does nothing.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace hbd::io {

using Getenv = std::function<const char*(const char* name)>;

// The watchdog period systemd asks for ($WATCHDOG_USEC, in ms), if it is
// meant for `pid` ($WATCHDOG_PID absent or equal).
std::optional<int64_t> watchdog_period_ms(const Getenv& getenv, pid_t pid);

class SdNotify {
 public:
  explicit SdNotify(std::string socket_path) : path_(std::move(socket_path)) {}
  // From $NOTIFY_SOCKET; an empty path (not under systemd) sends nothing.
  static SdNotify from_environment(const Getenv& getenv);
  bool enabled() const { return !path_.empty(); }
  // Sends "STATE" (e.g. "READY=1\nSTATUS=…"); false when it could not.
  bool send(const std::string& state) const;

 private:
  std::string path_;
};

}  // namespace hbd::io
