#include "daemon/detach.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace hbd::daemon {

namespace {

constexpr const char* kReady = "ready\n";
constexpr const char* kFailed = "failed ";

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

void stdio_to_dev_null() {
  int fd = ::open("/dev/null", O_RDWR);
  if (fd < 0) return;
  ::dup2(fd, 0);
  ::dup2(fd, 1);
  ::dup2(fd, 2);
  if (fd > 2) ::close(fd);
}

// The original process: the intermediate child exits at once; then the
// daemon's report decides the exit code.
StartupOutcome wait_for_daemon(pid_t child, int read_fd) {
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ::close(read_fd);
    return {1, "cannot start the daemon process (fork failed)"};
  }
  return await_startup(read_fd, kStartupWaitMs);
}

}  // namespace

StartupReport::~StartupReport() {
  if (fd_ >= 0) ::close(fd_);
}

void StartupReport::ready() { send(kReady); }

void StartupReport::failed(const std::string& why) { send(kFailed + why + "\n"); }

void StartupReport::send(const std::string& line) {
  if (fd_ < 0) return;
  // Short, and the reader is waiting: one send does it. MSG_NOSIGNAL: a
  // parent that gave up waiting must not kill the daemon with SIGPIPE.
  (void)!::send(fd_, line.data(), line.size(), MSG_NOSIGNAL);
  ::close(fd_);
  fd_ = -1;
}

StartupOutcome interpret_startup(const std::string& received, bool timed_out) {
  if (received == kReady) return {0, ""};
  if (starts_with(received, kFailed)) {
    std::string why = received.substr(std::strlen(kFailed));
    if (!why.empty() && why.back() == '\n') why.pop_back();
    return {1, why};
  }
  if (timed_out)
    return {1, "the daemon did not report being up within " +
                   std::to_string(kStartupWaitMs / 1000) + " s; see its log"};
  return {1, "the daemon exited during start-up; see its log"};
}

StartupOutcome await_startup(int fd, int limit_ms) {
  using Clock = std::chrono::steady_clock;
  auto deadline = Clock::now() + std::chrono::milliseconds(limit_ms);
  std::string received;
  bool timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{fd, POLLIN, 0};
    int rc = ::poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count())));
    if (rc < 0 && errno == EINTR) continue;
    if (rc == 0) {
      timed_out = true;
      break;
    }
    char buf[512];
    ssize_t n = rc > 0 ? ::read(fd, buf, sizeof buf) : -1;
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    received.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return interpret_startup(received, timed_out);
}

Detached detach() {
  Detached out;
  int report[2];
  // A socket pair rather than a pipe, for send's MSG_NOSIGNAL. CLOEXEC: the
  // scripts the daemon runs must not hold the parent's wait open.
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, report) != 0) {
    out.is_parent = true;
    out.outcome = {1, std::string("socketpair: ") + std::strerror(errno)};
    return out;
  }
  pid_t child = ::fork();
  if (child != 0) {
    out.is_parent = true;
    ::close(report[1]);
    if (child < 0) {
      out.outcome = {1, std::string("fork: ") + std::strerror(errno)};
      ::close(report[0]);
    } else {
      out.outcome = wait_for_daemon(child, report[0]);
    }
    return out;
  }
  ::close(report[0]);
  ::setsid();
  pid_t grandchild = ::fork();
  if (grandchild < 0) ::_exit(1);
  if (grandchild > 0) ::_exit(0);
  stdio_to_dev_null();
  ::umask(022);
  (void)!::chdir("/");  // "/" always exists
  out.report_fd = report[1];
  return out;
}

}  // namespace hbd::daemon
