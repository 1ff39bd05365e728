#include "daemon/systemd_link.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "control/test_support.h"
#include "io/ev_test_loop.h"
#include "test/temp_dir.h"

using namespace hbd;
using namespace hbd::daemon;

TEST_CASE("systemd: the STATUS line names comm, peers and what runs here", "[daemon][systemd]") {
  control::Snapshot s = control::testing::two_node_snapshot();
  std::string line = systemd_status(s);
  CHECK(line.rfind("comm up; ", 0) == 0);
  CHECK(line.find("; here: local") != std::string::npos);
  control::Snapshot empty;
  empty.local_node = "node1";
  CHECK(systemd_status(empty) == "comm not up yet; here: none");
}

TEST_CASE("systemd: reports every half watchdog period, at least every 10 s", "[daemon][systemd]") {
  CHECK(systemd_report_period_ms(std::nullopt) == 10000);
  CHECK(systemd_report_period_ms(60000) == 10000);
  CHECK(systemd_report_period_ms(4000) == 2000);
}

TEST_CASE("systemd: READY, then WATCHDOG and STATUS from the loop", "[daemon][systemd]") {
  hbd::testing::TempDir dir;
  std::string path = dir.path() + "/notify";
  int fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  hbd::testing::LoopRunner loop;
  int asked = 0;
  SystemdLink link(loop.loop(), io::SdNotify(path), 100,
                   [&] { return "state " + std::to_string(++asked); });
  auto next = [&] {
    char buf[256];
    ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  };
  link.ready();
  CHECK(next() == "READY=1\nSTATUS=state 1");
  std::string fed;
  REQUIRE(loop.run_until([&] {
    if (fed.empty()) fed = next();
    return !fed.empty();
  }, 2.));
  CHECK(fed == "WATCHDOG=1\nSTATUS=state 2");  // after 50 ms, from the loop
  link.stopping();
  CHECK(next() == "STOPPING=1\nSTATUS=stopping: handing the groups over");
  ::close(fd);
}
