#include "log/logger.h"

#include "test/temp_dir.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <syslog.h>
#include <unistd.h>

using namespace hbd::log;
using hbd::testing::TempDir;
using hbd::testing::read_file;

namespace {

struct UtcZone {
  UtcZone() { ::setenv("TZ", "UTC", 1), ::tzset(); }
};

}  // namespace

TEST_CASE("ha-log gets info and above, ha-debug gets everything", "[log]") {
  UtcZone utc;
  TempDir dir("hbd-log-test");
  std::time_t now = 1795294869;  // 2026-11-21 21:01:09 UTC
  Logger logger({"heartbeat", "node1", 42}, [&] { return now; });
  logger.configure({dir.path() + "/ha-log", dir.path() + "/ha-debug", -1, true, false});
  logger.info("Link node2:eth0 up.");
  logger.debug("only for the debug file");
  CHECK(read_file(dir.path() + "/ha-log") ==
        "Nov 21 21:01:09 node1 heartbeat: [42]: info: Link node2:eth0 up.\n");
  CHECK(read_file(dir.path() + "/ha-debug") ==
        "Nov 21 21:01:09 node1 heartbeat: [42]: info: Link node2:eth0 up.\n"
        "Nov 21 21:01:09 node1 heartbeat: [42]: debug: only for the debug file\n");
}

TEST_CASE("syslogmsgfmt false writes 2.1's classic lines", "[log]") {
  UtcZone utc;
  TempDir dir("hbd-log-test");
  Logger logger({"heartbeat", "node1", 7}, [] { return std::time_t(1795294869); });
  logger.configure({dir.path() + "/ha-log", "", -1, false, false});
  logger.warn("node node2: is dead");
  CHECK(read_file(dir.path() + "/ha-log") ==
        "heartbeat[7]: 2026/11/21_21:01:09 WARN: node node2: is dead\n");
}

TEST_CASE("a rotated log file is reopened and the rotation logged", "[log]") {
  UtcZone utc;
  TempDir dir("hbd-log-test");
  std::time_t now = 1795294869;
  Logger logger({"heartbeat", "node1", 1}, [&] { return now; });
  std::string log = dir.path() + "/ha-log";
  logger.configure({log, "", -1, true, false});
  logger.info("before");
  REQUIRE(std::rename(log.c_str(), (log + ".1").c_str()) == 0);
  const std::string detected =
      "node1 heartbeat: [1]: info: log-rotate detected on logfile " + log + "\n";
  SECTION("noticed at the next line a second later, not a minute") {
    now += 1;
    logger.info("after");
    CHECK(read_file(log + ".1") == "Nov 21 21:01:09 node1 heartbeat: [1]: info: before\n");
    CHECK(read_file(log) == "Nov 21 21:01:10 " + detected +
                                "Nov 21 21:01:10 node1 heartbeat: [1]: info: after\n");
  }
  SECTION("reopen_rotated (SIGHUP) reopens it at once") {
    logger.info("same second: still the old file");
    logger.reopen_rotated();
    CHECK(read_file(log) == "Nov 21 21:01:09 " + detected);
    CHECK(read_file(log + ".1").find("same second: still the old file") != std::string::npos);
  }
}

TEST_CASE("a /dev/null logfile is no file; the debug file still gets the line", "[log]") {
  UtcZone utc;
  TempDir dir("hbd-log-test");
  Logger logger({"heartbeat", "node1", 1}, [] { return std::time_t(1795294869); });
  logger.configure({"/dev/null", dir.path() + "/ha-debug", -1, true, false});
  logger.error("goes to the debug file only");
  CHECK(read_file(dir.path() + "/ha-debug") ==
        "Nov 21 21:01:09 node1 heartbeat: [1]: ERROR: goes to the debug file only\n");
}

TEST_CASE("facility names are glibc's", "[log]") {
  CHECK(facility_from_name("daemon") == LOG_DAEMON);
  CHECK(facility_from_name("local7") == LOG_LOCAL7);
  CHECK(facility_from_name("none") == -1);
  CHECK(facility_from_name("Daemon") == -1);
}

TEST_CASE("a line with a peer's control characters stays one line", "[log]") {
  UtcZone utc;
  TempDir dir("hbd-log-test");
  std::time_t now = 1795294869;
  Logger logger({"heartbeat", "node1", 42}, [&] { return now; });
  logger.configure({dir.path() + "/ha-log", "", -1, true, false});
  logger.info("Status update for node node2: status up\nNov 21 21:01:09 node1 forged");
  CHECK(read_file(dir.path() + "/ha-log") ==
        "Nov 21 21:01:09 node1 heartbeat: [42]: info: Status update for node node2: status "
        "up\\x0aNov 21 21:01:09 node1 forged\n");
}
