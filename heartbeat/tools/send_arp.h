// send_arp: the gratuitous-ARP sender and duplicate-address probe that
// hbd's IPaddr, IPaddr2 and SendArp scripts run (heartbeat ships a send_arp
// of its own in /usr/libexec/heartbeat; this one takes its arguments).
//
//   send_arp [-i MS] [-r N] [-p PIDFILE] DEVICE IP [ignored...]
//       N request+reply pairs for IP from DEVICE's MAC, MS apart (a frame
//       every MS/2), as heartbeat's send_arp does (IPaddr: -i 500 -r 10).
//   send_arp -D [-w MS] DEVICE IP
//       duplicate address detection: ARP probes (sender 0.0.0.0, RFC 5227)
//       for IP; exit 1 and name the MAC when another host answers within
//       MS (default 300), 0 when nobody does.
// Exit 2 on bad arguments, 3 when the device or socket cannot be used.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "io/arp_announcer.h"

namespace hbd::tools {

struct SendArpOptions {
  bool probe = false;
  int interval_ms = 500;
  int repeat = 10;
  int wait_ms = 300;
  std::string pidfile;
  std::string device;
  uint32_t ip = 0;  // network byte order
  std::string ip_text;
};

// Options, or the reason the arguments are wrong.
std::variant<SendArpOptions, std::string> parse_send_arp_args(const std::vector<std::string>& args);

std::string send_arp_usage();

// An ARP probe for `ip`: a broadcast request with sender address 0.0.0.0.
std::string arp_probe_frame(const io::MacAddress& mac, uint32_t ip);

// The MAC of another host that `frame` (a received Ethernet frame) shows
// using `ip`: an ARP request or reply whose sender address is `ip` and
// whose sender MAC is not `own`.
std::optional<io::MacAddress> arp_claim_of(const std::string& frame, uint32_t ip,
                                           const io::MacAddress& own);

std::string mac_text(const io::MacAddress& mac);

}  // namespace hbd::tools
