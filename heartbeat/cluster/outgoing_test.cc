#include "cluster/outgoing.h"

#include <catch2/catch.hpp>

using namespace hbd::cluster;
using hbd::wire::FieldType;
using hbd::wire::Message;

namespace {
Params two_nodes() {
  Params p;
  p.local_node = "node1";
  p.nodes = {"node1", "node2"};
  p.generation = 0x6b0207a1;
  p.uuid = std::string(16, 'u');
  return p;
}
std::vector<std::string> names(const Message& m) {
  std::vector<std::string> out;
  for (const auto& f : m.fields()) out.push_back(f.name);
  return out;
}
Outgoing make(const Params& p) {
  return Outgoing(p, [] { return int64_t{0x6b020c99}; }, [] { return std::string("0.34 0.26 0.19 1/99 16162"); });
}
}  // namespace

TEST_CASE("outgoing: a status gets the control fields in heartbeat's order", "[cluster]") {
  Outgoing out = make(two_nodes());
  Message m;
  m.add("t", "status");
  m.add("st", "init");
  m.add("dt", "1388");
  m.add("protocol", "1");
  CHECK(out.stamp(m, "") == 1);
  CHECK(names(m) == std::vector<std::string>{"t", "st", "dt", "protocol", "src", "srcuuid",
                                             "seq", "hg", "ts", "ld", "ttl"});
  CHECK(m.get_or("src", "") == "node1");
  CHECK(m.find("srcuuid")->type == FieldType::Binary);
  CHECK(m.get_or("seq", "") == "1");
  CHECK(m.get_or("hg", "") == "6b0207a1");
  CHECK(m.get_or("ts", "") == "6b020c99");
  CHECK(m.get_or("ttl", "") == "3");
}

TEST_CASE("outgoing: NS_ messages carry no seq and no ld, and do not use a seq", "[cluster]") {
  Outgoing out = make(two_nodes());
  Message ack;
  ack.add("t", "NS_ackmsg");
  ack.add("dest", "node2");
  ack.add("ackseq", "1");
  CHECK(out.stamp(ack, std::string(16, 'd')) == 0);
  CHECK(names(ack) == std::vector<std::string>{"t", "dest", "ackseq", "destuuid", "src",
                                               "srcuuid", "hg", "ts", "ttl"});
  Message status;
  status.add("t", "status");
  CHECK(out.stamp(status, "") == 1);
  Message again;
  again.add("t", "resource");
  CHECK(out.stamp(again, "") == 2);
  CHECK(again.get_or("seq", "") == "2");
}

TEST_CASE("outgoing: destuuid only with a dest and a known uuid", "[cluster]") {
  Outgoing out = make(two_nodes());
  Message no_uuid;
  no_uuid.add("t", "reqnodes");
  no_uuid.add("dest", "node2");
  out.stamp(no_uuid, "");
  CHECK_FALSE(no_uuid.has("destuuid"));
  Message no_dest;
  no_dest.add("t", "starting");
  out.stamp(no_dest, std::string(16, 'd'));
  CHECK_FALSE(no_dest.has("destuuid"));
}

TEST_CASE("outgoing: seqs are hex and existing fields keep their place", "[cluster]") {
  Outgoing out = make(two_nodes());
  for (int i = 0; i < 9; ++i) {
    Message m;
    m.add("t", "status");
    out.stamp(m, "");
  }
  Message m;
  m.add("src", "pingtarget");
  m.add("t", "status");
  out.stamp(m, "");
  CHECK(m.get_or("seq", "") == "a");
  CHECK(m.fields()[0].name == "src");
  CHECK(m.get_or("src", "") == "node1");
}

TEST_CASE("outgoing: hex and decimal parsing reject junk", "[cluster]") {
  uint64_t v = 0;
  CHECK(parse_hex("6b0207A1", v));
  CHECK(v == 0x6b0207a1);
  CHECK_FALSE(parse_hex("", v));
  CHECK_FALSE(parse_hex("0x1", v));
  CHECK_FALSE(parse_hex("1ffffffffffffffff", v));
  CHECK(parse_decimal("26", v));
  CHECK(v == 26);
  CHECK_FALSE(parse_decimal("1a", v));
  CHECK(to_hex(0) == "0");
  CHECK(to_hex(0x2710) == "2710");
}
