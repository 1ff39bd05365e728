#include "io/pidfile.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace hbd::io {

std::string format_pid(long pid) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%10ld\n", pid);
  return buf;
}

std::optional<long> parse_pid(const std::string& text) {
  size_t i = text.find_first_not_of(" \t");
  if (i == std::string::npos) return std::nullopt;
  size_t end = text.find_last_not_of(" \t\n");
  long value = 0;
  for (size_t j = i; j <= end; ++j) {
    if (text[j] < '0' || text[j] > '9') return std::nullopt;
    if (value > 100000000) return std::nullopt;
    value = value * 10 + (text[j] - '0');
  }
  if (value <= 0) return std::nullopt;
  return value;
}

namespace {

bool process_alive(long pid) {
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace

PidInfo read_pid_file(const std::string& path) {
  PidInfo info;
  std::ifstream in(path);
  if (!in) return info;
  std::stringstream text;
  text << in.rdbuf();
  std::optional<long> pid = parse_pid(text.str());
  info.state = PidState::Stale;
  if (!pid) return info;
  info.pid = *pid;
  if (*pid != static_cast<long>(::getpid()) && process_alive(*pid)) info.state = PidState::Running;
  return info;
}

bool write_pid_file(const std::string& path, long pid, std::string& error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = "cannot create " + path + ": " + std::strerror(errno);
    return false;
  }
  std::string text = format_pid(pid);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  if (!ok) error = "cannot write " + path + ": " + std::strerror(errno);
  ::close(fd);
  return ok;
}

}  // namespace hbd::io
