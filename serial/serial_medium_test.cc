#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <functional>

#include "serial/serial_medium.h"

using namespace hbd::serial;

namespace {

// A "line" that is one end of a socketpair; the test holds the other end.
class PairPort : public Port {
 public:
  PairPort(int fd, std::vector<bool>& breaks) : fd_(fd), breaks_(breaks) {}
  ~PairPort() override { ::close(fd_); }
  int fd() const override { return fd_; }
  bool set_break(bool on) override {
    breaks_.push_back(on);
    return true;
  }

 private:
  int fd_;
  std::vector<bool>& breaks_;
};

class PairOpener : public PortOpener {
 public:
  int failures_left = 0;
  int opens = 0;
  int far = -1;  // the test's end of the current line
  std::vector<bool> breaks;

  ~PairOpener() override { close_far(); }
  void close_far() {
    if (far >= 0) ::close(far);
    far = -1;
  }
  std::unique_ptr<Port> open(const PortSpec& spec, std::string& error) override {
    ++opens;
    if (failures_left > 0) {
      --failures_left;
      error = "cannot open " + spec.path + ": No such file or directory";
      return nullptr;
    }
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) == 0);
    close_far();
    far = fds[1];
    return std::make_unique<PairPort>(fds[0], breaks);
  }
  std::string read_far() {
    std::string out;
    char buf[8192];
    ssize_t n;
    while (far >= 0 && (n = ::read(far, buf, sizeof buf)) > 0) out.append(buf, size_t(n));
    return out;
  }
};

struct Fixture {
  struct ev_loop* loop = ev_loop_new(EVFLAG_AUTO);
  PairOpener opener;
  std::vector<std::pair<std::string, std::string>> frames;  // frame, medium
  std::vector<std::pair<hbd::log::Level, std::string>> logs;
  std::unique_ptr<SerialMedium> medium;

  explicit Fixture(int baud = 460800) {
    SerialTiming fast{0.01, 0.04, 0.01};
    medium = std::make_unique<SerialMedium>(
        loop, PortSpec{"/dev/ttyS0", baud, ""}, opener,
        [this](std::string_view f, const std::string& m) { frames.emplace_back(f, m); },
        [this](hbd::log::Level l, const std::string& t) { logs.emplace_back(l, t); }, fast);
  }
  ~Fixture() {
    medium.reset();
    ev_loop_destroy(loop);
  }
  // Runs the loop until `done` or (a generous) 5 s pass; never a timing assertion.
  bool run_until(const std::function<bool()>& done) {
    ev_timer guard;
    ev_timer_init(&guard, [](struct ev_loop*, ev_timer*, int) {}, 0.002, 0.002);
    ev_timer_start(loop, &guard);
    ev_now_update(loop);
    double deadline = ev_now(loop) + 5;
    while (!done() && ev_now(loop) < deadline) ev_run(loop, EVRUN_ONCE);
    ev_timer_stop(loop, &guard);
    return done();
  }
  size_t count_logs(const std::string& part) const {
    size_t n = 0;
    for (const auto& [level, text] : logs) n += text.find(part) != std::string::npos;
    return n;
  }
};

std::string frame_of(size_t size) {  // a classic-looking frame of exactly `size` bytes
  std::string body = ">>>\nx=";
  body += std::string(size - body.size() - 5, 'a');
  return body + "\n<<<\n";
}

}  // namespace

TEST_CASE("pacing: 512 bytes per 512/(baud/8) s; backoff doubles to its cap", "[serial]") {
  CHECK(chunk_interval(19200) == Approx(512.0 / 2400));
  CHECK(chunk_interval(115200) == Approx(512.0 / 14400));
  CHECK(next_backoff(1, 30) == 2);
  CHECK(next_backoff(16, 30) == 30);
  CHECK(next_backoff(30, 30) == 30);
}

TEST_CASE("opening sends a BREAK and holds writes until it is over", "[serial]") {
  Fixture f;
  f.medium->start();
  REQUIRE(f.medium->is_open());
  CHECK(f.opener.breaks == std::vector<bool>{true});
  CHECK(f.count_logs("Starting serial heartbeat on tty /dev/ttyS0 (460800 baud)") == 1);
  f.medium->send(frame_of(100));
  CHECK(f.opener.read_far().empty());
  std::string got;
  CHECK(f.run_until([&] { return (got += f.opener.read_far()).size() >= 100; }));
  CHECK(f.opener.breaks == std::vector<bool>{true, false});
  CHECK(got == frame_of(100));
}

