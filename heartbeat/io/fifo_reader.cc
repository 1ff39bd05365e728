#include "io/fifo_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "io/clock.h"

namespace hbd::io {

namespace {

constexpr int kMaxReadsPerWakeup = 16;

void read_cb(struct ev_loop*, ev_io* w, int) { static_cast<FifoReader*>(w->data)->on_readable(); }

std::string sys_error() { return std::strerror(errno); }

}  // namespace

std::optional<std::string> RateLimitedLog::admit(const std::string& text, int64_t now_ms) {
  if (last_ms_ && now_ms - *last_ms_ < interval_ms_) {
    ++suppressed_;
    return std::nullopt;
  }
  last_ms_ = now_ms;
  if (suppressed_ == 0) return text;
  std::string line = text + " (" + std::to_string(suppressed_) + " similar messages suppressed)";
  suppressed_ = 0;
  return line;
}

FifoReader::FifoReader(struct ev_loop* loop, std::string path, OnMessage on_message,
                       OnLog on_log, std::function<int64_t()> clock)
    : loop_(loop), path_(std::move(path)), on_message_(std::move(on_message)),
      on_log_(std::move(on_log)), clock_(clock ? std::move(clock) : monotonic_ms) {
  ev_io_init(&read_watcher_, read_cb, -1, EV_READ);
  read_watcher_.data = this;
}

FifoReader::~FifoReader() { close(); }

bool FifoReader::ensure_fifo() {
  struct stat st;
  if (::stat(path_.c_str(), &st) == 0) {
    if (S_ISFIFO(st.st_mode)) return true;
    on_log_(log::Level::Error, path_ + " exists and is not a FIFO: commands from hb_standby, "
                                       "hb_takeover and other tools cannot be received");
    return false;
  }
  if (errno != ENOENT) {
    on_log_(log::Level::Error, "Cannot access FIFO " + path_ + ": " + sys_error());
    return false;
  }
  on_log_(log::Level::Info, "Creating FIFO " + path_ + ".");
  // chmod too: the umask must not decide who may send cluster commands.
  if (::mkfifo(path_.c_str(), 0600) != 0 || ::chmod(path_.c_str(), 0600) != 0) {
    on_log_(log::Level::Error, "Cannot create FIFO " + path_ + ": " + sys_error());
    return false;
  }
  return true;
}

bool FifoReader::open() {
  if (is_open()) return true;
  if (!ensure_fifo()) return false;
  fd_ = ::open(path_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) {
    on_log_(log::Level::Error, "Cannot open FIFO " + path_ + ": " + sys_error());
    return false;
  }
  ev_io_set(&read_watcher_, fd_, EV_READ);
  ev_io_start(loop_, &read_watcher_);
  return true;
}

void FifoReader::close() {
  ev_io_stop(loop_, &read_watcher_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void FifoReader::on_readable() {
  char buf[16384];
  for (int reads = 0; fd_ >= 0 && reads < kMaxReadsPerWakeup; ++reads) {
    ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // EAGAIN; EOF cannot happen while we hold a write end
    for (auto& block : parser_.feed(std::string_view(buf, static_cast<size_t>(n)))) {
      handle(std::move(block));
      if (fd_ < 0) return;  // a callback closed us
    }
  }
}

void FifoReader::handle(wire::FifoBlock block) {
  if (block.ok()) {
    on_message_(std::move(block.message));
    return;
  }
  auto line = bad_blocks_.admit("Bad message on FIFO " + path_ + ": " + block.error, clock_());
  if (line) on_log_(log::Level::Warn, *line);
}

}  // namespace hbd::io
