#include "config/json_text.h"

#include <catch2/catch.hpp>

using hbd::config::json_string;

TEST_CASE("json_string: quotes, backslashes and control characters", "[config]") {
  CHECK(json_string("") == "\"\"");
  CHECK(json_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(json_string("x\ny\r\tz") == "\"x\\ny\\r\\tz\"");
  CHECK(json_string(std::string("\x01\x7f", 2)) == "\"\\u0001\\u007f\"");
  CHECK(json_string(std::string("a\0b", 3)) == "\"a\\u0000b\"");
}

TEST_CASE("json_string: valid UTF-8 kept, other bytes escaped", "[config]") {
  CHECK(json_string("n\xc3\xb6" "de") == "\"n\xc3\xb6" "de\"");             // ö
  CHECK(json_string("\xe2\x82\xac") == "\"\xe2\x82\xac\"");                 // €
  CHECK(json_string("\xf0\x9f\x92\x93") == "\"\xf0\x9f\x92\x93\"");         // U+1F493
  CHECK(json_string("\xff") == "\"\\u00ff\"");                               // never UTF-8
  CHECK(json_string("\xc3") == "\"\\u00c3\"");                               // cut short
  CHECK(json_string("\xc0\xaf") == "\"\\u00c0\\u00af\"");                   // overlong
  CHECK(json_string("\xed\xa0\x80") == "\"\\u00ed\\u00a0\\u0080\"");        // surrogate
  CHECK(json_string("\xf4\x90\x80\x80") == "\"\\u00f4\\u0090\\u0080\\u0080\"");  // > U+10FFFF
}
