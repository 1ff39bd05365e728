#include <catch2/catch.hpp>

#include "config/haresources.h"

using namespace hbd::config;

namespace {
const std::string kPath = "/etc/ha.d/haresources";
using Args = std::vector<std::string>;
}  // namespace

TEST_CASE("haresources: the spec's example", "[config]") {
  auto r = parse_haresources(
      "# comment line\n"
      "NodeA   198.18.9.100 Filesystem::/dev/sdb1::/data::ext3::rw,noatime  httpd   # trailing comment\n"
      "nodeB\tIPaddr2::198.18.9.101/24/eth0 \\\n"
      "\tlabrsc::B1 \\\n"
      "\tlabrsc::B2\n"
      "   nodea  drbddisk::r0 Filesystem::/dev/drbd0::/srv::ext4\n",
      kPath);
  CHECK(r.diagnostics.empty());
  REQUIRE(r.groups.size() == 3);
  const auto& a = r.groups[0];
  CHECK(a.node == "NodeA");
  CHECK(a.line == 2);
  CHECK(a.key() == "198.18.9.100");
  REQUIRE(a.resources.size() == 3);
  CHECK(a.resources[0].script == "IPaddr");
  CHECK(a.resources[0].args == Args{"198.18.9.100"});
  CHECK(a.resources[1].script == "Filesystem");
  CHECK(a.resources[1].args == Args{"/dev/sdb1", "/data", "ext3", "rw,noatime"});
  CHECK(a.resources[2].script == "httpd");
  CHECK(a.resources[2].args.empty());
  const auto& b = r.groups[1];
  CHECK(b.node == "nodeB");
  CHECK(b.line == 3);
  CHECK(b.key() == "IPaddr2::198.18.9.101/24/eth0");
  REQUIRE(b.resources.size() == 3);
  CHECK(b.resources[2].args == Args{"B2"});
  CHECK(b.line_text == "nodeB IPaddr2::198.18.9.101/24/eth0 labrsc::B1 labrsc::B2");
  const auto& c = r.groups[2];
  CHECK(c.line == 6);
  CHECK(c.key() == "drbddisk::r0");
}

TEST_CASE("haresources: continuation only right before the newline", "[config]") {
  auto r = parse_haresources("node1 a \\ \nnode2 b \\\r\nnode3 c\\\nd\n", kPath);
  REQUIRE(r.groups.size() == 3);
  REQUIRE(r.groups[0].resources.size() == 2);  // a lone backslash is just a token
  CHECK(r.groups[0].resources[1].token == "\\");
  // "\\\r": the CR breaks the continuation; the backslash is a token
  CHECK(r.groups[1].resources.size() == 2);
  CHECK(r.groups[2].node == "node3");
  CHECK(r.groups[2].line == 3);
  REQUIRE(r.groups[2].resources.size() == 2);
  CHECK(r.groups[2].resources[1].token == "d");
}

TEST_CASE("haresources: comments anywhere, blank lines, last line without newline", "[config]") {
  auto r = parse_haresources("#node3 x\n\n  \t\nnode1 a # node3 b\nnode2 c \\", kPath);
  REQUIRE(r.groups.size() == 2);
  CHECK(r.groups[0].resources.size() == 1);
  CHECK(r.groups[1].key() == "c");
}

TEST_CASE("haresources: IP shorthand rule", "[config]") {
  CHECK(is_ip_shorthand("198.18.0.5"));
  CHECK(is_ip_shorthand("198.18.0.5/24/eth0/198.18.0.255"));
  CHECK(is_ip_shorthand("1a.2b.3c.4d"));
  CHECK_FALSE(is_ip_shorthand("a198.18.0.5"));
  CHECK_FALSE(is_ip_shorthand("198.18.0"));
  CHECK_FALSE(is_ip_shorthand("198.18.0."));
  CHECK_FALSE(is_ip_shorthand("2001:db8::1"));
  CHECK_FALSE(is_ip_shorthand("IPaddr::198.18.0.5"));
  CHECK(parse_resource("198.18.0.5/24").script == "IPaddr");
}

TEST_CASE("haresources: :: splitting keeps single colons and drops empty args", "[config]") {
  auto fs = parse_resource("Filesystem::nfssrv:/export::/mnt::nfs::ro");
  CHECK(fs.script == "Filesystem");
  CHECK(fs.args == Args{"nfssrv:/export", "/mnt", "nfs", "ro"});
  auto gaps = parse_resource("x::::y::");
  CHECK(gaps.script == "x");
  CHECK(gaps.args == Args{"y"});
  CHECK(parse_resource("httpd").args.empty());
}

TEST_CASE("haresources: duplicate keys and lone nodes are warned about", "[config]") {
  auto r = parse_haresources("node1 a b\nnode2 a\nnode1\n", kPath);
  REQUIRE(r.diagnostics.size() == 2);
  CHECK(r.diagnostics[0].severity == Severity::Warning);
  CHECK(r.diagnostics[0].line == 2);
  CHECK(r.diagnostics[1].line == 3);
  CHECK(r.groups.size() == 2);
}

TEST_CASE("haresources: heartbeat's node check takes the first word as it is", "[config]") {
  // gen-haresources-hash-glued-node: '#' inside the first word is no comment.
  auto r = parse_haresources("node1#x 198.18.9.100\n# c\n  # c\n", "h");
  REQUIRE(r.node_lines.size() == 1);
  CHECK(r.node_lines[0].node == "node1#x");
  // gen-haresources-formfeed
  CHECK(parse_haresources("\fnode1 198.18.9.100\n", "h").node_lines[0].node == "node1");
}

TEST_CASE("haresources: a backslash on the last line stays", "[config]") {
  // gen-haresources-backslash-alone-line: heartbeat says Bad nodename [\].
  auto r = parse_haresources("node1 198.18.9.100\n\\\n", "h");
  REQUIRE(r.node_lines.size() == 2);
  CHECK(r.node_lines[1].node == "\\");
}

TEST_CASE("haresources: lines longer than heartbeat's buffer are split", "[config]") {
  // gen-haresources-split-probe: heartbeat reads 5118 bytes, then "DEFGH".
  auto r = parse_haresources("node1 " + std::string(5108, 'x') + " ABCDEFGH\n", "h");
  REQUIRE(r.node_lines.size() == 2);
  CHECK(r.node_lines[1].node == "DEFGH");
  CHECK(parse_haresources("node1 " + std::string(5112, 'x') + "\n", "h").node_lines.size() == 1);
}
