#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "io/ev_test_loop.h"
#include "io/ping_medium.h"

using hbd::io::EchoReply;
using hbd::io::PingMedium;
using hbd::io::PingSpec;
using hbd::io::internet_checksum;
using hbd::io::icmp_echo_request;
using hbd::io::parse_echo_reply;
using hbd::log::Level;
using hbd::testing::LoopRunner;

namespace {

uint8_t at(const std::string& s, size_t i) { return static_cast<uint8_t>(s[i]); }

// An IPv4 header (no checksum: the kernel checked it already) around `icmp`,
// with `options` bytes of IP options (a multiple of 4).
std::string ipv4(const std::string& icmp, uint32_t src_host_order, size_t options = 0) {
  size_t header = 20 + options;
  size_t total = header + icmp.size();
  std::string p(header, '\0');
  p[0] = static_cast<char>(0x40 | header / 4);
  p[2] = static_cast<char>(total >> 8);
  p[3] = static_cast<char>(total & 0xff);
  p[8] = 64;
  p[9] = IPPROTO_ICMP;
  uint32_t src = htonl(src_host_order);
  std::memcpy(&p[12], &src, 4);
  uint32_t dst = htonl(0x7f000001);
  std::memcpy(&p[16], &dst, 4);
  for (size_t i = 20; i < header; ++i) p[i] = 1;  // NOP options
  return p + icmp;
}

// An Echo Reply as a target sends it back: the request with type 0 and the
// checksum adjusted.
std::string echo_reply(uint16_t id, uint16_t seq, const std::string& payload) {
  std::string icmp = icmp_echo_request(id, seq, payload);
  icmp[0] = 0;
  icmp[2] = icmp[3] = 0;
  uint16_t sum = internet_checksum(icmp);
  icmp[2] = static_cast<char>(sum >> 8);
  icmp[3] = static_cast<char>(sum & 0xff);
  return icmp;
}

}  // namespace

TEST_CASE("icmp_echo_request: heartbeat's Echo Request bytes", "[ping]") {
  std::string p = icmp_echo_request(0x1234, 0x0102, "t=NS_st");
  REQUIRE(p.size() == 8 + 7);
  CHECK(at(p, 0) == 8);  // Echo Request
  CHECK(at(p, 1) == 0);
  CHECK(internet_checksum(p) == 0);
  uint16_t id;
  std::memcpy(&id, p.data() + 4, 2);
  CHECK(id == 0x1234);  // host order: what `icmp_id = getpid() & 0xffff` stores
  CHECK(at(p, 6) == 0x01);  // seq in network order
  CHECK(at(p, 7) == 0x02);
  CHECK(p.substr(8) == "t=NS_st");
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  // §5.9: pid 10 shows up on the wire (network order) as id 2560.
  std::string q = icmp_echo_request(10, 0, "");
  CHECK(at(q, 4) == 10);
  CHECK(at(q, 5) == 0);
#endif
  // An odd payload length is padded for the checksum only.
  CHECK(internet_checksum(icmp_echo_request(0xffff, 0xffff, "abc")) == 0);
}

