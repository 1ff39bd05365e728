// UdpMedium on a fake socket layer: an interface that is deleted and
// re-created (sockets bound to the old one keep failing with ENODEV), a link
// that goes down, transient send errors, and ucast peer look-ups that take
// their time. The medium's timers run on a real libev loop with short delays.
#include "io/udp_medium.h"

#include <arpa/inet.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "io/ev_test_loop.h"

using namespace hbd;
using namespace hbd::io;
using hbd::testing::LoopRunner;

namespace {

// One interface of a fake host. A socket bound to it (SO_BINDTODEVICE)
// keeps the interface's index: once the interface is deleted, re-creating
// it does not help that socket, as in the kernel.
class FakeSockets : public UdpSockets {
 public:
  ~FakeSockets() override {
    for (const auto& [fd, bound] : sockets_) ::close(fd);
  }
  int open_socket() override {
    ++sockets_opened;
    int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);  // a real fd for the read watcher
    sockets_[fd] = 0;
    return fd;
  }
  int set_option(int fd, int, int option, const void*, socklen_t) override {
    if (option != SO_BINDTODEVICE) return 0;
    if (ifindex == 0) return errno = ENODEV, -1;
    sockets_[fd] = ifindex;
    return 0;
  }
  int bind(int, const sockaddr_in&) override { return 0; }
  ssize_t send_to(int fd, std::string_view bytes, const sockaddr_in& to) override {
    int bound = sockets_.at(fd);
    if (bound != 0 && bound != ifindex) return errno = ENODEV, -1;
    if (link_down) return errno = ENETDOWN, -1;
    if (!transient_errors.empty()) {
      errno = transient_errors.front();
      transient_errors.pop_front();
      return -1;
    }
    sent.emplace_back(bytes);
    sent_to.push_back(to);
    return static_cast<ssize_t>(bytes.size());
  }
  ssize_t receive(int, char* buf, size_t size) override {
    receive_sizes.push_back(size);
    if (receive_error) return errno = receive_error, -1;
    if (incoming.empty()) return errno = EAGAIN, -1;
    size_t n = std::min(size, incoming.front().size());  // a datagram is truncated to the buffer
    incoming.front().copy(buf, n);
    incoming.pop_front();
    return static_cast<ssize_t>(n);
  }
  void close(int fd) override {
    sockets_.erase(fd);
    ::close(fd);
  }
  bool interface_address(const std::string&, unsigned long, in_addr& out,
                         std::string& error) override {
    if (ifindex == 0) return error = "No such device", false;
    out.s_addr = htonl(0xc6120fff);  // 198.18.15.255
    return true;
  }
  Lookup lookup(const std::string& host, in_addr& out, std::string& error) override {
    looked_up.push_back(host);
    if (lookups.empty()) return Lookup::Pending;
    Lookup next = lookups.front();
    lookups.pop_front();
    if (next == Lookup::Done) ::inet_pton(AF_INET, "198.18.0.2", &out);
    if (next == Lookup::Failed) error = "cannot resolve " + host + ": Temporary failure";
    return next;
  }

  void delete_interface() { ifindex = 0; }
  void create_interface() { ifindex = ++last_index_; }
  size_t open_count() const { return sockets_.size(); }

  int ifindex = 1;
  bool link_down = false;
  int receive_error = 0;
  std::deque<std::string> incoming;  // datagrams waiting to be received
  std::vector<size_t> receive_sizes;  // buffer size of each receive call
  std::deque<int> transient_errors;
  std::deque<Lookup> lookups;  // what each look-up call answers; empty: still pending
  std::vector<std::string> looked_up;
  std::vector<std::string> sent;
  std::vector<sockaddr_in> sent_to;
  int sockets_opened = 0;

 private:
  std::map<int, int> sockets_;  // fd -> index of the interface it is bound to (0: none)
  int last_index_ = 1;
};

