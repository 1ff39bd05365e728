#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "io/arp_announcer.h"
#include "io/ev_test_loop.h"
#include "test/temp_dir.h"

using hbd::config::parse_resource;
using hbd::io::ArpOp;
using hbd::io::EvArpAnnouncer;
using hbd::io::gratuitous_arp_frame;
using hbd::io::InterfaceAddress;
using hbd::io::MacAddress;
using hbd::log::Level;

namespace {

uint32_t ip(const char* text) {
  in_addr a{};
  ::inet_pton(AF_INET, text, &a);
  return a.s_addr;
}

std::string hex(const std::string& bytes) {
  std::string out;
  char buf[3];
  for (unsigned char c : bytes) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    out += buf;
  }
  return out;
}

std::string command_output(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[512];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

using Logs = std::vector<std::pair<Level, std::string>>;

}  // namespace

TEST_CASE("arp timing follows the IP script", "[arp]") {
  CHECK(hbd::io::arp_timing_of(parse_resource("IPaddr2::198.18.9.1")).repeat == 5);
  CHECK(hbd::io::arp_timing_of(parse_resource("IPaddr2::198.18.9.1")).interval_ms == 200);
  CHECK(hbd::io::arp_timing_of(parse_resource("198.18.9.1")).repeat == 10);
  CHECK(hbd::io::arp_timing_of(parse_resource("198.18.9.1")).interval_ms == 500);
}

TEST_CASE("gratuitous ARP frames are byte for byte send_arp's", "[arp]") {
  // Captured with tcpdump -xx on a veth while send_arp -i 200 -r 2 ran for
  // 198.18.77.1 on an interface with MAC c6:e6:de:bf:b0:a3.
  MacAddress mac{0xc6, 0xe6, 0xde, 0xbf, 0xb0, 0xa3};
  CHECK(hex(gratuitous_arp_frame(ArpOp::Request, mac, ip("198.18.77.1"))) ==
        "ffffffffffffc6e6debfb0a308060001"
        "080006040001c6e6debfb0a3c6124d01"
        "000000000000c6124d01");
  CHECK(hex(gratuitous_arp_frame(ArpOp::Reply, mac, ip("198.18.77.1"))) ==
        "ffffffffffffc6e6debfb0a308060001"
        "080006040002c6e6debfb0a3c6124d01"
        "c6e6debfb0a3c6124d01");
}

TEST_CASE("arp announcer: addresses it cannot announce are logged, nothing sent", "[arp]") {
  struct ev_loop* loop = ev_loop_new(EVFLAG_AUTO);
  Logs logs;
  int listed = 0;
  {
    InterfaceAddress lo;
    lo.device = "lo";
    lo.ifindex = 1;
    lo.ip = ip("127.0.0.1");
    EvArpAnnouncer announcer(
        loop, [&](Level l, const std::string& t) { logs.emplace_back(l, t); }, {2, 100},
        [&] {
          ++listed;
          return std::vector<InterfaceAddress>{lo};
        });
    announcer.announce({"198.18.9.100", "127.0.0.1", "not-an-ip"});
    CHECK_FALSE(announcer.busy());
    announcer.announce({});
  }
  ev_loop_destroy(loop);
  CHECK(listed == 1);
  CHECK(logs == Logs{
                    {Level::Warn, "Cannot send gratuitous ARPs for 198.18.9.100: the address is "
                                  "not on any local interface"},
                    {Level::Info, "No gratuitous ARPs for 127.0.0.1: lo is not an Ethernet interface"},
                    {Level::Error, "Cannot send gratuitous ARPs for not-an-ip: not an IPv4 address"},
                });
}

namespace {

// Two network namespaces joined by a veth (eth0 on both sides); removed
// again whatever happens. Names start hbt-<pid>- so that test/hosts'
// hbt_sweep_stale removes them if this process is killed.
class NetnsPair {
 public:
  NetnsPair() {
    std::string prefix = "hbt-" + std::to_string(::getpid()) + "-arp";
    a = prefix + "a";
    b = prefix + "b";
    ok = sh("ip netns add " + a) && sh("ip netns add " + b) &&
         sh("ip -n " + a + " link add eth0 type veth peer name eth0 netns " + b) &&
         sh("ip -n " + a + " link set eth0 up") && sh("ip -n " + b + " link set eth0 up") &&
         hbd::testing::wait_for([&] {
           return command_output("ip -n " + a + " link show eth0").find("LOWER_UP") !=
                  std::string::npos;
         }, 5.);
  }
  ~NetnsPair() {
    sh("ip netns del " + a + " 2>/dev/null");
    sh("ip netns del " + b + " 2>/dev/null");
  }
  static bool sh(const std::string& command) { return std::system(command.c_str()) == 0; }
  std::string a, b;
  bool ok = false;
};

// Runs the calling thread in a named namespace until destroyed.
class InNetns {
 public:
  explicit InNetns(const std::string& name)
      : home_(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) {
    int fd = ::open(("/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
    entered_ = fd >= 0 && home_ >= 0 && ::setns(fd, CLONE_NEWNET) == 0;
    if (fd >= 0) ::close(fd);
  }
  ~InNetns() {
    if (entered_) (void)!::setns(home_, CLONE_NEWNET);
    if (home_ >= 0) ::close(home_);
  }
  bool entered() const { return entered_; }

 private:
  int home_;
  bool entered_ = false;
};

// Collects the ARP frames arriving on eth0 of the namespace it was made in.
struct ArpListener {
  int fd = -1;
  ev_io watcher;
  std::vector<std::string> frames;

  bool open() {
    fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ARP));
    sockaddr_ll at{};
    at.sll_family = AF_PACKET;
    at.sll_protocol = htons(ETH_P_ARP);
    at.sll_ifindex = static_cast<int>(::if_nametoindex("eth0"));
    return fd >= 0 && at.sll_ifindex > 0 &&
           ::bind(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0;
  }
  void start(struct ev_loop* loop) {
    ev_io_init(&watcher, [](struct ev_loop*, ev_io* w, int) {
      auto* self = static_cast<ArpListener*>(w->data);
      char buf[2048];
      ssize_t n;
      while ((n = ::recv(self->fd, buf, sizeof buf, 0)) > 0) self->frames.emplace_back(buf, size_t(n));
    }, fd, EV_READ);
    watcher.data = this;
    ev_io_start(loop, &watcher);
  }
  void stop(struct ev_loop* loop) { ev_io_stop(loop, &watcher); }
  ~ArpListener() {
    if (fd >= 0) ::close(fd);
  }
  // The frames whose sender IP is `ip`, cut to the 42 ARP bytes (a real NIC pads).
  std::vector<std::string> for_ip(uint32_t ip) const {
    std::vector<std::string> out;
    for (const auto& f : frames) {
      if (f.size() >= 42 && f.compare(28, 4, std::string(reinterpret_cast<const char*>(&ip), 4)) == 0) {
        out.push_back(f.substr(0, 42));
      }
    }
    return out;
  }
};

MacAddress parse_mac(const std::string& ip_link_output) {
  MacAddress mac{};
  auto at = ip_link_output.find("link/ether ");
  if (at == std::string::npos) return mac;
  unsigned v[6];
  if (std::sscanf(ip_link_output.c_str() + at + 11, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2],
                  &v[3], &v[4], &v[5]) == 6) {
    for (int i = 0; i < 6; ++i) mac[size_t(i)] = static_cast<uint8_t>(v[i]);
  }
  return mac;
}

}  // namespace

