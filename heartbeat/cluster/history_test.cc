#include "cluster/history.h"

#include <catch2/catch.hpp>

using namespace hbd::cluster;
using hbd::wire::Message;

namespace {
Message numbered(uint64_t seq) {
  Message m;
  m.add("t", "status");
  m.add("seq", std::to_string(seq));
  return m;
}
History filled(uint64_t first, uint64_t last) {
  History h;
  for (uint64_t s = first; s <= last; ++s) h.add(s, numbered(s));
  return h;
}
}  // namespace

TEST_CASE("history: keeps the last 500 messages unchanged", "[cluster]") {
  History h = filled(1, 600);
  CHECK(h.size() == 500);
  CHECK(h.lowest() == 101);
  CHECK(h.highest() == 600);
  CHECK(h.find(100) == nullptr);
  REQUIRE(h.find(350) != nullptr);
  CHECK(*h.find(350) == numbered(350));
}

TEST_CASE("history: a request is resent, acked seqs are skipped", "[cluster]") {
  History h = filled(1, 20);
  auto actions = h.plan(5, 8, 6, 1000, 250);
  REQUIRE(actions.size() == 2);
  CHECK(actions[0].kind == ResendAction::Resend);
  CHECK(actions[0].seq == 7);
  CHECK(actions[1].seq == 8);
}

TEST_CASE("history: too low seqs are NAKed, beyond the highest ignored", "[cluster]") {
  History h = filled(1, 600);
  auto actions = h.plan(99, 101, 0, 0, 250);
  REQUIRE(actions.size() == 3);
  CHECK(actions[0].kind == ResendAction::Nak);
  CHECK(actions[0].reason == "seqno too low");
  CHECK(actions[2].kind == ResendAction::Resend);
  CHECK(h.plan(601, 605, 0, 0, 250).empty());
}

TEST_CASE("history: a gap in what we kept is NAKed as not found", "[cluster]") {
  History h;
  h.add(1, numbered(1));
  h.add(3, numbered(3));
  auto actions = h.plan(2, 2, 0, 0, 250);
  REQUIRE(actions.size() == 1);
  CHECK(actions[0].reason == "seqno not found");
}

TEST_CASE("history: a seq resent recently is not resent again", "[cluster]") {
  History h = filled(1, 10);
  CHECK(h.plan(4, 4, 0, 1000, 250).size() == 1);
  CHECK(h.plan(4, 4, 0, 1239, 250).empty());
  CHECK(h.plan(4, 4, 0, 1240, 250).size() == 1);
}

TEST_CASE("history: at most 50 resends per request", "[cluster]") {
  History h = filled(1, 200);
  auto actions = h.plan(1, 200, 0, 0, 250);
  CHECK(actions.size() == 50);
  CHECK(actions.back().seq == 50);
}

TEST_CASE("history: NAKs count against the 50 replies of a request", "[cluster]") {
  History h = filled(1, 100000);
  auto actions = h.plan(1, UINT64_MAX, 0, 0, 250);
  CHECK(actions.size() == 50);
  CHECK(actions.front().kind == ResendAction::Nak);
  CHECK(actions.back().seq == 50);
}

TEST_CASE("history: a request starts past what the peer acknowledged", "[cluster]") {
  History h = filled(1, 100000);
  auto actions = h.plan(1, UINT64_MAX, 99990, 0, 250);
  REQUIRE(actions.size() == 10);
  CHECK(actions.front().seq == 99991);
  CHECK(actions.front().kind == ResendAction::Resend);
  CHECK(h.plan(1, UINT64_MAX, UINT64_MAX, 0, 250).empty());
}
