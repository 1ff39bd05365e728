#include "tools/send_arp.h"

#include <arpa/inet.h>
#include <net/ethernet.h>
#include <net/if_arp.h>

#include <cstdio>
#include <cstdlib>

namespace hbd::tools {
namespace {

std::optional<int> number(const std::string& text, int low, int high) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  int v = std::atoi(text.c_str());
  if (v < low || v > high) return std::nullopt;
  return v;
}

uint16_t get16(const std::string& f, size_t at) {
  return static_cast<uint16_t>((static_cast<uint8_t>(f[at]) << 8) | static_cast<uint8_t>(f[at + 1]));
}

}  // namespace

std::string send_arp_usage() {
  return "usage: send_arp [-i MS] [-r N] [-p PIDFILE] DEVICE IP [ignored...]\n"
         "       send_arp -D [-w MS] DEVICE IP\n";
}

std::variant<SendArpOptions, std::string> parse_send_arp_args(
    const std::vector<std::string>& args) {
  SendArpOptions o;
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-D") {
      o.probe = true;
      continue;
    }
    if (a == "-i" || a == "-r" || a == "-w" || a == "-p") {
      if (i + 1 >= args.size()) return "option " + a + " needs a value";
      const std::string& v = args[++i];
      if (a == "-p") {
        o.pidfile = v;
        continue;
      }
      auto n = number(v, a == "-r" ? 1 : 0, a == "-r" ? 1000 : 600000);
      if (!n) return "bad value for " + a + ": " + v;
      (a == "-i" ? o.interval_ms : a == "-r" ? o.repeat : o.wait_ms) = *n;
      continue;
    }
    if (a.size() > 1 && a[0] == '-') return "unknown option " + a;
    rest.push_back(a);
  }
  // heartbeat's IPaddr passes "auto <ip> ffffffffffff" after the address.
  if (rest.size() < 2) return "DEVICE and IP are needed";
  if (o.probe && rest.size() > 2) return "-D takes only DEVICE and IP";
  o.device = rest[0];
  o.ip_text = rest[1];
  in_addr addr;
  if (inet_pton(AF_INET, o.ip_text.c_str(), &addr) != 1) return "not an IPv4 address: " + o.ip_text;
  o.ip = addr.s_addr;
  return o;
}

std::string arp_probe_frame(const io::MacAddress& mac, uint32_t ip) {
  // A request "who-has ip" is the gratuitous request with the sender
  // address zeroed (bytes 28..31 of the frame).
  std::string f = io::gratuitous_arp_frame(io::ArpOp::Request, mac, ip);
  for (size_t i = 28; i < 32; ++i) f[i] = 0;
  return f;
}

std::optional<io::MacAddress> arp_claim_of(const std::string& f, uint32_t ip,
                                           const io::MacAddress& own) {
  if (f.size() < 42) return std::nullopt;
  if (get16(f, 12) != ETHERTYPE_ARP || get16(f, 14) != ARPHRD_ETHER ||
      get16(f, 16) != ETHERTYPE_IP || f[18] != 6 || f[19] != 4)
    return std::nullopt;
  uint16_t op = get16(f, 20);
  if (op != 1 && op != 2) return std::nullopt;
  io::MacAddress sender;
  for (size_t i = 0; i < 6; ++i) sender[i] = static_cast<uint8_t>(f[22 + i]);
  uint32_t sender_ip;
  f.copy(reinterpret_cast<char*>(&sender_ip), 4, 28);
  if (sender_ip != ip || sender == own) return std::nullopt;
  return sender;
}

std::string mac_text(const io::MacAddress& mac) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
                mac[4], mac[5]);
  return buf;
}

}  // namespace hbd::tools
