#include "io/sd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace hbd::io {

std::optional<int64_t> watchdog_period_ms(const Getenv& getenv, pid_t pid) {
  const char* usec = getenv("WATCHDOG_USEC");
  if (!usec || !*usec) return std::nullopt;
  if (const char* for_pid = getenv("WATCHDOG_PID"); for_pid && *for_pid) {
    char* end = nullptr;
    long p = std::strtol(for_pid, &end, 10);
    if (*end || p != static_cast<long>(pid)) return std::nullopt;
  }
  char* end = nullptr;
  unsigned long long us = std::strtoull(usec, &end, 10);
  if (*end || us == 0) return std::nullopt;
  return static_cast<int64_t>(us / 1000 ? us / 1000 : 1);
}

SdNotify SdNotify::from_environment(const Getenv& getenv) {
  const char* path = getenv("NOTIFY_SOCKET");
  return SdNotify(path ? path : "");
}

bool SdNotify::send(const std::string& state) const {
  if (path_.empty()) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path_.size() >= sizeof addr.sun_path || (path_[0] != '/' && path_[0] != '@')) return false;
  std::memcpy(addr.sun_path, path_.data(), path_.size());
  if (path_[0] == '@') addr.sun_path[0] = '\0';  // abstract namespace
  socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path_.size());
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  ssize_t n = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL | MSG_DONTWAIT,
                       reinterpret_cast<sockaddr*>(&addr), len);
  ::close(fd);
  return n == static_cast<ssize_t>(state.size());
}

}  // namespace hbd::io
