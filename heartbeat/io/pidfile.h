// /run/heartbeat.pid (config-and-tools §4.1): the PID right-aligned in 10
// columns plus a newline. Left behind on a clean stop, as heartbeat does, so
// readers must check that the process still lives, and that it is an hbd
// (the kernel reuses pids). The daemon holds an flock on the file for its
// whole life, so a second start cannot run beside it.
#pragma once
#include <optional>
#include <string>

namespace hbd::io {

constexpr const char* kPidFile = "/run/heartbeat.pid";

std::string format_pid(long pid);
// Blanks around decimal digits; nullopt for anything else or pid <= 0.
std::optional<long> parse_pid(const std::string& text);

// Which processes exist and what they run, behind an interface so tests can
// name a live process that is not an hbd.
class ProcessTable {
 public:
  virtual ~ProcessTable() = default;
  virtual bool alive(long pid) const = 0;
  // The process runs hbd (or heartbeat): not some other program that got
  // a dead daemon's pid.
  virtual bool is_hbd(long pid) const = 0;
};

// /proc: the executable's name (or, when /proc/PID/exe is not ours to read,
// the command name) is this program's, "hbd" or "heartbeat".
class SystemProcessTable : public ProcessTable {
 public:
  bool alive(long pid) const override;
  bool is_hbd(long pid) const override;
};
const ProcessTable& system_processes();

// A program name (exe path or comm) that counts as an hbd, given our own.
bool names_hbd(const std::string& name, const std::string& own_name);

enum class PidState { NoFile, Stale, Running };

struct PidInfo {
  PidState state = PidState::NoFile;
  long pid = 0;  // what the file says (Stale, Running)
};

// What the pid file says about a running daemon. A pid that is our own
// process counts as stale (a restart exec keeps its pid), and so does one
// that lives but is not an hbd.
PidInfo read_pid_file(const std::string& path,
                      const ProcessTable& processes = system_processes());

// Writes `pid` without locking (tests, and tools that set up a file).
bool write_pid_file(const std::string& path, long pid, std::string& error);

// The daemon's hold on the pid file: the flock lives as long as the open
// file description, which fork shares, so it is taken before daemonising
// and the daemon's pid written after. Closed by exec (CLOEXEC).
class PidFileLock {
 public:
  PidFileLock() = default;
  ~PidFileLock();
  PidFileLock(const PidFileLock&) = delete;
  PidFileLock& operator=(const PidFileLock&) = delete;

  enum class Outcome { Locked, Busy, Failed };
  // Opens (no truncation, no symlink) and locks `path`. Busy: another
  // process holds it, nothing was changed. Failed: `error` says why.
  Outcome acquire(const std::string& path, std::string& error);
  // Replaces the content with `pid`; false with `error` on failure.
  bool write(long pid, std::string& error);

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace hbd::io