TEST_CASE("arp announcer: gratuitous ARPs reach the other end of a veth", "[arp][root]") {
  if (::geteuid() != 0) {
    WARN("needs root for network namespaces and packet sockets: skipped");
    return;
  }
  NetnsPair net;
  REQUIRE(net.ok);
  // One address on the device, one on an IPaddr-style alias label.
  REQUIRE(NetnsPair::sh("ip -n " + net.a + " addr add 198.18.77.10/24 dev eth0"));
  REQUIRE(NetnsPair::sh("ip -n " + net.a + " addr add 198.18.77.11/24 dev eth0 label eth0:0"));
  MacAddress mac = parse_mac(command_output("ip -n " + net.a + " link show eth0"));
  REQUIRE(mac != MacAddress{});

  hbd::testing::LoopRunner runner(ev_loop_new(EVFLAG_AUTO));
  struct ev_loop* loop = runner.loop();
  ArpListener listener;
  {
    InNetns in_b(net.b);
    REQUIRE(in_b.entered());
    REQUIRE(listener.open());
  }
  listener.start(loop);
  Logs logs;
  {
    EvArpAnnouncer announcer(loop, [&](Level l, const std::string& t) { logs.emplace_back(l, t); },
                             {2, 100});
    {
      InNetns in_a(net.a);
      REQUIRE(in_a.entered());
      announcer.announce({"198.18.77.10", "198.18.77.11", "198.18.77.12"});
    }
    CHECK(announcer.busy());
    CHECK(runner.run_until([&] { return !announcer.busy() && listener.frames.size() >= 8; }, 5.));
  }
  listener.stop(loop);
  ev_loop_destroy(loop);

  for (const char* address : {"198.18.77.10", "198.18.77.11"}) {
    INFO(address);
    auto request = gratuitous_arp_frame(ArpOp::Request, mac, ip(address));
    auto reply = gratuitous_arp_frame(ArpOp::Reply, mac, ip(address));
    CHECK(listener.for_ip(ip(address)) == std::vector<std::string>{request, reply, request, reply});
  }
  CHECK(listener.frames.size() == 8);
  std::sort(logs.begin() + 1, logs.end());  // the two runs end on the same tick, in either order
  CHECK(logs == Logs{
                    {Level::Warn, "Cannot send gratuitous ARPs for 198.18.77.12: the address is "
                                  "not on any local interface"},
                    {Level::Info, "sent 4 gratuitous ARPs for 198.18.77.10 on eth0"},
                    {Level::Info, "sent 4 gratuitous ARPs for 198.18.77.11 on eth0"},
                });

  // heartbeat's own send_arp, same place, same arguments as IPaddr2 but
  // shorter: the frames must be the very ones we send.
  const char* send_arp = "/usr/libexec/heartbeat/send_arp";
  if (::access(send_arp, X_OK) == 0) {
    listener.frames.clear();
    hbd::testing::TempDir dir;
    REQUIRE(NetnsPair::sh("ip netns exec " + net.a + " " + send_arp + " -i 100 -r 2 -p " +
                          dir.path() + "/send_arp.pid eth0 198.18.77.10 auto not_used not_used"));
    char buf[2048];
    ssize_t n;
    REQUIRE(hbd::testing::wait_for([&] {
      while ((n = ::recv(listener.fd, buf, sizeof buf, 0)) > 0) listener.frames.emplace_back(buf, size_t(n));
      return listener.frames.size() >= 4;
    }, 5.));
    auto request = gratuitous_arp_frame(ArpOp::Request, mac, ip("198.18.77.10"));
    auto reply = gratuitous_arp_frame(ArpOp::Reply, mac, ip("198.18.77.10"));
    CHECK(listener.for_ip(ip("198.18.77.10")) == std::vector<std::string>{request, reply, request, reply});
  }
}
