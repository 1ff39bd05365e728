#include "log/rate_limit.h"

#include <catch2/catch.hpp>

using namespace hbd::log;

namespace {
bool allow(RateLimit& limit, std::string key, int64_t now) {
  return limit.allow(key, Level::Warn, now);
}
}  // namespace

TEST_CASE("rate limit: the first line of a key per interval, the rest summarised", "[log]") {
  RateLimit limit(1000, 8);
  CHECK(allow(limit, "bad digest from node2", 0));
  CHECK_FALSE(allow(limit, "bad digest from node2", 10));
  CHECK_FALSE(allow(limit, "bad digest from node2", 999));
  CHECK(allow(limit, "bad digest from node3", 20));  // another sender: its own line
  CHECK(limit.take_summaries(500).empty());          // interval not over yet
  auto summaries = limit.take_summaries(1020);
  REQUIRE(summaries.size() == 1);
  CHECK(summaries[0].summary() == "bad digest from node2: 2 more suppressed");
  CHECK(summaries[0].level == Level::Warn);
  CHECK(limit.keys() == 0);  // expired windows are forgotten
  CHECK(allow(limit, "bad digest from node2", 1001));
}

TEST_CASE("rate limit: a line after the interval logs, the count is kept for later",
          "[log]") {
  RateLimit limit(1000, 8);
  CHECK(allow(limit, "k", 0));
  CHECK_FALSE(allow(limit, "k", 1));
  CHECK(allow(limit, "k", 1500));
  auto summaries = limit.take_summaries(1600);
  REQUIRE(summaries.size() == 1);
  CHECK(summaries[0].count == 1);
}

TEST_CASE("rate limit: keys beyond the maximum share one window", "[log]") {
  RateLimit limit(1000, 2);
  CHECK(allow(limit, "a", 0));
  CHECK(allow(limit, "b", 0));
  std::string key = "c";
  CHECK(limit.allow(key, Level::Warn, 0));
  CHECK(key == RateLimit::kOverflowKey);
  for (int i = 0; i < 1000; ++i) CHECK_FALSE(allow(limit, "x" + std::to_string(i), 1));
  CHECK(limit.keys() == 3);
  auto summaries = limit.take_summaries(1000);
  REQUIRE(summaries.size() == 1);
  CHECK(summaries[0].summary() == "(other senders): 1000 more suppressed");
}
