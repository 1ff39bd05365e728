#include "tools/send_arp.h"

#include <arpa/inet.h>

#include <catch2/catch.hpp>

using hbd::tools::parse_send_arp_args;
using hbd::tools::SendArpOptions;

namespace {
uint32_t ip_of(const char* text) {
  in_addr a;
  inet_pton(AF_INET, text, &a);
  return a.s_addr;
}
const hbd::io::MacAddress kOwn{2, 0, 0, 0, 0, 1};
const hbd::io::MacAddress kOther{2, 0, 0, 0, 0, 2};
}  // namespace

TEST_CASE("send_arp takes heartbeat's IPaddr arguments") {
  auto r = parse_send_arp_args({"-i", "500", "-r", "10", "-p", "/run/x", "eth0", "198.18.1.5",
                                "auto", "198.18.1.5", "ffffffffffff"});
  auto* o = std::get_if<SendArpOptions>(&r);
  REQUIRE(o);
  CHECK(o->interval_ms == 500);
  CHECK(o->repeat == 10);
  CHECK(o->pidfile == "/run/x");
  CHECK(o->device == "eth0");
  CHECK(o->ip == ip_of("198.18.1.5"));
  CHECK_FALSE(o->probe);
}

TEST_CASE("send_arp refuses what it cannot use") {
  CHECK(std::holds_alternative<std::string>(parse_send_arp_args({"eth0"})));
  CHECK(std::holds_alternative<std::string>(parse_send_arp_args({"eth0", "198.18.1"})));
  CHECK(std::holds_alternative<std::string>(parse_send_arp_args({"-r", "0", "eth0", "198.18.1.5"})));
  CHECK(std::holds_alternative<std::string>(parse_send_arp_args({"-i"})));
  CHECK(std::holds_alternative<std::string>(parse_send_arp_args({"-x", "eth0", "198.18.1.5"})));
  CHECK(std::holds_alternative<std::string>(
      parse_send_arp_args({"-D", "eth0", "198.18.1.5", "extra"})));
}

TEST_CASE("an ARP probe asks for the address with sender 0.0.0.0") {
  std::string f = hbd::tools::arp_probe_frame(kOwn, ip_of("198.18.1.5"));
  REQUIRE(f.size() == 42);
  CHECK(f.substr(28, 4) == std::string(4, '\0'));
  uint32_t target;
  f.copy(reinterpret_cast<char*>(&target), 4, 38);
  CHECK(target == ip_of("198.18.1.5"));
  CHECK(f[21] == 1);  // request
  // Our own probe is no claim, even were it sent with the address.
  CHECK_FALSE(hbd::tools::arp_claim_of(f, ip_of("198.18.1.5"), kOwn));
}

TEST_CASE("another host's ARP for the address is a claim; ours and others' are not") {
  uint32_t ip = ip_of("198.18.1.5");
  auto reply = hbd::io::gratuitous_arp_frame(hbd::io::ArpOp::Reply, kOther, ip);
  auto claim = hbd::tools::arp_claim_of(reply, ip, kOwn);
  REQUIRE(claim);
  CHECK(hbd::tools::mac_text(*claim) == "02:00:00:00:00:02");
  CHECK_FALSE(hbd::tools::arp_claim_of(reply, ip, kOther));
  CHECK_FALSE(hbd::tools::arp_claim_of(reply, ip_of("198.18.1.6"), kOwn));
  // Another host probing for it too (sender 0.0.0.0) does not use it yet.
  CHECK_FALSE(hbd::tools::arp_claim_of(hbd::tools::arp_probe_frame(kOther, ip), ip, kOwn));
  CHECK_FALSE(hbd::tools::arp_claim_of(reply.substr(0, 30), ip, kOwn));
}
