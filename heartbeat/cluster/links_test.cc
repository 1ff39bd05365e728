#include "cluster/links.h"

#include <catch2/catch.hpp>

using namespace hbd::cluster;

namespace {
int64_t three_seconds(const std::string&) { return 3000; }
}

TEST_CASE("links: first packet brings a link up, later ones do not repeat it", "[cluster]") {
  Links l;
  CHECK(l.heard("node2", "eth0", 100));
  CHECK_FALSE(l.heard("node2", "eth0", 200));
  CHECK(l.heard("node2", "eth1", 200));
  CHECK(l.is_up("node2", "eth0"));
}

TEST_CASE("links: silence longer than the deadtime kills only that link", "[cluster]") {
  Links l;
  l.heard("node2", "eth0", 0);
  l.heard("node2", "eth1", 0);
  l.heard("node2", "eth1", 2000);
  CHECK(l.expire(3000, "node1", three_seconds).empty());  // exactly deadtime: alive
  auto changes = l.expire(3001, "node1", three_seconds);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].medium == "eth0");
  CHECK_FALSE(changes[0].up);
  CHECK(l.expire(3500, "node1", three_seconds).empty());  // reported once
  CHECK(l.heard("node2", "eth0", 3600));                  // and can come back
}

TEST_CASE("links: our own links never expire", "[cluster]") {
  Links l;
  l.heard("node1", "eth0", 0);
  CHECK(l.expire(100000, "node1", three_seconds).empty());
  CHECK(l.is_up("node1", "eth0"));
}

TEST_CASE("links: the next expiry is the first ms past the deadtime of the quietest link",
          "[cluster]") {
  Links l;
  CHECK(l.next_expiry("node1", three_seconds) == INT64_MAX);  // nothing up
  l.heard("node1", "eth0", 0);                                 // ourselves: never
  l.heard("node2", "eth0", 500);
  l.heard("node2", "eth1", 200);
  CHECK(l.next_expiry("node1", three_seconds) == 3201);
  CHECK(l.expire(3200, "node1", three_seconds).empty());
  CHECK(l.expire(3201, "node1", three_seconds).size() == 1);
  CHECK(l.next_expiry("node1", three_seconds) == 3501);        // the dead one no longer counts
}
