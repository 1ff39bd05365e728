#include "io/sd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <map>

#include "test/temp_dir.h"

using namespace hbd::io;

namespace {

Getenv env(std::map<std::string, std::string> vars) {
  auto owned = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
  return [owned](const char* name) -> const char* {
    auto it = owned->find(name);
    return it == owned->end() ? nullptr : it->second.c_str();
  };
}

// A datagram socket bound at `path` (or abstract with a leading '@').
int bound_socket(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  if (path[0] == '@') addr.sun_path[0] = '\0';
  socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size());
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0);
  return fd;
}

std::string receive(int fd) {
  char buf[512];
  ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

}  // namespace

TEST_CASE("sd_notify: the watchdog period is systemd's, for our pid only", "[io][systemd]") {
  CHECK_FALSE(watchdog_period_ms(env({}), 42));
  CHECK(watchdog_period_ms(env({{"WATCHDOG_USEC", "30000000"}}), 42) == 30000);
  CHECK(watchdog_period_ms(env({{"WATCHDOG_USEC", "30000000"}, {"WATCHDOG_PID", "42"}}), 42) ==
        30000);
  CHECK_FALSE(watchdog_period_ms(env({{"WATCHDOG_USEC", "30000000"}, {"WATCHDOG_PID", "7"}}), 42));
  CHECK_FALSE(watchdog_period_ms(env({{"WATCHDOG_USEC", "x"}}), 42));
  CHECK_FALSE(watchdog_period_ms(env({{"WATCHDOG_USEC", "0"}}), 42));
}

TEST_CASE("sd_notify: states reach $NOTIFY_SOCKET, a path or an abstract name", "[io][systemd]") {
  hbd::testing::TempDir dir;
  std::string path = dir.path() + "/notify";
  int fd = bound_socket(path);
  SdNotify n = SdNotify::from_environment(env({{"NOTIFY_SOCKET", path}}));
  REQUIRE(n.enabled());
  CHECK(n.send("READY=1\nSTATUS=comm up"));
  CHECK(receive(fd) == "READY=1\nSTATUS=comm up");
  ::close(fd);

  std::string abstract = "@hbd-test-" + std::to_string(::getpid());
  int afd = bound_socket(abstract);
  CHECK(SdNotify(abstract).send("WATCHDOG=1"));
  CHECK(receive(afd) == "WATCHDOG=1");
  ::close(afd);

  SdNotify off = SdNotify::from_environment(env({}));
  CHECK_FALSE(off.enabled());
  CHECK_FALSE(off.send("READY=1"));
  CHECK_FALSE(SdNotify("relative").send("READY=1"));
}
