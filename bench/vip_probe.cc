// Benchmark probe: how long until a virtual IP answers from a given host.
// Run inside the client's network namespace; every 10 ms it broadcasts an
// ARP request for the address and waits for a reply whose sender is the
// expected MAC. Prints the milliseconds from the fault to the first such
// reply, and exits 0; prints "timeout" and exits 1 after the timeout.
//
// Usage: vip_probe IFACE VIP EXPECTED_MAC TIMEOUT_MS [-- FAULT COMMAND…]
// The fault command (the crash, hb_standby) is started at time zero, so the
// clock starts exactly with the fault; it is not waited for.
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sys/wait.h>
#include <string>

namespace {

int64_t now_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

bool parse_mac(const char* text, uint8_t mac[6]) {
  unsigned v[6];
  if (std::sscanf(text, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
    return false;
  for (int i = 0; i < 6; ++i) mac[i] = static_cast<uint8_t>(v[i]);
  return true;
}

struct __attribute__((packed)) ArpFrame {
  uint8_t dst[6], src[6];
  uint16_t type;
  uint16_t htype, ptype;
  uint8_t hlen, plen;
  uint16_t op;
  uint8_t sha[6];
  uint8_t spa[4];
  uint8_t tha[6];
  uint8_t tpa[4];
};

// Starts the fault command; returns the time it was started.
int64_t start_fault(char** command) {
  int64_t t0 = now_ms();
  if (command && *command) {
    pid_t pid = fork();
    if (pid == 0) {
      execvp(command[0], command);
      _exit(127);
    }
  }
  return t0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s IFACE VIP EXPECTED_MAC TIMEOUT_MS [-- COMMAND...]\n", argv[0]);
    return 2;
  }
  uint8_t want[6];
  in_addr vip{};
  if (!parse_mac(argv[3], want) || inet_pton(AF_INET, argv[2], &vip) != 1) {
    std::fprintf(stderr, "vip_probe: bad address\n");
    return 2;
  }
  int64_t timeout = std::atoll(argv[4]);
  int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ARP));
  if (fd < 0) {
    std::perror("vip_probe: socket");
    return 2;
  }
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
  if (ioctl(fd, SIOCGIFINDEX, &ifr) != 0) {
    std::perror("vip_probe: interface");
    return 2;
  }
  int index = ifr.ifr_ifindex;
  ioctl(fd, SIOCGIFHWADDR, &ifr);
  uint8_t mine[6];
  std::memcpy(mine, ifr.ifr_hwaddr.sa_data, 6);
  ioctl(fd, SIOCGIFADDR, &ifr);
  in_addr my_ip = reinterpret_cast<sockaddr_in*>(&ifr.ifr_addr)->sin_addr;

  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_ifindex = index;
  to.sll_halen = 6;
  std::memset(to.sll_addr, 0xff, 6);
  ArpFrame req{};
  std::memset(req.dst, 0xff, 6);
  std::memcpy(req.src, mine, 6);
  req.type = htons(ETH_P_ARP);
  req.htype = htons(ARPHRD_ETHER);
  req.ptype = htons(ETH_P_IP);
  req.hlen = 6;
  req.plen = 4;
  req.op = htons(ARPOP_REQUEST);
  std::memcpy(req.sha, mine, 6);
  std::memcpy(req.spa, &my_ip, 4);
  std::memcpy(req.tpa, &vip, 4);

  char** fault = nullptr;
  if (argc > 6 && std::strcmp(argv[5], "--") == 0) fault = argv + 6;
  int64_t t0 = start_fault(fault);
  int64_t next_send = 0;
  while (now_ms() - t0 < timeout) {
    int64_t now = now_ms();
    if (now >= next_send) {
      sendto(fd, &req, sizeof req, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
      next_send = now + 10;
    }
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(next_send - now)) <= 0) continue;
    ArpFrame reply{};
    if (recv(fd, &reply, sizeof reply, 0) < static_cast<ssize_t>(sizeof reply)) continue;
    if (ntohs(reply.op) != ARPOP_REPLY || std::memcmp(reply.spa, &vip, 4) != 0) continue;
    if (std::memcmp(reply.sha, want, 6) != 0) continue;
    std::printf("%lld\n", static_cast<long long>(now_ms() - t0));
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    return 0;
  }
  std::printf("timeout\n");
  return 1;
}
