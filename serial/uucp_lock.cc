#include "serial/uucp_lock.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace hbd::serial {

namespace {

std::string read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text;
  char buf[64];
  in.read(buf, sizeof buf);
  text.assign(buf, static_cast<size_t>(in.gcount()));
  return text;
}

bool write_whole_file(const std::string& path, const std::string& text, std::string& error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = "cannot create " + path + ": " + std::strerror(errno);
    return false;
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  if (!ok) error = "cannot write " + path + ": " + std::strerror(errno);
  ::close(fd);
  return ok;
}

bool process_alive(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

}  // namespace

std::string default_lock_dir() {
  struct stat st {};
  if (::stat("/run/lock", &st) == 0 && S_ISDIR(st.st_mode)) return "/run/lock";
  return "/var/lock";
}

std::string lock_path(const std::string& dir, const std::string& tty) {
  size_t slash = tty.rfind('/');
  return dir + "/LCK.." + (slash == std::string::npos ? tty : tty.substr(slash + 1));
}

std::string format_lock_pid(pid_t pid) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%10ld\n", static_cast<long>(pid));
  return buf;
}

std::optional<pid_t> parse_lock_pid(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  long pid = 0;
  size_t digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 10; ++i, ++digits)
    pid = pid * 10 + (text[i] - '0');
  if (digits == 0 || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

bool UucpLock::acquire(const std::string& dir, const std::string& tty, std::string& error) {
  release();
  std::string lock = lock_path(dir, tty);
  std::string temp = dir + "/LTMP." + std::to_string(::getpid());
  ::unlink(temp.c_str());
  if (!write_whole_file(temp, format_lock_pid(::getpid()), error)) return false;
  bool ok = false;
  for (int attempt = 0; attempt < 2 && !ok; ++attempt) {
    if (::link(temp.c_str(), lock.c_str()) == 0) {
      ok = true;
      break;
    }
    if (errno != EEXIST) {
      error = "cannot create lock " + lock + ": " + std::strerror(errno);
      break;
    }
    std::optional<pid_t> owner = parse_lock_pid(read_small_file(lock));
    if (owner && *owner == ::getpid()) {
      ok = true;  // left by an earlier open of ours
      break;
    }
    if (owner && process_alive(*owner)) {
      error = tty + " is locked by process " + std::to_string(*owner) + " (" + lock + ")";
      break;
    }
    ::unlink(lock.c_str());  // stale: its owner is gone
  }
  ::unlink(temp.c_str());
  if (ok) path_ = lock;
  else if (error.empty()) error = "cannot take the stale lock " + lock;
  return ok;
}

void UucpLock::release() {
  if (path_.empty()) return;
  std::optional<pid_t> owner = parse_lock_pid(read_small_file(path_));
  if (owner && *owner == ::getpid()) ::unlink(path_.c_str());
  path_.clear();
}

}  // namespace hbd::serial
