#include "config/timeval.h"

#include <cctype>
#include <cstdint>

#include "log/logger.h"

namespace hbd::config {

namespace {

// Upper bound for any time value: about 11 days, far beyond any sane
// timer, and small enough that the arithmetic below cannot overflow.
constexpr long kMaxSeconds = 1000000;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Microseconds per unit for a (lower-cased) unit suffix, 0 when unknown.
long unit_micros(std::string_view unit) {
  std::string u = to_lower(unit);
  if (u.empty()) return 1000000;
  if (u == "ms") return 1000;
  if (u == "us" || u == "usec") return 1;
  return 0;
}

}  // namespace

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && to_lower(a) == to_lower(b);
}

std::optional<long> parse_time_ms(std::string_view text) {
  size_t i = 0;
  long whole = 0;
  size_t int_digits = 0;
  for (; i < text.size() && is_digit(text[i]); ++i, ++int_digits) {
    whole = whole * 10 + (text[i] - '0');
    if (whole > kMaxSeconds * 1000000L) return std::nullopt;
  }
  // Fraction kept to 6 digits: one microsecond is the finest unit of all.
  long frac = 0, frac_scale = 1;
  size_t frac_digits = 0;
  bool dot = i < text.size() && text[i] == '.';
  if (dot) {
    for (++i; i < text.size() && is_digit(text[i]); ++i, ++frac_digits) {
      if (frac_scale < 1000000) {
        frac = frac * 10 + (text[i] - '0');
        frac_scale *= 10;
      }
    }
  }
  // heartbeat reads a lone "." as 0 (corpus: gen-deadtime-dot-only).
  if (int_digits + frac_digits == 0 && !dot) return std::nullopt;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  long per_unit = unit_micros(text.substr(i));
  if (per_unit == 0) return std::nullopt;
  if (whole * per_unit / 1000000 > kMaxSeconds) return std::nullopt;
  // Work in micro-units of a millionth of the unit to keep the fraction exact.
  long micros = whole * per_unit + frac * per_unit / frac_scale;
  long rest = (frac * per_unit) % frac_scale;  // sub-microsecond remainder
  if (rest * 2 >= frac_scale) ++micros;
  return (micros + 500) / 1000;
}

std::optional<bool> parse_bool(std::string_view text) {
  std::string t = to_lower(text);
  if (t == "true" || t == "on" || t == "yes" || t == "y" || t == "1") return true;
  if (t == "false" || t == "off" || t == "no" || t == "n" || t == "0") return false;
  return std::nullopt;
}

std::optional<long> parse_uint(std::string_view text, long max) {
  if (text.empty()) return std::nullopt;
  long v = 0;
  for (char c : text) {
    if (!is_digit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
    if (v > max) return std::nullopt;
  }
  return v;
}

LaxInt parse_lax_int(std::string_view text) {
  // atoi is (int)strtol: strtol saturates at LONG_MAX/LONG_MIN, the cast
  // keeps the low 32 bits (99999999999 -> 1215752191, 1e20 -> -1).
  constexpr unsigned long long kLongMax = 0x7fffffffffffffffULL;
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  size_t digits_begin = i;
  unsigned long long v = 0;
  bool saturated = false;
  const unsigned long long limit = kLongMax + (negative ? 1 : 0);
  for (; i < text.size() && is_digit(text[i]); ++i) {
    unsigned digit = static_cast<unsigned>(text[i] - '0');
    saturated = saturated || v > (limit - digit) / 10;
    v = saturated ? limit : v * 10 + digit;
  }
  unsigned long long as_long = negative ? (~v + 1) : v;  // two's complement of strtol's result
  LaxInt out;
  out.value = static_cast<int32_t>(static_cast<uint32_t>(as_long & 0xffffffffULL));
  out.clean = i > digits_begin && i == text.size() && digits_begin == 0 && !saturated &&
              v <= 0x7fffffffULL;
  return out;
}

// The names are the logger's table, so ha.cf accepts exactly what it can open.
bool is_facility_name(std::string_view name) {
  return name == "none" || log::facility_from_name(name) >= 0;
}

std::string format_ms(long ms) { return std::to_string(ms) + "ms"; }

}  // namespace hbd::config