struct Fixture {
  explicit Fixture(UdpSpec spec = bcast()) {
    medium = std::make_unique<UdpMedium>(
        loop, spec, sockets,
        [this](std::string_view packet, const std::string&) { packets.emplace_back(packet); },
        [this](log::Level level, const std::string& text) { logs.push_back({level, text}); },
        UdpTiming{0.05, 0.01});
  }
  ~Fixture() {
    medium.reset();
    ev_loop_destroy(loop);
  }
  static UdpSpec bcast() {
    UdpSpec s;
    s.dev = "eth1";
    return s;
  }
  static UdpSpec ucast(const std::string& peer) {
    UdpSpec s;
    s.kind = UdpKind::Ucast;
    s.dev = "eth1";
    s.peer = peer;
    return s;
  }
  int count(log::Level level, const std::string& part = "") const {
    int n = 0;
    for (const auto& [l, text] : logs) n += l == level && text.find(part) != std::string::npos;
    return n;
  }
  bool run_until(const std::function<bool()>& done, double limit = 5.) {
    return LoopRunner(loop).run_until(done, limit);
  }
  // Runs the loop for `seconds`, sending a packet every 10 ms as heartbeats would.
  void send_for(double seconds) {
    ev_timer beat;
    ev_timer_init(&beat, [](struct ev_loop*, ev_timer* w, int) {
      static_cast<UdpMedium*>(w->data)->send("hb");
    }, 0.01, 0.01);
    beat.data = medium.get();
    ev_timer_start(loop, &beat);
    double end = ev_time() + seconds;
    run_until([end] { return ev_time() >= end; }, seconds + 1);
    ev_timer_stop(loop, &beat);
  }

  struct ev_loop* loop = ev_loop_new(EVFLAG_AUTO);
  FakeSockets sockets;
  std::vector<std::pair<log::Level, std::string>> logs;
  std::vector<std::string> packets;  // as handed on by the medium
  std::unique_ptr<UdpMedium> medium;
};

}  // namespace

TEST_CASE("udp medium: a deleted and re-created interface is reopened by itself", "[udp]") {
  Fixture f;
  f.medium->start();
  REQUIRE(f.medium->is_open());
  f.medium->send("one");
  REQUIRE(f.sockets.sent.size() == 1);

  f.sockets.delete_interface();
  f.medium->send("two");
  CHECK_FALSE(f.medium->is_open());
  CHECK(f.medium->reopen_pending());
  CHECK(f.count(log::Level::Error, "No such device - reopening") == 1);
  // While it is gone: the reopen keeps failing, quietly; sends are dropped.
  f.send_for(0.3);
  CHECK_FALSE(f.medium->is_open());
  CHECK(f.count(log::Level::Error) == 1);
  CHECK(f.count(log::Level::Debug, "cannot open bcast eth1") >= 2);

  // Re-created with a new index: the sockets bound to the old one are gone.
  f.sockets.create_interface();
  REQUIRE(f.run_until([&] { return f.medium->is_open(); }));
  f.medium->send("three");
  CHECK(f.sockets.sent.back() == "three");
  CHECK(f.count(log::Level::Info, "medium usable again") == 1);
  CHECK(f.count(log::Level::Error) == 1);
  CHECK(f.medium->reopens() == 1);
  CHECK(f.sockets.open_count() == 2);  // the old pair was closed
  CHECK(f.count(log::Level::Info, "UDP Broadcast heartbeat started") == 1);
}

TEST_CASE("udp medium: a re-created interface is used although the old sockets still fail",
          "[udp]") {
  Fixture f;
  f.medium->start();
  f.sockets.delete_interface();
  f.sockets.create_interface();  // gone and back between two heartbeats
  f.medium->send("lost");
  CHECK_FALSE(f.medium->is_open());
  REQUIRE(f.run_until([&] { return f.medium->is_open(); }));
  f.medium->send("found");
  CHECK(f.sockets.sent == std::vector<std::string>{"found"});
}

TEST_CASE("udp medium: ENXIO and ENETDOWN reopen too, at most once per retry interval",
          "[udp]") {
  Fixture f;
  f.medium->start();
  f.sockets.link_down = true;
  f.send_for(0.3);  // 30 sends, each failing once the sockets are (re)open
  // 0.3 s at one reopen per 0.05 s: about 6, never one per failed send.
  CHECK(f.medium->reopens() >= 3);
  CHECK(f.medium->reopens() <= 7);
  CHECK(f.count(log::Level::Error) == 1);
  CHECK(f.count(log::Level::Error, "Network is down - reopening") == 1);
  f.sockets.link_down = false;
  REQUIRE(f.run_until([&] { return f.medium->is_open(); }));
  f.medium->send("up");
  CHECK(f.count(log::Level::Info, "medium usable again") == 1);

  f.sockets.transient_errors = {ENXIO};
  f.medium->send("x");
  CHECK_FALSE(f.medium->is_open());
  CHECK(f.count(log::Level::Error, "No such device or address - reopening") == 1);
}

