// One serial medium (wire-protocol §1.6, §1.7): a line opened through a
// PortOpener, the libev watchers that read and write it, and the pacing of
// writes in 512-byte chunks for the baud rate. A line that is missing,
// vanishes or fails is logged, closed and reopened with backoff (1 s
// doubling to 30 s); it never stops the daemon or blocks the loop.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <ev.h>

#include "io/medium.h"
#include "log/format.h"
#include "serial/frame_reader.h"
#include "serial/serial_port.h"
#include "wire/codec.h"

namespace hbd::serial {

inline constexpr size_t kChunkBytes = 512;
// Beyond this much unsent text the line is hopelessly behind (flow control
// holding it, or a far too low baud): newer messages are dropped instead.
inline constexpr size_t kMaxQueuedBytes = wire::kMaxWireMessage;

// heartbeat's pause after each chunk: 512 / (baud/8) seconds.
double chunk_interval(int baud);
// The next reopen delay after `current` failed: doubling up to `max`.
double next_backoff(double current, double max);

struct SerialTiming {
  double first_retry = 1.0;
  double max_retry = 30.0;
  double break_seconds = 0.25;  // what tcsendbreak(fd, 0) asserts
};

struct SerialCounters {
  uint64_t frames_in = 0;
  uint64_t messages_out = 0;
  uint64_t dropped_out = 0;  // line down, or more queued than the line can carry
  uint64_t failures = 0;     // opens that failed and lines that went away
};

class SerialMedium : public io::Medium {
 public:
  SerialMedium(struct ev_loop* loop, PortSpec spec, PortOpener& opener, OnPacket on_packet,
               OnLog on_log, SerialTiming timing = {});
  ~SerialMedium() override;
  SerialMedium(const SerialMedium&) = delete;
  SerialMedium& operator=(const SerialMedium&) = delete;

  // Opens the line; on failure logs and keeps retrying from the loop.
  void start() override;
  // Queues one classic-encoded message (no NUL); dropped while the line is down.
  void send(std::string_view classic) override;

  const std::string& name() const override { return spec_.path; }
  bool is_open() const override { return port_ != nullptr; }
  io::WireFormat format() const override { return io::WireFormat::SerialClassic; }
  size_t queued() const { return out_.size() - out_pos_; }
  size_t buffered() const { return out_.size(); }  // queued, and written but kept
  const SerialCounters& counters() const { return counters_; }
  const ReaderCounters& reader_counters() const { return reader_.counters(); }
  bool mid_frame() const { return reader_.in_frame(); }

  void on_readable();
  void on_writable();
  void on_pace();
  void on_retry();
  void on_break_over();

 private:
  void pump();
  bool write_some(size_t max);
  void drop_written();
  void hand_out_frames(std::string_view bytes);
  void log_reader_drops(const ReaderCounters& before);
  void fail(const std::string& why);
  void close_port();
  void schedule_retry();
  void debug(const std::string& text) { on_log_(log::Level::Debug, text); }

  struct ev_loop* loop_;
  PortSpec spec_;
  PortOpener& opener_;
  OnPacket on_packet_;
  OnLog on_log_;
  SerialTiming timing_;
  std::unique_ptr<Port> port_;
  FrameReader reader_;
  ev_io read_watcher_;
  ev_io write_watcher_;
  ev_timer pace_timer_;
  ev_timer retry_timer_;
  ev_timer break_timer_;
  std::string out_;
  size_t out_pos_ = 0;
  size_t chunk_used_ = 0;     // bytes written in the current chunk
  double chunk_started_ = 0;  // ev_now() of its first byte
  bool breaking_ = false;
  bool failing_ = false;      // the last open failed or the line went away
  double backoff_ = 0;
  SerialCounters counters_;
};

}  // namespace hbd::serial
