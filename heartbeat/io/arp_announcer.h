// Gratuitous ARP for the virtual IPs a node keeps: after a split brain
// heals, the side that keeps a group re-announces its addresses so that
// clients' ARP caches point at it again.
//
// What heartbeat's IPaddr/IPaddr2 do (resource-agents on Debian 12, via
// /usr/libexec/heartbeat/send_arp, the libnet build), observed on a veth:
// for each repeat a PAIR of broadcast frames, an ARP request
// "who-has IP tell IP" (target MAC 00:00:00:00:00:00) then an ARP reply
// "IP is-at MAC" (target MAC = own MAC), both with sender = target = the
// IP, from the interface's MAC to ff:ff:ff:ff:ff:ff; one frame every half
// interval. IPaddr: `-i 500 -r 10` (10 pairs, a frame every 250 ms);
// IPaddr2: `-i 200 -r 5` (5 pairs, a frame every 100 ms).
#pragma once
#include <ev.h>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/haresources.h"
#include "log/format.h"

namespace hbd::io {

// Which addresses a group carries: resources::vip_of (resources/vip.h).
struct ArpTiming {
  int repeat = 10;        // request+reply pairs
  int interval_ms = 500;  // between pairs; frames go every interval/2
};
inline constexpr ArpTiming kIPaddrArpTiming{10, 500};
inline constexpr ArpTiming kIPaddr2ArpTiming{5, 200};

// The timing heartbeat's wrapper for this resource uses (IPaddr2's for
// IPaddr2, IPaddr's otherwise).
ArpTiming arp_timing_of(const config::Resource& resource);

using MacAddress = std::array<uint8_t, 6>;
enum class ArpOp : uint16_t { Request = 1, Reply = 2 };

// One gratuitous ARP Ethernet frame (42 bytes), exactly as send_arp's.
// `ip` in network byte order.
std::string gratuitous_arp_frame(ArpOp op, const MacAddress& mac, uint32_t ip);

// An IPv4 address configured on a local interface.
struct InterfaceAddress {
  std::string device;  // "eth0" (an alias label "eth0:0" reduced to its device)
  int ifindex = 0;
  bool ethernet = false;  // has an Ethernet hardware address (not lo, tun, ...)
  MacAddress mac{};
  uint32_t ip = 0;        // network byte order
};
using ListAddresses = std::function<std::vector<InterfaceAddress>()>;
// getifaddrs(3) in the calling thread's network namespace.
std::vector<InterfaceAddress> system_addresses();

class ArpAnnouncer {
 public:
  virtual ~ArpAnnouncer() = default;
  // For each address: find the interface carrying it and send gratuitous
  // ARPs there, spread over time from the loop. An address announced again
  // while its announcement runs starts over. Outcomes are logged.
  virtual void announce(const std::vector<std::string>& ipv4s) = 0;
};

// libev + AF_PACKET (needs CAP_NET_RAW). Logs, per address, either
//   info: sent 20 gratuitous ARPs for 198.18.9.100 on eth0
// or why nothing (or not everything) was sent. The raw socket is made at
// the first announcement, in that moment's network namespace.
class EvArpAnnouncer : public ArpAnnouncer {
 public:
  using OnLog = std::function<void(log::Level, const std::string&)>;
  struct Run;

  EvArpAnnouncer(struct ev_loop* loop, OnLog on_log, ArpTiming timing = kIPaddrArpTiming,
                 ListAddresses list = system_addresses);
  ~EvArpAnnouncer() override;
  EvArpAnnouncer(const EvArpAnnouncer&) = delete;
  EvArpAnnouncer& operator=(const EvArpAnnouncer&) = delete;

  void announce(const std::vector<std::string>& ipv4s) override;
  bool busy() const { return !runs_.empty(); }

  void on_tick(Run& run);

 private:
  std::optional<InterfaceAddress> locate(const std::string& ip,
                                         const std::vector<InterfaceAddress>& local);
  bool open_socket();
  void send_next(Run& run);
  void finish(Run& run);

  struct ev_loop* loop_;
  OnLog on_log_;
  ArpTiming timing_;
  ListAddresses list_;
  int fd_ = -1;
  std::map<std::string, std::unique_ptr<Run>> runs_;  // by address
};

}  // namespace hbd::io
