#include "resources/group_table.h"

#include <catch2/catch.hpp>

TEST_CASE("transition histogram: cumulative buckets, count and sum", "[resources]") {
  hbd::resources::TransitionHistogram h;
  h.add(80);      // <= 0.1 s and every bucket above
  h.add(700);     // <= 1 s
  h.add(400000);  // beyond the last bucket: only in the count (+Inf)
  CHECK(h.le[0] == 1);
  CHECK(h.le[1] == 1);
  CHECK(h.le[2] == 2);
  CHECK(h.le[7] == 2);
  CHECK(h.count == 3);
  CHECK(h.sum_ms == 400780);
}
