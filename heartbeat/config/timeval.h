// Value syntaxes shared by ha.cf directives: time values, booleans and
// syslog facility names, with heartbeat's acceptance rules.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace hbd::config {

// A time value in milliseconds: "N" or "N.F" seconds, or with a
// case-insensitive unit "ms", "us" or "usec" (optionally after blanks),
// rounded to the nearest millisecond. "s" is not a unit heartbeat knows,
// so "2s" is rejected like any other malformed value.
std::optional<long> parse_time_ms(std::string_view text);

// "true on yes y 1" / "false off no n 0", any case.
std::optional<bool> parse_bool(std::string_view text);

// A non-negative decimal integer with no sign or trailing text, at most
// `max`.
std::optional<long> parse_uint(std::string_view text, long max);

// An integer read the way C's atoi reads it, which is how heartbeat reads
// several numbers: leading blanks, optional sign, digits up to the first
// other character; no digits gives 0. `clean` tells whether the whole text
// was a plain in-range number, so callers can warn about sloppy values.
struct LaxInt {
  long value = 0;
  bool clean = false;
};
LaxInt parse_lax_int(std::string_view text);

// glibc syslog facility names (case-sensitive) plus "none".
bool is_facility_name(std::string_view name);

// Heartbeat's spelling of a computed time, e.g. "6000ms".
std::string format_ms(long ms);

std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);

}  // namespace hbd::config
