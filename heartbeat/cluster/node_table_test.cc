#include "cluster/node_table.h"

#include <catch2/catch.hpp>

using namespace hbd::cluster;

TEST_CASE("node_table: nodes keep config order and are found by name", "[cluster]") {
  NodeTable t;
  t.add("node1", NodeType::Normal);
  t.add("node2", NodeType::Normal);
  t.add("198.18.9.254", NodeType::Ping);
  t.add("node1", NodeType::Normal);  // ignored
  REQUIRE(t.all().size() == 3);
  CHECK(t.all()[1].name == "node2");
  CHECK(t.find("198.18.9.254")->type == NodeType::Ping);
  CHECK(t.find("Node1") == nullptr);  // names are compared as lowercase text
  CHECK(t.find("node1")->status == "init");
}

TEST_CASE("node_table: lookup by uuid ignores unknown and null uuids", "[cluster]") {
  NodeTable t;
  t.add("node1", NodeType::Normal);
  t.add("node2", NodeType::Normal);
  CHECK(t.find_by_uuid(std::string(16, '\0')) == nullptr);  // node1 has no uuid yet
  t.find("node2")->uuid = std::string(16, 'x');
  CHECK(t.find_by_uuid(std::string(16, 'x'))->name == "node2");
  CHECK(t.find_by_uuid("") == nullptr);
}

TEST_CASE("node_table: forgetting a session resets sequence tracking", "[cluster]") {
  Node n;
  n.seqs.record(5);
  n.any_packets = true;
  n.heard_status = true;
  n.acked = 40;
  n.forget_session();
  CHECK(n.acked == 0);
  CHECK_FALSE(n.seqs.last().has_value());
  CHECK_FALSE(n.any_packets);
  CHECK_FALSE(n.heard_status);
}

TEST_CASE("node_table: uuid text is 8-4-4-4-12 lowercase hex", "[cluster]") {
  std::string raw = "\x76\x36\xc6\xde\x49\xec\x48\x82\x8e\x3a\x0e\x31\xe4\xfa\x03\xb3";
  CHECK(uuid_text(raw) == "7636c6de-49ec-4882-8e3a-0e31e4fa03b3");
}