TEST_CASE("writes go out in paced chunks of at most 512 bytes, bytes intact", "[serial]") {
  Fixture f;
  f.medium->start();
  REQUIRE(f.run_until([&] { return f.opener.breaks.size() == 2; }));
  const std::string a = frame_of(700), b = frame_of(900);
  f.medium->send(a);
  f.medium->send(b);
  // Only the first chunk is written at once; the pace timer releases the rest.
  CHECK(f.opener.read_far().size() == kChunkBytes);
  CHECK(f.medium->queued() == a.size() + b.size() - kChunkBytes);
  std::string rest;
  CHECK(f.run_until([&] { return (rest += f.opener.read_far()).size() >= a.size() + b.size() - 512; }));
  CHECK(rest == (a + b).substr(kChunkBytes));
  CHECK(f.medium->queued() == 0);
  CHECK(f.medium->counters().messages_out == 2);
}

TEST_CASE("received bytes become frames named by the tty; noise is counted", "[serial]") {
  Fixture f;
  f.medium->start();
  const std::string one = frame_of(60), two = frame_of(3000);
  std::string stream = "noise\r\n" + one + "\x01\x02\n" + two;
  REQUIRE(::write(f.opener.far, stream.data(), stream.size()) == ssize_t(stream.size()));
  REQUIRE(f.run_until([&] { return f.frames.size() == 2; }));
  CHECK(f.frames[0] == std::make_pair(one, std::string("/dev/ttyS0")));
  CHECK(f.frames[1].first == two);
  CHECK(f.medium->reader_counters().noise_bytes == 10);
  CHECK(f.count_logs("bytes outside frames") >= 1);
}

TEST_CASE("a missing port is retried with backoff and then used", "[serial]") {
  Fixture f;
  f.opener.failures_left = 3;
  f.medium->start();
  CHECK_FALSE(f.medium->is_open());
  f.medium->send(frame_of(50));
  CHECK(f.medium->counters().dropped_out == 1);
  REQUIRE(f.run_until([&] { return f.medium->is_open(); }));
  CHECK(f.opener.opens == 4);
  CHECK(f.count_logs("glib: cannot open serial /dev/ttyS0") == 1);  // then only debug lines
  CHECK(f.count_logs("still cannot open") == 2);
  CHECK(f.count_logs("medium usable again") == 1);
  CHECK(f.medium->counters().failures == 3);
}

TEST_CASE("a line that hangs up is closed and reopened; the loop keeps running", "[serial]") {
  Fixture f;
  f.medium->start();
  REQUIRE(f.medium->is_open());
  // Half a frame, then the far end goes away: the torn frame must not leak
  // into the reopened line.
  REQUIRE(::write(f.opener.far, ">>>\nt=status\n", 13) == 13);
  REQUIRE(f.run_until([&] { return f.medium->mid_frame(); }));
  f.opener.close_far();
  REQUIRE(f.run_until([&] { return f.opener.opens == 2 && f.medium->is_open(); }));
  CHECK(f.count_logs("the line hung up - reopening") == 1);
  CHECK_FALSE(f.medium->mid_frame());
  const std::string one = frame_of(40);
  REQUIRE(::write(f.opener.far, one.data(), one.size()) == ssize_t(one.size()));
  REQUIRE(f.run_until([&] { return f.frames.size() == 1; }));
  CHECK(f.frames[0].first == one);
}

// A line offered more than it carries for longer than it takes to carry the
// whole queue several times over: memory stays bounded by the queue's cap,
// the excess is dropped as whole frames (counted), and what goes out is
// whole frames only.
TEST_CASE("a line offered more than it carries keeps a bounded buffer", "[serial]") {
  Fixture f(46080000);  // paced at 512 bytes per ~89 us: the test runs fast
  f.medium->start();
  REQUIRE(f.run_until([&] { return f.opener.breaks.size() == 2; }));
  const std::string frame = frame_of(4000);
  const SerialCounters& c = f.medium->counters();
  size_t carried = 0, biggest = 0, offered = 0;
  double give_up = ev_time() + 20;
  while (carried < 4 * kMaxQueuedBytes && ev_time() < give_up) {
    uint64_t dropped = c.dropped_out;
    while (c.dropped_out == dropped) {  // offer until the queue is full
      f.medium->send(frame);
      ++offered;
    }
    biggest = std::max(biggest, f.medium->buffered());
    ev_run(f.loop, EVRUN_NOWAIT);
    carried += f.opener.read_far().size();
  }
  REQUIRE(carried >= 4 * kMaxQueuedBytes);
  CHECK(biggest <= kMaxQueuedBytes + frame.size());
  CHECK(c.dropped_out > 0);
  CHECK(c.messages_out + c.dropped_out == offered);
  // Everything queued goes out, whole.
  REQUIRE(f.run_until([&] {
    carried += f.opener.read_far().size();
    return f.medium->queued() == 0;
  }));
  carried += f.opener.read_far().size();
  CHECK(carried == c.messages_out * frame.size());
}
