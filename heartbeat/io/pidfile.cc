#include "io/pidfile.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/file.h>
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

std::string base_name(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The executable's path; "" when it cannot be read (another user's process).
std::string exe_of(const std::string& link) {
  char buf[PATH_MAX];
  ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string path(buf, static_cast<std::size_t>(n));
  // A daemon whose binary was upgraded under it still counts.
  const std::string deleted = " (deleted)";
  if (path.size() > deleted.size() &&
      path.compare(path.size() - deleted.size(), deleted.size(), deleted) == 0)
    path.resize(path.size() - deleted.size());
  return path;
}

std::string comm_of(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(in, name);
  return name;
}

}  // namespace

bool names_hbd(const std::string& name, const std::string& own_name) {
  std::string base = base_name(name);
  return !base.empty() && (base == base_name(own_name) || base == "hbd" || base == "heartbeat");
}

bool SystemProcessTable::alive(long pid) const {
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

bool SystemProcessTable::is_hbd(long pid) const {
  std::string own = exe_of("/proc/self/exe");
  std::string exe = exe_of("/proc/" + std::to_string(pid) + "/exe");
  if (!exe.empty()) return names_hbd(exe, own);
  // comm is the first 15 bytes of the name the program was started as.
  std::string comm = comm_of(pid);
  return names_hbd(comm, base_name(own).substr(0, 15));
}

const ProcessTable& system_processes() {
  static const SystemProcessTable table;
  return table;
}

PidInfo read_pid_file(const std::string& path, const ProcessTable& processes) {
  PidInfo info;
  std::ifstream in(path);
  if (!in) return info;
  std::stringstream text;
  text << in.rdbuf();
  std::optional<long> pid = parse_pid(text.str());
  info.state = PidState::Stale;
  if (!pid) return info;
  info.pid = *pid;
  if (*pid != static_cast<long>(::getpid()) && processes.alive(*pid) && processes.is_hbd(*pid))
    info.state = PidState::Running;
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

PidFileLock::~PidFileLock() {
  if (fd_ >= 0) ::close(fd_);
}

PidFileLock::Outcome PidFileLock::acquire(const std::string& path, std::string& error) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return Outcome::Failed;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) return Outcome::Busy;
    error = "cannot lock " + path + ": " + std::strerror(err);
    return Outcome::Failed;
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  path_ = path;
  return Outcome::Locked;
}

bool PidFileLock::write(long pid, std::string& error) {
  std::string text = format_pid(pid);
  bool ok = fd_ >= 0 && ::ftruncate(fd_, 0) == 0 &&
            ::pwrite(fd_, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size());
  if (!ok) error = "cannot write " + path_ + ": " + std::strerror(fd_ >= 0 ? errno : EBADF);
  return ok;
}

}  // namespace hbd::io
