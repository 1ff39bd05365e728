// The command FIFO /var/lib/heartbeat/fifo (config-and-tools §0.2, §5.7):
// created 0600 if missing, read from the event loop, each block handed on
// as a wire::Message (the daemon adds src/seq/… and sends it to the
// cluster). Opened O_RDWR so the reader never sees EOF as writers come and
// go, and a writer never blocks while the daemon runs; once it is closed
// (daemon gone) a writer's open(O_WRONLY|O_NONBLOCK) fails with ENXIO,
// which is how a tool tells that the daemon is not running.
#pragma once
#include <ev.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "log/format.h"
#include "wire/fifo_parser.h"
#include "wire/message.h"

namespace hbd::io {

// At most one line per interval; the first line let through after a quiet
// spell says how many were held back. Pure: time is handed in.
class RateLimitedLog {
 public:
  explicit RateLimitedLog(int64_t interval_ms = 10000) : interval_ms_(interval_ms) {}
  // The line to log now, or nullopt if it is to be suppressed.
  std::optional<std::string> admit(const std::string& text, int64_t now_ms);
  unsigned long suppressed() const { return suppressed_; }

 private:
  int64_t interval_ms_;
  std::optional<int64_t> last_ms_;
  unsigned long suppressed_ = 0;
};

class FifoReader {
 public:
  using OnMessage = std::function<void(wire::Message)>;
  using OnLog = std::function<void(log::Level, const std::string&)>;

  // `clock`: monotonic ms for the rate limit; default io::monotonic_ms.
  FifoReader(struct ev_loop* loop, std::string path, OnMessage on_message, OnLog on_log,
             std::function<int64_t()> clock = {});
  ~FifoReader();
  FifoReader(const FifoReader&) = delete;
  FifoReader& operator=(const FifoReader&) = delete;

  // Creates the FIFO if missing and starts reading. A path that exists and
  // is not a FIFO, or any failure, is logged (ERROR) and the reader stays
  // closed: the daemon runs on without it. Returns is_open().
  bool open();
  void close();
  bool is_open() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }

  void on_readable();

 private:
  bool ensure_fifo();
  void handle(wire::FifoBlock block);

  struct ev_loop* loop_;
  std::string path_;
  OnMessage on_message_;
  OnLog on_log_;
  std::function<int64_t()> clock_;
  ev_io read_watcher_;
  int fd_ = -1;
  wire::FifoParser parser_;
  RateLimitedLog bad_blocks_;
};

}  // namespace hbd::io
