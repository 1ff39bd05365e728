#include "resources/vip.h"

#include <catch2/catch.hpp>

using hbd::config::parse_resource;
using hbd::resources::vip_of;

TEST_CASE("vip_of: IPaddr, IPaddr2 and the IP shorthand", "[resources]") {
  auto vip = [](const char* token) { return vip_of(parse_resource(token)); };
  CHECK(vip("198.18.9.100") == std::optional<std::string>("198.18.9.100"));
  CHECK(vip("198.18.9.100/24/eth0") == std::optional<std::string>("198.18.9.100"));
  CHECK(vip("IPaddr::198.18.9.100/24/eth0/198.18.9.255") == std::optional<std::string>("198.18.9.100"));
  CHECK(vip("IPaddr::198.18.9.100/24/198.18.9.255") == std::optional<std::string>("198.18.9.100"));
  CHECK(vip("IPaddr::198.18.9.100/255.255.255.0/eth0:3") == std::optional<std::string>("198.18.9.100"));
  CHECK(vip("IPaddr2::198.18.9.101/24/eth0:web") == std::optional<std::string>("198.18.9.101"));
  CHECK(vip("IPaddr2::198.18.9.101") == std::optional<std::string>("198.18.9.101"));
  // Not an address resource, or a form heartbeat's wrappers refuse.
  CHECK_FALSE(vip("Filesystem::/dev/sdb1::/data::ext4"));
  CHECK_FALSE(vip("IPsrcaddr::198.18.9.100"));
  CHECK_FALSE(vip("IPv6addr::2001:db8::1"));
  CHECK_FALSE(vip("IPaddr"));
  CHECK_FALSE(vip("IPaddr::198.18.9.100::extra"));
  CHECK_FALSE(vip("IPaddr2::ip=198.18.9.101"));  // the wrapper takes no key=value
  CHECK_FALSE(vip("IPaddr::eth0"));
  CHECK_FALSE(vip("IPaddr::198.18.9.300/24"));
  CHECK_FALSE(vip("ipaddr::198.18.9.100"));  // script names are case-sensitive files
}
