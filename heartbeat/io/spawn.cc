#include "io/spawn.h"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

extern char** environ;

namespace hbd::io {

namespace {

// What the child was doing when it failed; sent over the pipe with errno.
enum class Stage : int { Descriptors = 1, SetGroups, SetGid, SetUid, Exec };

struct SetupFailure {
  int stage = 0;
  int error = 0;
};

const char* stage_prefix(int stage) {
  switch (static_cast<Stage>(stage)) {
    case Stage::Descriptors: return "dup2: ";
    case Stage::SetGroups: return "setgroups: ";
    case Stage::SetGid: return "setgid: ";
    case Stage::SetUid: return "setuid: ";
    case Stage::Exec: return "";
  }
  return "";
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// --- Everything below until spawn() runs in the forked child: only
// async-signal-safe calls, no allocation. ---

[[noreturn]] void fail_in_child(int report_fd, Stage stage) {
  SetupFailure failure{static_cast<int>(stage), errno};
  (void)!::write(report_fd, &failure, sizeof failure);
  ::_exit(127);
}

void reset_signals() {
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  KernelSigaction kernel_dfl{SIG_DFL, 0, nullptr, 0};
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    // glibc refuses the two signals it keeps for itself (32, 33); an ignore
    // inherited from whoever started hbd would reach every script. The
    // kernel takes the reset directly.
    if (::sigaction(sig, &dfl, nullptr) != 0)
      ::syscall(SYS_rt_sigaction, sig, &kernel_dfl, nullptr, sizeof kernel_dfl.mask);
  }
}

void leave_realtime() {
  sched_param param;
  std::memset(&param, 0, sizeof param);
  ::sched_setscheduler(0, SCHED_OTHER, &param);
}

// Marks every descriptor from 3 up close-on-exec: only 0-2 survive execve.
void cloexec_from_3() {
  if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
  rlimit limit;
  int max = 65536;
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < static_cast<rlim_t>(max)) {
    max = static_cast<int>(limit.rlim_cur);
  }
  for (int fd = 3; fd < max; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
}

// Puts `sources` on 0, 1, 2. Each is first copied above 2 so that a source
// that already is 0-2 is not overwritten before it is used.
void install_stdio(const int (&sources)[3], int report_fd) {
  int high[3];
  for (int i = 0; i < 3; ++i) {
    high[i] = ::fcntl(sources[i], F_DUPFD_CLOEXEC, 3);
    if (high[i] < 0) fail_in_child(report_fd, Stage::Descriptors);
  }
  for (int i = 0; i < 3; ++i) {
    if (::dup2(high[i], i) < 0) fail_in_child(report_fd, Stage::Descriptors);
  }
}

void become(const Credentials& who, int report_fd) {
  if (::setgroups(who.groups.size(), who.groups.data()) != 0) {
    fail_in_child(report_fd, Stage::SetGroups);
  }
  if (::setgid(who.gid) != 0) fail_in_child(report_fd, Stage::SetGid);
  if (::setuid(who.uid) != 0) fail_in_child(report_fd, Stage::SetUid);
}

[[noreturn]] void run_child(const SpawnRequest& request, const int (&stdio)[3], int report_fd,
                            char* const* argv, char* const* envp) {
  ::setpgid(0, 0);
  reset_signals();
  leave_realtime();
  if (report_fd < 3) report_fd = ::fcntl(report_fd, F_DUPFD_CLOEXEC, 3);
  install_stdio(stdio, report_fd);
  cloexec_from_3();
  if (!request.cwd.empty() && ::chdir(request.cwd.c_str()) != 0) (void)!::chdir("/");
  if (request.credentials) become(*request.credentials, report_fd);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::execve(argv[0], argv, envp);
  fail_in_child(report_fd, Stage::Exec);
}

}  // namespace

Spawned spawn(const SpawnRequest& request, std::string& error) {
  if (request.argv.empty()) {
    error = "no program to run";
    return {};
  }
  int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0) {
    error = std::string("cannot open /dev/null: ") + std::strerror(errno);
    return {};
  }
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    ::close(null_fd);
    return {};
  }
  ::fcntl(report[0], F_SETFL, O_NONBLOCK);
  const int stdio[3] = {request.stdin_fd >= 0 ? request.stdin_fd : null_fd,
                        request.stdout_fd >= 0 ? request.stdout_fd : null_fd,
                        request.stderr_fd >= 0 ? request.stderr_fd : null_fd};
  std::vector<char*> argv = c_strings(request.argv);
  std::vector<char*> envp = c_strings(request.env);

  // Signals stay blocked across fork so that no daemon handler runs in the
  // child before the child has reset them.
  sigset_t all, old;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = ::fork();
  if (pid == 0) run_child(request, stdio, report[1], argv.data(), envp.data());
  int fork_errno = errno;
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  ::close(report[1]);
  ::close(null_fd);
  if (pid < 0) {
    ::close(report[0]);
    error = std::string("fork: ") + std::strerror(fork_errno);
    return {};
  }
  // Also from the parent, so that a kill of the group right after this
  // returns reaches the child even if it has not run yet.
  ::setpgid(pid, pid);
  return {pid, report[0]};
}

std::string setup_error(int fd) {
  if (fd < 0) return "";
  SetupFailure failure;
  ssize_t n;
  do {
    n = ::read(fd, &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  ::close(fd);
  if (n != static_cast<ssize_t>(sizeof failure)) return "";
  return std::string(stage_prefix(failure.stage)) + std::strerror(failure.error);
}

std::vector<std::string> current_environment() {
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) out.emplace_back(*e);
  return out;
}

}  // namespace hbd::io
