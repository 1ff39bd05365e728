#include "io/arp_announcer.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hbd::io {

struct EvArpAnnouncer::Run {
  EvArpAnnouncer* owner = nullptr;
  std::string ip_text;
  InterfaceAddress where;
  int frames = 0;  // to send in all
  int sent = 0;
  int attempted = 0;
  std::string first_error;
  ev_timer timer;
};

namespace {

void tick_cb(struct ev_loop*, ev_timer* w, int) {
  auto* run = static_cast<EvArpAnnouncer::Run*>(w->data);
  run->owner->on_tick(*run);
}

void put16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v & 0xff));
}

void put_mac(std::string& out, const MacAddress& mac) { out.append(mac.begin(), mac.end()); }

void put_ip(std::string& out, uint32_t ip) {
  out.append(reinterpret_cast<const char*>(&ip), 4);  // already network order
}

}  // namespace

ArpTiming arp_timing_of(const config::Resource& resource) {
  return resource.script == "IPaddr2" ? kIPaddr2ArpTiming : kIPaddrArpTiming;
}

std::string gratuitous_arp_frame(ArpOp op, const MacAddress& mac, uint32_t ip) {
  static const MacAddress broadcast{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  static const MacAddress zero{};
  std::string f;
  put_mac(f, broadcast);
  put_mac(f, mac);
  put16(f, ETHERTYPE_ARP);
  put16(f, ARPHRD_ETHER);
  put16(f, ETHERTYPE_IP);
  f.push_back(6);
  f.push_back(4);
  put16(f, static_cast<uint16_t>(op));
  put_mac(f, mac);
  put_ip(f, ip);
  put_mac(f, op == ArpOp::Request ? zero : mac);
  put_ip(f, ip);
  return f;
}

std::vector<InterfaceAddress> system_addresses() {
  std::vector<InterfaceAddress> out;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  struct Link {
    int ifindex = 0;
    bool ethernet = false;
    MacAddress mac{};
  };
  std::map<std::string, Link> links;
  for (ifaddrs* a = list; a; a = a->ifa_next) {
    if (!a->ifa_addr || a->ifa_addr->sa_family != AF_PACKET) continue;
    const auto* ll = reinterpret_cast<const sockaddr_ll*>(a->ifa_addr);
    Link link;
    link.ifindex = ll->sll_ifindex;
    link.ethernet = ll->sll_hatype == ARPHRD_ETHER && ll->sll_halen == 6 &&
                    !(a->ifa_flags & IFF_LOOPBACK);
    std::memcpy(link.mac.data(), ll->sll_addr, 6);
    links[a->ifa_name] = link;
  }
  for (ifaddrs* a = list; a; a = a->ifa_next) {
    if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
    InterfaceAddress addr;
    std::string label = a->ifa_name;
    addr.device = label.substr(0, label.find(':'));
    addr.ip = reinterpret_cast<const sockaddr_in*>(a->ifa_addr)->sin_addr.s_addr;
    auto link = links.find(addr.device);
    if (link != links.end()) {
      addr.ifindex = link->second.ifindex;
      addr.ethernet = link->second.ethernet;
      addr.mac = link->second.mac;
    }
    out.push_back(addr);
  }
  ::freeifaddrs(list);
  return out;
}

EvArpAnnouncer::EvArpAnnouncer(struct ev_loop* loop, OnLog on_log, ArpTiming timing,
                               ListAddresses list)
    : loop_(loop), on_log_(std::move(on_log)), timing_(timing), list_(std::move(list)) {}

EvArpAnnouncer::~EvArpAnnouncer() {
  for (auto& [ip, run] : runs_) ev_timer_stop(loop_, &run->timer);
  if (fd_ >= 0) ::close(fd_);
}

std::optional<InterfaceAddress> EvArpAnnouncer::locate(
    const std::string& ip, const std::vector<InterfaceAddress>& local) {
  in_addr wanted;
  if (::inet_pton(AF_INET, ip.c_str(), &wanted) != 1) {
    on_log_(log::Level::Error, "Cannot send gratuitous ARPs for " + ip + ": not an IPv4 address");
    return std::nullopt;
  }
  for (const auto& a : local) {
    if (a.ip != wanted.s_addr) continue;
    if (!a.ethernet || a.ifindex <= 0) {
      on_log_(log::Level::Info, "No gratuitous ARPs for " + ip + ": " + a.device +
                                    " is not an Ethernet interface");
      return std::nullopt;
    }
    return a;
  }
  on_log_(log::Level::Warn, "Cannot send gratuitous ARPs for " + ip +
                                ": the address is not on any local interface");
  return std::nullopt;
}

bool EvArpAnnouncer::open_socket() {
  if (fd_ >= 0) return true;
  // Protocol 0: this socket only sends, nothing is queued to it.
  fd_ = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd_ < 0) {
    on_log_(log::Level::Error,
            std::string("Cannot send gratuitous ARPs: packet socket: ") + std::strerror(errno));
  }
  return fd_ >= 0;
}

void EvArpAnnouncer::announce(const std::vector<std::string>& ipv4s) {
  if (ipv4s.empty() || timing_.repeat <= 0) return;
  auto local = list_();
  for (const auto& ip : ipv4s) {
    auto where = locate(ip, local);
    if (!where || !open_socket()) continue;
    auto old = runs_.find(ip);
    if (old != runs_.end()) {
      ev_timer_stop(loop_, &old->second->timer);
      runs_.erase(old);
    }
    auto run = std::make_unique<Run>();
    run->owner = this;
    run->ip_text = ip;
    run->where = *where;
    run->frames = 2 * timing_.repeat;
    double gap = timing_.interval_ms / 2000.;
    ev_timer_init(&run->timer, tick_cb, gap, gap);
    run->timer.data = run.get();
    Run& started = *run;
    runs_[ip] = std::move(run);
    send_next(started);  // the first frame goes at once, like send_arp's
    if (started.attempted < started.frames) ev_timer_start(loop_, &started.timer);
    else finish(started);
  }
}

void EvArpAnnouncer::on_tick(Run& run) {
  send_next(run);
  if (run.attempted >= run.frames) finish(run);
}

void EvArpAnnouncer::send_next(Run& run) {
  ArpOp op = run.attempted % 2 == 0 ? ArpOp::Request : ArpOp::Reply;
  ++run.attempted;
  std::string frame = gratuitous_arp_frame(op, run.where.mac, run.where.ip);
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_protocol = htons(ETH_P_ARP);
  to.sll_ifindex = run.where.ifindex;
  to.sll_halen = 6;
  std::memset(to.sll_addr, 0xff, 6);
  ssize_t n = ::sendto(fd_, frame.data(), frame.size(), 0, reinterpret_cast<sockaddr*>(&to),
                       sizeof to);
  if (n == static_cast<ssize_t>(frame.size())) ++run.sent;
  else if (run.first_error.empty()) run.first_error = n < 0 ? std::strerror(errno) : "short write";
}

void EvArpAnnouncer::finish(Run& run) {
  ev_timer_stop(loop_, &run.timer);
  std::string where = " for " + run.ip_text + " on " + run.where.device;
  if (run.first_error.empty()) {
    on_log_(log::Level::Info, "sent " + std::to_string(run.sent) + " gratuitous ARPs" + where);
  } else {
    on_log_(log::Level::Warn, "sent " + std::to_string(run.sent) + " of " +
                                  std::to_string(run.frames) + " gratuitous ARPs" + where +
                                  " (" + run.first_error + ")");
  }
  runs_.erase(run.ip_text);  // destroys `run`
}

}  // namespace hbd::io
