#include "log/format.h"

#include <catch2/catch.hpp>

using namespace hbd::log;

namespace {
std::tm sample_time() {
  std::tm t{};
  t.tm_year = 2026 - 1900;
  t.tm_mon = 10;  // November
  t.tm_mday = 1;
  t.tm_hour = 21;
  t.tm_min = 1;
  t.tm_sec = 9;
  return t;
}
}  // namespace

TEST_CASE("level labels keep heartbeat's spelling and case", "[log]") {
  CHECK(std::string(level_label(Level::Emerg)) == "EMERG");
  CHECK(std::string(level_label(Level::Crit)) == "CRIT");
  CHECK(std::string(level_label(Level::Error)) == "ERROR");
  CHECK(std::string(level_label(Level::Warn)) == "WARN");
  CHECK(std::string(level_label(Level::Notice)) == "notice");
  CHECK(std::string(level_label(Level::Info)) == "info");
  CHECK(std::string(level_label(Level::Debug)) == "debug");
}

TEST_CASE("syslog-style file line as heartbeat 3.0 writes it", "[log]") {
  Origin o{"heartbeat", "nodea", 16158};
  CHECK(format_syslog_file(o, sample_time(), Level::Warn, "node nodeb: is dead") ==
        "Nov 01 21:01:09 nodea heartbeat: [16158]: WARN: node nodeb: is dead\n");
}

TEST_CASE("classic file line as heartbeat 2.1 writes it", "[log]") {
  Origin o{"heartbeat", "uksl", 14341};
  CHECK(format_classic(o, sample_time(), Level::Info, "Link node2:eth0 up.") ==
        "heartbeat[14341]: 2026/11/01_21:01:09 info: Link node2:eth0 up.\n");
}

TEST_CASE("syslog message carries pid and level, no newline", "[log]") {
  Origin o{"heartbeat", "n", 5554};
  CHECK(format_syslog_message(o, Level::Info, "Configuration validated.") ==
        "[5554]: info: Configuration validated.");
}

TEST_CASE("printable escapes control bytes and backslashes, keeps the rest", "[log]") {
  CHECK(printable("node2") == "node2");
  CHECK(printable("a\nb\rc\td") == "a\\x0ab\\x0dc\\x09d");
  CHECK(printable(std::string("x\0y\x7f\\", 5)) == "x\\x00y\\x7f\\x5c");
  CHECK(printable("n\xc3\xa4me") == "n\xc3\xa4me");  // UTF-8 stays readable
}
