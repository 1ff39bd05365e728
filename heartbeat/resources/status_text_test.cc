#include "resources/status_text.h"

#include <catch2/catch.hpp>

using hbd::resources::says_running;

// The cases config-and-tools §3.5 verified against heartbeat 3.0.6.
TEST_CASE("status text: heartbeat's verdicts", "[resources]") {
  CHECK(says_running("foo is running"));
  CHECK(says_running("foo (pid 123) is running..."));
  CHECK(says_running("INFO:  Running OK"));
  CHECK(says_running("OK"));
  CHECK(says_running("TOKEN"));
  CHECK(says_running("running? not"));
  CHECK(says_running("   Active: active (running) since Mon"));
  CHECK_FALSE(says_running("foo is not running"));
  CHECK_FALSE(says_running("Not Running"));
  CHECK_FALSE(says_running("NOT  really Running"));
  CHECK_FALSE(says_running("RUNNING"));
  CHECK_FALSE(says_running("stopped"));
  CHECK_FALSE(says_running(""));
  CHECK_FALSE(says_running("   Active: inactive (dead)"));
  CHECK_FALSE(says_running("INFO:  Resource is stopped"));
}

TEST_CASE("status text: 'not' needs a blank after it", "[resources]") {
  CHECK(says_running("nothing running"));        // "not" then "h": no match
  CHECK_FALSE(says_running("cannot be running")); // "...not " then running
  CHECK(says_running("foo is not\nrunning"));     // a newline is not a blank
  CHECK_FALSE(says_running("is not running but OK"));
}