TEST_CASE("parse_echo_reply: only good Echo Replies", "[ping]") {
  std::string reply = echo_reply(0xbeef, 7, "hello");
  SECTION("a good reply") {
    auto r = parse_echo_reply(ipv4(reply, 0xc6120afe));
    REQUIRE(r);
    CHECK(r->from == htonl(0xc6120afe));
    CHECK(r->id == 0xbeef);
    CHECK(r->seq == 7);
    CHECK(r->payload == "hello");
  }
  SECTION("IP options (IHL > 5) are skipped") {
    auto r = parse_echo_reply(ipv4(reply, 0x7f000002, 12));
    REQUIRE(r);
    CHECK(r->from == htonl(0x7f000002));
    CHECK(r->payload == "hello");
  }
  SECTION("padding beyond the IP total length is not payload") {
    auto r = parse_echo_reply(ipv4(reply, 0x7f000001) + std::string(6, '\0'));
    REQUIRE(r);
    CHECK(r->payload == "hello");
  }
  SECTION("a bad checksum") {
    std::string bad = reply;
    bad.back() ^= 1;
    CHECK_FALSE(parse_echo_reply(ipv4(bad, 0x7f000001)));
  }
  SECTION("an Echo Request (type 8) is not a reply") {
    CHECK_FALSE(parse_echo_reply(ipv4(icmp_echo_request(0xbeef, 7, "hello"), 0x7f000001)));
  }
  SECTION("short packets") {
    std::string whole = ipv4(reply, 0x7f000001);
    CHECK_FALSE(parse_echo_reply(""));
    CHECK_FALSE(parse_echo_reply(whole.substr(0, 19)));
    CHECK_FALSE(parse_echo_reply(whole.substr(0, 27)));  // 7 of 8 ICMP header bytes
    CHECK_FALSE(parse_echo_reply(ipv4(reply, 0x7f000001, 40).substr(0, 40)));
  }
  SECTION("an IHL below 5 or another protocol") {
    std::string p = ipv4(reply, 0x7f000001);
    p[0] = 0x44;
    CHECK_FALSE(parse_echo_reply(p));
    p = ipv4(reply, 0x7f000001);
    p[9] = IPPROTO_UDP;
    CHECK_FALSE(parse_echo_reply(p));
  }
}

TEST_CASE("SeqWindow: one reply per seq, as ping_group.c's slots", "[ping]") {
  hbd::io::SeqWindow w;
  CHECK(w.first(0));  // heartbeat's zeroed slots would drop this one
  CHECK_FALSE(w.first(0));
  CHECK(w.first(1));
  CHECK(w.first(128));  // evicts 0 (same slot)
  CHECK(w.first(0));
  CHECK(w.first(65535));
  CHECK_FALSE(w.first(65535));
}

namespace {

// Raw ICMP sockets need CAP_NET_RAW; without it the loopback tests are skipped.
bool can_open_raw_socket() {
  int fd = ::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
  if (fd >= 0) return ::close(fd), true;
  WARN("skipping: no raw ICMP socket (" << std::strerror(errno) << ")");
  return false;
}

struct Receiver {
  std::vector<std::pair<std::string, std::string>> packets;  // payload, medium
  std::vector<std::pair<Level, std::string>> logs;
  std::unique_ptr<PingMedium> medium;

  Receiver(struct ev_loop* loop, PingSpec spec, uint16_t id) {
    medium = std::make_unique<PingMedium>(
        loop, std::move(spec),
        [this](std::string_view p, const std::string& m) { packets.emplace_back(p, m); },
        [this](Level l, const std::string& t) { logs.emplace_back(l, t); }, id);
  }
};

struct LoopFixture {
  struct ev_loop* loop = ev_loop_new(EVFLAG_AUTO);
  LoopRunner runner{loop};
  // Not a real heartbeat's id, and two different ones.
  uint16_t id = static_cast<uint16_t>((::getpid() & 0xffff) ^ 0x5a5a);
  ~LoopFixture() { ev_loop_destroy(loop); }
};

}  // namespace

