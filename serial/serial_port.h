// Opening a serial line the way heartbeat sets it up (wire-protocol §1.7):
// uucp lock, raw 8N1 at the configured baud with RTS/CTS, input flags
// INPCK|ISTRIP|IGNCR|BRKINT, VMIN=1 VTIME=1, non-blocking. Behind the
// Port/PortOpener interfaces so the medium can be tested on a socketpair.
#pragma once
#include <termios.h>

#include <memory>
#include <optional>
#include <string>

#include "config/defaults.h"
#include "serial/uucp_lock.h"

struct sp_port;

namespace hbd::serial {

struct PortSpec {
  std::string path;      // "/dev/ttyS0": also the medium (link) name
  int baud = config::defaults::kBaud;
  std::string lock_dir;  // empty: default_lock_dir()
};

// An open, configured line; closing it (destruction) drops the lock.
class Port {
 public:
  virtual ~Port() = default;
  virtual int fd() const = 0;
  // Asserts or clears a BREAK condition; false if the line cannot.
  virtual bool set_break(bool on) = 0;
};

class PortOpener {
 public:
  virtual ~PortOpener() = default;
  // nullptr with a reason on failure.
  virtual std::unique_ptr<Port> open(const PortSpec& spec, std::string& error) = 0;
};

// termios speed for one of heartbeat's rates (9600 ... 460800).
std::optional<speed_t> speed_for_baud(int baud);
// Everything of heartbeat's line settings on an open tty.
bool configure_line(int fd, int baud, std::string& error);

// Real ttys. libserialport opens and sets up UARTs; a line it cannot open
// (a pseudo-terminal lacks the modem-control ioctls sp_open needs) is opened
// with open(2) and set up through termios alone.
class TtyOpener : public PortOpener {
 public:
  std::unique_ptr<Port> open(const PortSpec& spec, std::string& error) override;
};

}  // namespace hbd::serial