TEST_CASE("udp medium: transient send errors keep the sockets, logged once", "[udp]") {
  Fixture f;
  f.medium->start();
  f.sockets.transient_errors = {ENOBUFS, ENETUNREACH, EAGAIN};
  for (int i = 0; i < 4; ++i) f.medium->send("hb");
  CHECK(f.medium->is_open());
  CHECK_FALSE(f.medium->reopen_pending());
  CHECK(f.medium->send_failures() == 3);
  CHECK(f.sockets.sent.size() == 1);
  CHECK(f.count(log::Level::Error) == 1);
  CHECK(f.count(log::Level::Info, "medium usable again") == 1);
  CHECK(f.sockets.sockets_opened == 2);
}

TEST_CASE("udp medium: a receive error saying the interface is gone reopens", "[udp]") {
  Fixture f;
  f.medium->start();
  f.sockets.receive_error = ENETDOWN;
  f.medium->on_readable();
  CHECK_FALSE(f.medium->is_open());
  f.sockets.receive_error = 0;
  REQUIRE(f.run_until([&] { return f.medium->is_open(); }));
  CHECK(f.medium->reopens() == 1);
}

TEST_CASE("udp medium: reads into a 64 KiB buffer and hands the largest datagram on whole", "[udp]") {
  Fixture f;
  f.medium->start();
  // A UDP payload over IPv4 is at most 65507 bytes; sendto refuses more
  // (wire-protocol §1.6), so a MAXMSG buffer could never be filled.
  std::string largest(65507, 'x');
  f.sockets.incoming = {"small", largest};
  f.medium->on_readable();
  REQUIRE(!f.sockets.receive_sizes.empty());
  for (size_t size : f.sockets.receive_sizes) CHECK(size == 65536);  // not a byte more
  REQUIRE(f.packets.size() == 2);
  CHECK(f.packets[0] == "small");
  CHECK(f.packets[1] == largest);
}

TEST_CASE("udp medium: a ucast peer's name is looked up once, off the loop", "[udp]") {
  Fixture f(Fixture::ucast("peer.example"));
  f.medium->start();  // the look-up is under way: nothing waits for it
  CHECK_FALSE(f.medium->is_open());
  CHECK(f.logs.empty());
  f.sockets.lookups = {Lookup::Pending, Lookup::Done};
  REQUIRE(f.run_until([&] { return f.medium->is_open(); }));
  size_t lookups = f.sockets.looked_up.size();
  CHECK(lookups == 3);
  f.medium->send("hb");
  char text[INET_ADDRSTRLEN];
  ::inet_ntop(AF_INET, &f.sockets.sent_to.back().sin_addr, text, sizeof text);
  CHECK(std::string(text) == "198.18.0.2");

  // Reopens after send errors reuse the address: DNS down does not matter.
  f.sockets.delete_interface();
  f.medium->send("lost");
  f.sockets.create_interface();
  REQUIRE(f.run_until([&] { return f.medium->is_open(); }));
  CHECK(f.medium->reopens() == 1);
  CHECK(f.sockets.looked_up.size() == lookups);
}

TEST_CASE("udp medium: a failed look-up is retried, logged once", "[udp]") {
  Fixture f(Fixture::ucast("peer.example"));
  f.sockets.lookups = {Lookup::Failed, Lookup::Failed, Lookup::Done};
  f.medium->start();
  CHECK(f.count(log::Level::Error, "cannot resolve peer.example") == 1);
  REQUIRE(f.run_until([&] { return f.medium->is_open(); }));
  CHECK(f.count(log::Level::Error) == 1);
  CHECK(f.sockets.looked_up.size() == 3);
}

TEST_CASE("udp medium: a ucast peer given as an address is never looked up", "[udp]") {
  Fixture f(Fixture::ucast("198.18.0.9"));
  f.medium->start();
  REQUIRE(f.medium->is_open());
  CHECK(f.sockets.looked_up.empty());
  f.medium->send("hb");
  CHECK(f.sockets.sent_to.back().sin_addr.s_addr == htonl(0xc6120009));
}
