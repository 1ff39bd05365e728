#include <catch2/catch.hpp>

#include "config/timeval.h"

using namespace hbd::config;

TEST_CASE("time values: seconds, fractions and units", "[config]") {
  CHECK(parse_time_ms("2") == 2000);
  CHECK(parse_time_ms("0.5") == 500);
  CHECK(parse_time_ms(".5") == 500);
  CHECK(parse_time_ms("5.") == 5000);
  CHECK(parse_time_ms("1500ms") == 1500);
  CHECK(parse_time_ms("1500 ms") == 1500);
  CHECK(parse_time_ms("1500MS") == 1500);
  CHECK(parse_time_ms("500000us") == 500);
  CHECK(parse_time_ms("500000USEC") == 500);
  CHECK(parse_time_ms("0") == 0);
}

TEST_CASE("time values round to the nearest millisecond", "[config]") {
  CHECK(parse_time_ms("1499us") == 1);
  CHECK(parse_time_ms("1500us") == 2);
  CHECK(parse_time_ms("0.0004") == 0);
  CHECK(parse_time_ms("0.0005") == 1);
  CHECK(parse_time_ms("1.4ms") == 1);
  CHECK(parse_time_ms("1.5ms") == 2);
}

TEST_CASE("time values heartbeat rejects", "[config]") {
  for (const char* bad : {"2s", "1m", "-1", "", "ms", "1.2.3", "1 s", "abc", "1e3",
                          "99999999999999999999"})
    CHECK_FALSE(parse_time_ms(bad).has_value());
  // gen-deadtime-dot-only: "Dead time [0] is too small", so "." is 0.
  CHECK(parse_time_ms(".") == 0);
  CHECK(parse_time_ms("2.") == 2000);
}

TEST_CASE("booleans", "[config]") {
  for (const char* t : {"true", "on", "yes", "y", "1", "TRUE", "On", "Y"})
    CHECK(parse_bool(t) == true);
  for (const char* f : {"false", "off", "no", "n", "0", "OFF", "No"}) CHECK(parse_bool(f) == false);
  for (const char* bad : {"maybe", "", "2", "yess", "enable"}) CHECK_FALSE(parse_bool(bad).has_value());
}

TEST_CASE("facility names are glibc's, case-sensitive, plus none", "[config]") {
  CHECK(is_facility_name("daemon"));
  CHECK(is_facility_name("local7"));
  CHECK(is_facility_name("none"));
  CHECK_FALSE(is_facility_name("Daemon"));
  CHECK_FALSE(is_facility_name("local8"));
  CHECK_FALSE(is_facility_name("bogus"));
}

TEST_CASE("unsigned integers", "[config]") {
  CHECK(parse_uint("694", 65535) == 694);
  CHECK_FALSE(parse_uint("65536", 65535).has_value());
  CHECK_FALSE(parse_uint("69x", 65535).has_value());
  CHECK_FALSE(parse_uint("-1", 65535).has_value());
  CHECK_FALSE(parse_uint("", 65535).has_value());
}

TEST_CASE("lax integers read like atoi", "[config]") {
  CHECK(parse_lax_int("694").value == 694);
  CHECK(parse_lax_int("694").clean);
  CHECK(parse_lax_int("694x").value == 694);
  CHECK_FALSE(parse_lax_int("694x").clean);
  CHECK(parse_lax_int("-1").value == -1);
  CHECK(parse_lax_int("abc").value == 0);
  CHECK_FALSE(parse_lax_int("abc").clean);
  CHECK_FALSE(parse_lax_int("").clean);
  // (int)strtol: saturated at LONG_MAX, then the low 32 bits (heartbeat
  // refuses "udpport 99999999999999999999": it reads -1).
  CHECK(parse_lax_int("99999999999999999999999").value == -1);
  CHECK_FALSE(parse_lax_int("99999999999999999999999").clean);
  CHECK(parse_lax_int("99999999999").value == 1215752191);
  CHECK(parse_lax_int("-99999999999999999999999").value == 0);
}