TEST_CASE("PingMedium: a ping of 127.0.0.1 comes back as a packet", "[ping]") {
  if (!can_open_raw_socket()) return;
  LoopFixture f;
  {
    Receiver a(f.loop, PingSpec{"127.0.0.1", {"127.0.0.1"}, false}, f.id);
    Receiver b(f.loop, PingSpec{"127.0.0.1", {"127.0.0.1"}, false},
               static_cast<uint16_t>(f.id ^ 0xffff));
    CHECK_FALSE(a.medium->is_open());
    a.medium->send("dropped while closed");
    CHECK(a.medium->send_failures() == 1);
    a.medium->start();
    b.medium->start();
    REQUIRE(a.medium->is_open());
    REQUIRE(b.medium->is_open());
    CHECK(a.logs.back().second == "glib: ping heartbeat started.");

    a.medium->send("hello payload");
    CHECK(a.medium->sent() == 1);
    // b's socket sees a's reply too: wait until it has looked at it.
    REQUIRE(f.runner.run_until(
        [&] { return !a.packets.empty() && b.medium->replies_ignored() > 0; }, 2.));
    CHECK(a.packets.size() == 1);
    CHECK(a.packets[0].first == "hello payload");
    CHECK(a.packets[0].second == "127.0.0.1");
    CHECK(a.medium->replies_accepted() == 1);
    CHECK(b.packets.empty());
    CHECK(b.medium->replies_accepted() == 0);
  }
}

TEST_CASE("PingMedium: a ping group takes one reply per seq from any member", "[ping]") {
  if (!can_open_raw_socket()) return;
  LoopFixture f;
  {
    Receiver g(f.loop, PingSpec{"lo_group", {"127.0.0.1", "127.0.0.2"}, true}, f.id);
    g.medium->start();
    REQUIRE(g.medium->is_open());
    CHECK(g.logs.back().second == "glib: ping group heartbeat started.");

    // Both members answer seq 0; the second answer is a duplicate.
    g.medium->send("seq 0");
    CHECK(g.medium->sent() == 2);
    REQUIRE(f.runner.run_until(
        [&] { return !g.packets.empty() && g.medium->replies_ignored() > 0; }, 2.));
    REQUIRE(g.packets.size() == 1);
    CHECK(g.packets[0].first == "seq 0");
    CHECK(g.packets[0].second == "lo_group");

    g.medium->send("seq 1");
    REQUIRE(f.runner.run_until(
        [&] { return g.packets.size() > 1 && g.medium->replies_ignored() > 1; }, 2.));
    f.runner.run_until([] { return false; }, 0.1);  // any late duplicate
    REQUIRE(g.packets.size() == 2);
    CHECK(g.packets[1].first == "seq 1");
    CHECK(g.medium->replies_accepted() == 2);
  }
}

TEST_CASE("PingMedium: a reply from a non-member is not the group's", "[ping]") {
  if (!can_open_raw_socket()) return;
  LoopFixture f;
  {
    // The member 127.0.0.3 is never pinged by this medium; the other one
    // pings it with the same id (as two ping media of one daemon do).
    Receiver g(f.loop, PingSpec{"g3", {"127.0.0.3"}, true}, f.id);
    Receiver other(f.loop, PingSpec{"127.0.0.1", {"127.0.0.1"}, false}, f.id);
    g.medium->start();
    other.medium->start();
    other.medium->send("for 127.0.0.1 only");
    REQUIRE(f.runner.run_until(
        [&] { return !other.packets.empty() && g.medium->replies_ignored() > 0; }, 2.));
    CHECK(g.packets.empty());
    CHECK(other.packets.size() == 1);
  }
}

TEST_CASE("PingMedium: a medium that cannot open is retried, not fatal", "[ping]") {
  LoopFixture f;
  // No target (a resolver failure takes the same path, but may wait for DNS).
  Receiver r(f.loop, PingSpec{"nowhere", {}, false}, f.id);
  r.medium->start();
  CHECK_FALSE(r.medium->is_open());
  REQUIRE(r.logs.size() == 1);
  CHECK(r.logs[0].first == Level::Error);
  CHECK(r.logs[0].second == "glib: ping nowhere: no ping target (retrying)");
  REQUIRE(f.runner.run_until([&] { return r.logs.size() > 1; }, 2.));  // after 1 s
  CHECK(r.logs[1].first == Level::Debug);
  r.medium->send("x");
  CHECK(r.medium->send_failures() == 1);
  CHECK(r.medium->sent() == 0);
}
