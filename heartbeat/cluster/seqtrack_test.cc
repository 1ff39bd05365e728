#include "cluster/seqtrack.h"

#include <catch2/catch.hpp>

using namespace hbd::cluster;

TEST_CASE("seqtrack: first and consecutive seqs are in order", "[cluster]") {
  SeqTracker t;
  CHECK(t.record(7).verdict == SeqVerdict::InOrder);
  CHECK(t.record(8).verdict == SeqVerdict::InOrder);
  CHECK(*t.last() == 8);
}

TEST_CASE("seqtrack: same seq again is a duplicate, lower is old", "[cluster]") {
  SeqTracker t;
  t.record(1);
  t.record(2);
  CHECK(t.record(2).verdict == SeqVerdict::Duplicate);
  CHECK(t.record(1).verdict == SeqVerdict::Old);
  CHECK(*t.last() == 2);
}

TEST_CASE("seqtrack: a gap records missing seqs and a late fill closes it", "[cluster]") {
  SeqTracker t;
  t.record(8);
  SeqResult gap = t.record(11);
  CHECK(gap.verdict == SeqVerdict::Gap);
  CHECK(gap.previous_last == 8);
  CHECK(gap.new_missing == std::vector<uint64_t>{9, 10});
  SeqResult fill9 = t.record(9);
  CHECK(fill9.verdict == SeqVerdict::LateFill);
  CHECK_FALSE(fill9.gap_closed);
  CHECK(t.record(9).verdict == SeqVerdict::Old);
  SeqResult fill10 = t.record(10);
  CHECK(fill10.gap_closed);
  CHECK(t.missing().empty());
}

TEST_CASE("seqtrack: more than 250 lost resets the tracking", "[cluster]") {
  SeqTracker t;
  t.record(1);
  CHECK(t.record(1 + 251).verdict == SeqVerdict::Gap);  // 250 lost: still a gap
  CHECK(t.missing().size() == 250);
  SeqTracker u;
  u.record(1);
  CHECK(u.record(1 + 252).verdict == SeqVerdict::Reset);  // 251 lost
  CHECK(u.missing().empty());
  CHECK(*u.last() == 253);
}

TEST_CASE("seqtrack: the missing set is capped at 500", "[cluster]") {
  SeqTracker t;
  t.record(1);
  for (uint64_t s = 200; s < 2000; s += 200) t.record(s);
  CHECK(t.missing().size() == kMaxMissing);
}

TEST_CASE("seqtrack: giving up on a seq reports when nothing is left", "[cluster]") {
  SeqTracker t;
  t.record(1);
  t.record(4);
  CHECK_FALSE(t.give_up(2));
  CHECK_FALSE(t.give_up(2));
  CHECK(t.give_up(3));
  CHECK(t.record(3).verdict == SeqVerdict::Old);
}
