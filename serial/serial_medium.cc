#include "serial/serial_medium.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>


namespace hbd::serial {

namespace {

constexpr int kMaxReadsPerWakeup = 16;

void read_cb(struct ev_loop*, ev_io* w, int) { static_cast<SerialMedium*>(w->data)->on_readable(); }
void write_cb(struct ev_loop*, ev_io* w, int) { static_cast<SerialMedium*>(w->data)->on_writable(); }
void pace_cb(struct ev_loop*, ev_timer* w, int) { static_cast<SerialMedium*>(w->data)->on_pace(); }
void retry_cb(struct ev_loop*, ev_timer* w, int) { static_cast<SerialMedium*>(w->data)->on_retry(); }
void break_cb(struct ev_loop*, ev_timer* w, int) {
  static_cast<SerialMedium*>(w->data)->on_break_over();
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

}  // namespace

double chunk_interval(int baud) { return baud > 0 ? kChunkBytes / (baud / 8.0) : 1.0; }

double next_backoff(double current, double max) { return std::min(current * 2, max); }

SerialMedium::SerialMedium(struct ev_loop* loop, PortSpec spec, PortOpener& opener,
                           OnPacket on_packet, OnLog on_log, SerialTiming timing)
    : loop_(loop), spec_(std::move(spec)), opener_(opener), on_packet_(std::move(on_packet)),
      on_log_(std::move(on_log)), timing_(timing), backoff_(timing.first_retry) {
  ev_io_init(&read_watcher_, read_cb, -1, EV_READ);
  ev_io_init(&write_watcher_, write_cb, -1, EV_WRITE);
  ev_timer_init(&pace_timer_, pace_cb, 0., 0.);
  ev_timer_init(&retry_timer_, retry_cb, 0., 0.);
  ev_timer_init(&break_timer_, break_cb, 0., 0.);
  read_watcher_.data = write_watcher_.data = this;
  pace_timer_.data = retry_timer_.data = break_timer_.data = this;
}

SerialMedium::~SerialMedium() {
  ev_timer_stop(loop_, &retry_timer_);
  close_port();
}

void SerialMedium::start() {
  std::string error;
  port_ = opener_.open(spec_, error);
  if (!port_) {
    ++counters_.failures;
    if (!failing_)
      on_log_(log::Level::Error, "glib: cannot open serial " + spec_.path + ": " + error +
                                     " (retrying in " + seconds_text(backoff_) + " s)");
    else debug("glib: still cannot open serial " + spec_.path + ": " + error);
    failing_ = true;
    return schedule_retry();
  }
  if (failing_) on_log_(log::Level::Info, "glib: serial " + spec_.path + ": medium usable again");
  failing_ = false;
  on_log_(log::Level::Info, "glib: Starting serial heartbeat on tty " + spec_.path + " (" +
                                std::to_string(spec_.baud) + " baud)");
  ev_io_set(&read_watcher_, port_->fd(), EV_READ);
  ev_io_set(&write_watcher_, port_->fd(), EV_WRITE);
  ev_io_start(loop_, &read_watcher_);
  // A BREAK makes the other side flush what it had half read (heartbeat
  // does the same); writes wait until it is over.
  if (port_->set_break(true)) {
    breaking_ = true;
    ev_timer_set(&break_timer_, timing_.break_seconds, 0.);
    ev_timer_start(loop_, &break_timer_);
  }
}

void SerialMedium::schedule_retry() {
  ev_timer_set(&retry_timer_, backoff_, 0.);
  ev_timer_start(loop_, &retry_timer_);
  backoff_ = next_backoff(backoff_, timing_.max_retry);
}

void SerialMedium::on_retry() { start(); }

void SerialMedium::on_break_over() {
  breaking_ = false;
  if (port_) port_->set_break(false);
  pump();
}

// A whole message is queued or dropped (counted), never a part of one.
void SerialMedium::send(std::string_view classic) {
  if (!port_ || (queued() > 0 && queued() + classic.size() > kMaxQueuedBytes)) {
    ++counters_.dropped_out;
    return;
  }
  drop_written();
  out_.append(classic);
  ++counters_.messages_out;
  pump();
}

void SerialMedium::on_writable() { pump(); }

void SerialMedium::on_pace() { pump(); }

// Writes what the pacing allows now: at most 512 bytes per chunk interval.
void SerialMedium::pump() {
  if (!port_ || breaking_ || ev_is_active(&pace_timer_)) return;
  double interval = chunk_interval(spec_.baud);
  while (queued() > 0) {
    if (chunk_used_ > 0 && ev_now(loop_) - chunk_started_ >= interval) chunk_used_ = 0;
    if (!write_some(kChunkBytes - chunk_used_)) return;
    if (chunk_used_ == kChunkBytes) {
      chunk_used_ = 0;
      ev_timer_set(&pace_timer_, interval, 0.);
      ev_timer_start(loop_, &pace_timer_);
      return;
    }
  }
  ev_io_stop(loop_, &write_watcher_);
  drop_written();
}

// The text already written goes before more is queued: a line that never
// quite catches up would otherwise keep all it ever carried.
void SerialMedium::drop_written() {
  out_.erase(0, out_pos_);
  out_pos_ = 0;
}

// False when nothing more can be written now (line full, or failed).
bool SerialMedium::write_some(size_t max) {
  size_t n = std::min(max, queued());
  ssize_t written = ::write(port_->fd(), out_.data() + out_pos_, n);
  if (written < 0) {
    if (errno == EINTR) return true;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      ev_io_start(loop_, &write_watcher_);  // flow control or a full buffer
      return false;
    }
    fail(std::string("write: ") + std::strerror(errno));
    return false;
  }
  if (chunk_used_ == 0) chunk_started_ = ev_now(loop_);
  chunk_used_ += static_cast<size_t>(written);
  out_pos_ += static_cast<size_t>(written);
  return true;
}

void SerialMedium::on_readable() {
  char buf[4096];
  for (int i = 0; i < kMaxReadsPerWakeup && port_; ++i) {
    ssize_t n = ::read(port_->fd(), buf, sizeof buf);
    if (n > 0) {
      backoff_ = timing_.first_retry;  // the line works: a later failure starts over
      hand_out_frames(std::string_view(buf, static_cast<size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    return fail(n == 0 ? std::string("the line hung up") : std::string("read: ") + std::strerror(errno));
  }
}

void SerialMedium::hand_out_frames(std::string_view bytes) {
  ReaderCounters before = reader_.counters();
  std::vector<std::string> frames;
  reader_.feed(bytes, frames);
  log_reader_drops(before);
  for (const auto& frame : frames) {
    ++counters_.frames_in;
    on_packet_(frame, spec_.path);
  }
}

void SerialMedium::log_reader_drops(const ReaderCounters& before) {
  const ReaderCounters& now = reader_.counters();
  if (now.noise_bytes != before.noise_bytes)
    debug("serial " + spec_.path + ": dropped " + std::to_string(now.noise_bytes - before.noise_bytes) +
          " bytes outside frames (" + std::to_string(now.noise_bytes) + " in all)");
  if (now.restarted != before.restarted)
    debug("serial " + spec_.path + ": dropped a torn frame (" + std::to_string(now.restarted) +
          " in all)");
  if (now.oversized != before.oversized)
    debug("serial " + spec_.path + ": dropped an oversized frame (" +
          std::to_string(now.oversized) + " in all)");
}

void SerialMedium::fail(const std::string& why) {
  ++counters_.failures;
  on_log_(log::Level::Error, "glib: serial " + spec_.path + ": " + why + " - reopening in " +
                                 seconds_text(backoff_) + " s");
  failing_ = true;
  close_port();
  schedule_retry();
}

void SerialMedium::close_port() {
  ev_io_stop(loop_, &read_watcher_);
  ev_io_stop(loop_, &write_watcher_);
  ev_timer_stop(loop_, &pace_timer_);
  ev_timer_stop(loop_, &break_timer_);
  breaking_ = false;
  port_.reset();
  reader_.reset();
  counters_.dropped_out += queued() > 0 ? 1 : 0;  // the message being written is lost
  out_.clear();
  out_pos_ = 0;
  chunk_used_ = 0;
}

}  // namespace hbd::serial
