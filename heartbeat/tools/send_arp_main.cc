// The send_arp program: arguments in tools/send_arp.h. Small and blocking
// on purpose: it runs in the background of a resource script.
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "tools/send_arp.h"

namespace {

using hbd::io::MacAddress;
using hbd::tools::SendArpOptions;

struct Device {
  int ifindex = 0;
  MacAddress mac{};
};

bool open_device(const std::string& name, int& fd, Device& dev) {
  fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ARP));
  if (fd < 0) {
    std::fprintf(stderr, "send_arp: packet socket: %s\n", std::strerror(errno));
    return false;
  }
  ifreq req{};
  if (name.size() >= sizeof req.ifr_name) {
    std::fprintf(stderr, "send_arp: device name too long: %s\n", name.c_str());
    return false;
  }
  std::strcpy(req.ifr_name, name.c_str());
  if (::ioctl(fd, SIOCGIFINDEX, &req) != 0) {
    std::fprintf(stderr, "send_arp: no device %s: %s\n", name.c_str(), std::strerror(errno));
    return false;
  }
  dev.ifindex = req.ifr_ifindex;
  if (::ioctl(fd, SIOCGIFHWADDR, &req) != 0 || req.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
    std::fprintf(stderr, "send_arp: %s has no Ethernet address\n", name.c_str());
    return false;
  }
  std::memcpy(dev.mac.data(), req.ifr_hwaddr.sa_data, 6);
  sockaddr_ll at{};
  at.sll_family = AF_PACKET;
  at.sll_protocol = htons(ETH_P_ARP);
  at.sll_ifindex = dev.ifindex;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0) {
    std::fprintf(stderr, "send_arp: bind to %s: %s\n", name.c_str(), std::strerror(errno));
    return false;
  }
  return true;
}

bool send_frame(int fd, const Device& dev, const std::string& frame) {
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_ifindex = dev.ifindex;
  to.sll_halen = 6;
  std::memset(to.sll_addr, 0xff, 6);
  return ::sendto(fd, frame.data(), frame.size(), 0, reinterpret_cast<sockaddr*>(&to),
                  sizeof to) == static_cast<ssize_t>(frame.size());
}

void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

int announce(const SendArpOptions& o, int fd, const Device& dev) {
  using hbd::io::ArpOp;
  using hbd::io::gratuitous_arp_frame;
  int sent = 0;
  for (int r = 0; r < o.repeat; ++r) {
    if (r > 0) sleep_ms(o.interval_ms / 2);
    sent += send_frame(fd, dev, gratuitous_arp_frame(ArpOp::Request, dev.mac, o.ip));
    sleep_ms(o.interval_ms / 2);
    sent += send_frame(fd, dev, gratuitous_arp_frame(ArpOp::Reply, dev.mac, o.ip));
  }
  if (sent == 0) {
    std::fprintf(stderr, "send_arp: could not send on %s: %s\n", o.device.c_str(),
                 std::strerror(errno));
    return 3;
  }
  return 0;
}

// Probes at 0, wait/3 and 2·wait/3; any claim of the address before the
// wait is over means it is in use.
int probe(const SendArpOptions& o, int fd, const Device& dev) {
  using Clock = std::chrono::steady_clock;
  const std::string frame = hbd::tools::arp_probe_frame(dev.mac, o.ip);
  const auto start = Clock::now();
  const auto end = start + std::chrono::milliseconds(o.wait_ms);
  int probes_sent = 0;
  for (;;) {
    auto now = Clock::now();
    if (now >= end) break;
    auto due = start + std::chrono::milliseconds(o.wait_ms * probes_sent / 3);
    if (probes_sent < 3 && now >= due) {
      if (!send_frame(fd, dev, frame)) {
        std::fprintf(stderr, "send_arp: could not send on %s: %s\n", o.device.c_str(),
                     std::strerror(errno));
        return 3;
      }
      ++probes_sent;
      continue;
    }
    auto next = probes_sent < 3 ? start + std::chrono::milliseconds(o.wait_ms * probes_sent / 3)
                                : end;
    int ms = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count()) + 1;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, ms) <= 0) continue;
    char buf[256];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) continue;
    if (auto who = hbd::tools::arp_claim_of(std::string(buf, n), o.ip, dev.mac)) {
      std::printf("%s is in use by %s\n", o.ip_text.c_str(), hbd::tools::mac_text(*who).c_str());
      return 1;
    }
  }
  return 0;
}

void write_pidfile(const std::string& path) {
  if (path.empty()) return;
  if (FILE* f = std::fopen(path.c_str(), "w")) {
    std::fprintf(f, "%d\n", static_cast<int>(::getpid()));
    std::fclose(f);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = hbd::tools::parse_send_arp_args(args);
  if (auto* why = std::get_if<std::string>(&parsed)) {
    std::fprintf(stderr, "send_arp: %s\n%s", why->c_str(), hbd::tools::send_arp_usage().c_str());
    return 2;
  }
  const auto& o = std::get<SendArpOptions>(parsed);
  int fd = -1;
  Device dev;
  if (!open_device(o.device, fd, dev)) return 3;
  if (o.probe) return probe(o, fd, dev);
  write_pidfile(o.pidfile);
  int rc = announce(o, fd, dev);
  if (!o.pidfile.empty()) ::unlink(o.pidfile.c_str());
  return rc;
}
