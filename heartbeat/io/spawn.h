// Starting a child process the way hbd's children must start (resource
// scripts, harc, respawned clients): fork + execve with nothing of the
// daemon leaking into it. The child gets its own process group, default
// signal dispositions and an empty signal mask, SCHED_OTHER (the daemon may
// run SCHED_RR), exactly the given environment and descriptors 0-2 only.
// argv[0] is execve'd directly, never through a shell.
#pragma once
#include <sys/types.h>

#include <cstdint>

#include <optional>
#include <string>
#include <vector>

namespace hbd::io {

// The kernel's struct sigaction (asm-generic layout: amd64, arm64, ...), for
// the rt_sigaction syscall: glibc refuses its own signals 32 and 33, which
// spawn() must still reset for the child.
struct KernelSigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)();
  uint64_t mask;
};

// Who a child runs as (respawned clients). Absent: unchanged (root).
struct Credentials {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups
};

struct SpawnRequest {
  std::vector<std::string> argv;  // argv[0]: the program's path
  std::vector<std::string> env;   // the complete environment, "NAME=value"
  std::string cwd;                // empty: unchanged; "/" when chdir fails
  int stdin_fd = -1;              // -1: /dev/null
  int stdout_fd = -1;             // -1: /dev/null
  int stderr_fd = -1;             // -1: /dev/null
  std::optional<Credentials> credentials;
};

// A started child. `setup_error_fd` is the read end of a close-on-exec
// pipe: a child that fails before or at execve writes why into it, one
// that execs closes it. Read it with setup_error() once the child is reaped.
struct Spawned {
  pid_t pid = -1;
  int setup_error_fd = -1;
};

// Forks and execs. Never blocks on the child. On failure to fork (or to
// make the pipe, or to open /dev/null) returns pid -1 and says why in `error`.
Spawned spawn(const SpawnRequest& request, std::string& error);

// After the child is reaped: why it never ran its program ("No such file or
// directory", "setuid: Operation not permitted"), or "" if execve
// succeeded. Reads without blocking and closes the descriptor.
std::string setup_error(int setup_error_fd);

// The current process's environment as "NAME=value" strings.
std::vector<std::string> current_environment();

}  // namespace hbd::io
