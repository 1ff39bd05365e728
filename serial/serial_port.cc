#include "serial/serial_port.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <libserialport.h>

namespace hbd::serial {

namespace {

void release(sp_port* sp) {
  sp_close(sp);  // harmless on a port that did not open
  sp_free_port(sp);
}

// close() waits for queued output to drain, up to the port's closing_wait
// (30 s by default) while CTS holds it back: what is still queued is
// thrown away first (with the unread input), so closing never blocks.
void discard_pending(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  ::tcflush(fd, TCIOFLUSH);
}

class TtyPort : public Port {
 public:
  TtyPort(int fd, sp_port* sp, std::unique_ptr<UucpLock> lock)
      : fd_(fd), sp_(sp), lock_(std::move(lock)) {}
  ~TtyPort() override {
    discard_pending(fd_);
    if (sp_) release(sp_);
    else ::close(fd_);
  }
  int fd() const override { return fd_; }
  bool set_break(bool on) override {
    if (sp_) return (on ? sp_start_break(sp_) : sp_end_break(sp_)) == SP_OK;
    return ::ioctl(fd_, on ? TIOCSBRK : TIOCCBRK) == 0;
  }

 private:
  int fd_;
  sp_port* sp_;
  std::unique_ptr<UucpLock> lock_;  // released after the line is closed
};

bool sp_ok(sp_return r) { return r == SP_OK; }

// 8N1, baud and RTS/CTS through libserialport, and the line's descriptor;
// nullptr (nothing kept open) if it cannot.
sp_port* open_with_libserialport(const PortSpec& spec, int& fd) {
  sp_port* sp = nullptr;
  if (!sp_ok(sp_get_port_by_name(spec.path.c_str(), &sp))) return nullptr;
  bool ok = sp_ok(sp_open(sp, SP_MODE_READ_WRITE)) && sp_ok(sp_set_baudrate(sp, spec.baud)) &&
            sp_ok(sp_set_bits(sp, 8)) && sp_ok(sp_set_parity(sp, SP_PARITY_NONE)) &&
            sp_ok(sp_set_stopbits(sp, 1)) && sp_ok(sp_set_flowcontrol(sp, SP_FLOWCONTROL_RTSCTS)) &&
            sp_ok(sp_get_port_handle(sp, &fd)) && fd >= 0;
  if (ok) return sp;
  release(sp);
  fd = -1;
  return nullptr;
}

int open_plain(const std::string& path, std::string& error) {
  int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return -1;
  }
  if (!::isatty(fd)) {
    error = path + " is not a tty";
    ::close(fd);
    return -1;
  }
  return fd;
}

bool set_nonblocking(int fd, std::string& error) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0) return true;
  error = std::string("cannot make the line non-blocking: ") + std::strerror(errno);
  return false;
}

}  // namespace

std::optional<speed_t> speed_for_baud(int baud) {
  switch (baud) {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    default: return std::nullopt;
  }
}

bool configure_line(int fd, int baud, std::string& error) {
  std::optional<speed_t> speed = speed_for_baud(baud);
  if (!speed) {
    error = "unsupported baud rate " + std::to_string(baud);
    return false;
  }
  termios t{};
  if (::tcgetattr(fd, &t) != 0) {
    error = std::string("tcgetattr: ") + std::strerror(errno);
    return false;
  }
  t.c_cflag = CS8 | CREAD | CLOCAL | CRTSCTS;
  t.c_iflag = INPCK | ISTRIP | IGNCR | BRKINT;  // no XON/XOFF
  t.c_oflag = 0;
  t.c_lflag = 0;
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 1;
  ::cfsetispeed(&t, *speed);
  ::cfsetospeed(&t, *speed);
  if (::tcsetattr(fd, TCSAFLUSH, &t) != 0) {
    error = std::string("tcsetattr: ") + std::strerror(errno);
    return false;
  }
  return true;
}

std::unique_ptr<Port> TtyOpener::open(const PortSpec& spec, std::string& error) {
  if (!speed_for_baud(spec.baud)) {
    error = "unsupported baud rate " + std::to_string(spec.baud);
    return nullptr;
  }
  auto lock = std::make_unique<UucpLock>();
  std::string dir = spec.lock_dir.empty() ? default_lock_dir() : spec.lock_dir;
  if (!lock->acquire(dir, spec.path, error)) return nullptr;
  int fd = -1;
  sp_port* sp = open_with_libserialport(spec, fd);
  if (!sp) fd = open_plain(spec.path, error);
  if (fd < 0) return nullptr;
  auto port = std::make_unique<TtyPort>(fd, sp, std::move(lock));
  if (!configure_line(fd, spec.baud, error) || !set_nonblocking(fd, error)) {
    error = spec.path + ": " + error;
    return nullptr;
  }
  return port;
}

}  // namespace hbd::serial
