#include "cluster/rexmit.h"

#include <catch2/catch.hpp>

using namespace hbd::cluster;

namespace {
// Always returns the same offset into the range, to pin the first delay.
struct FixedRandom : Random {
  bool pick_lo = true;
  int64_t last_lo = -1, last_hi = -1;
  int64_t between(int64_t lo, int64_t hi) override {
    last_lo = lo;
    last_hi = hi;
    return pick_lo ? lo : hi;
  }
};
}  // namespace

TEST_CASE("rexmit: first request after 50..max ms, then every max", "[cluster]") {
  FixedRandom rng;
  RexmitRequests r(250);
  r.schedule("node1", 9, 1000, rng);
  CHECK(rng.last_lo == 50);
  CHECK(rng.last_hi == 250);
  CHECK(r.next_due() == 1050);
  CHECK(r.take_due(1049).empty());
  auto due = r.take_due(1050);
  REQUIRE(due.size() == 1);
  CHECK(due[0] == std::make_pair(std::string("node1"), uint64_t{9}));
  CHECK(r.next_due() == 1300);
}

TEST_CASE("rexmit: small max_rexmit_delay draws from 0..max", "[cluster]") {
  FixedRandom rng;
  RexmitRequests r(80);
  r.schedule("node1", 1, 0, rng);
  CHECK(rng.last_lo == 0);
  CHECK(rng.last_hi == 80);
}

TEST_CASE("rexmit: cancel one seq or a whole node", "[cluster]") {
  FixedRandom rng;
  RexmitRequests r(250);
  r.schedule("node1", 1, 0, rng);
  r.schedule("node1", 2, 0, rng);
  r.schedule("node2", 1, 0, rng);
  r.cancel("node1", 1);
  CHECK(r.pending() == 2);
  r.cancel_node("node1");
  CHECK(r.pending() == 1);
  auto due = r.take_due(1000);
  REQUIRE(due.size() == 1);
  CHECK(due[0].first == "node2");
}
