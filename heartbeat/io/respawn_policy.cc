#include "io/respawn_policy.h"


namespace hbd::io {

namespace {

struct SignalName {
  int number;
  const char* name;
  const char* text;
};

// heartbeat's own names for signals (its process-tracking library's table,
// as found in libplumb.so.2 of 3.0.6; not glibc's strsignal texts). Two
// names really end in a tab there.
constexpr SignalName kSignalNames[] = {
    {1, "SIGHUP", "Hangup"},
    {2, "SIGINT", "Interrupt"},
    {3, "SIGQUIT", "Quit"},
    {4, "SIGILL", "Illegal instruction"},
    {5, "SIGTRAP", "Trace"},
    {6, "SIGABRT", "Abort"},
    {7, "SIGBUS", "BUS error"},
    {8, "SIGFPE", "Floating-point exception"},
    {9, "SIGKILL", "Kill, unblockable"},
    {10, "SIGUSR1", "User-defined signal 1"},
    {11, "SIGSEGV", "Segmentation violation"},
    {12, "SIGUSR2", "User-defined signal 2"},
    {13, "SIGPIPE", "Broken pipe (POSIX)"},
    {14, "SIGALRM", "Alarm clock (POSIX)"},
    {15, "SIGTERM", "Termination (ANSI)"},
    {16, "SIGSTKFLT", "Stack fault"},
    {17, "SIGCHLD", "Child status has changed"},
    {18, "SIGCONT", "Continue"},
    {19, "SIGSTOP", "Stop, unblockable"},
    {20, "SIGTSTP", "Keyboard stop"},
    {21, "SIGTTIN", "Background read from tty"},
    {22, "SIGTTOU", "Background write to tty"},
    {23, "SIGURG\t", "Urgent condition on socket"},
    {24, "SIGXCPU", "CPU limit exceeded"},
    {25, "SIGXFSZ", "File size limit exceeded"},
    {26, "SIGVTALRM", "Virtual alarm clock"},
    {27, "SIGPROF", "Profiling alarm clock"},
    {28, "SIGWINCH", "Window size change"},
    {29, "SIGPOLL", "Pollable event occurred"},
    {30, "SIGPWR", "Power failure restart"},
    {31, "SIGSYS", "Bad system call"},
};

const SignalName* signal_name(int signal) {
  for (const auto& s : kSignalNames) {
    if (s.number == signal) return &s;
  }
  return nullptr;
}

}  // namespace

RespawnPolicy::Decision RespawnPolicy::exited(const ClientEnd& end, int64_t now_ms, uid_t uid,
                                              gid_t gid) {
  Decision d;
  if (shutting_down_) return d;  // Stop, silently: we are the ones killing it
  d.log.push_back({log::Level::Warn, managed_process_ended_line(command_, end)});
  if (end.core_dumped) {
    // heartbeat has this line too; its level and place were not observed.
    d.log.push_back({log::Level::Warn, "Managed " + command_ + " process " +
                                           std::to_string(end.pid) + " dumped core"});
  }
  if (!end.signalled && end.exit_code == kNoRespawnExitCode) {
    d.action = Action::NoRestart;
    return d;
  }
  bool fast = now_ms - started_ms_ < kFastDeathMs;
  fast_deaths_ = fast ? fast_deaths_ + 1 : 0;
  if (fast_deaths_ > kMaxFastDeaths) {
    d.action = Action::GiveUp;
    d.log.push_back({log::Level::Error, "Client " + command_ + " \"respawning too fast\""});
    return d;
  }
  d.action = fast ? Action::RestartLater : Action::RestartNow;
  d.restart_at_ms = fast ? now_ms + kRestartDelayMs : now_ms;
  d.log.push_back({log::Level::Error, "Respawning client \"" + command_ + "\":"});
  d.log.push_back({log::Level::Info, starting_child_client_line(command_, uid, gid)});
  return d;
}

std::string starting_child_client_line(const std::string& command, uid_t uid, gid_t gid) {
  return "Starting child client \"" + command + "\" (" + std::to_string(uid) + "," +
         std::to_string(gid) + ")";
}

std::string starting_as_line(const std::string& command, uid_t uid, gid_t gid, pid_t pid) {
  return "Starting \"" + command + "\" as uid " + std::to_string(uid) + "  gid " +
         std::to_string(gid) + " (pid " + std::to_string(pid) + ")";
}

std::string killing_line(const std::string& command, pid_t pgid, int signal) {
  return "killing " + command + " process group " + std::to_string(pgid) + " with signal " +
         std::to_string(signal);
}

std::string not_running_line(const std::string& command) {
  return "client [" + command + "] is not running.";
}

std::string managed_process_ended_line(const std::string& command, const ClientEnd& end) {
  std::string head = "Managed " + command + " process " + std::to_string(end.pid);
  if (end.signalled) {
    head += " killed by signal " + std::to_string(end.signal);
    const SignalName* name = signal_name(end.signal);
    if (!name) return head + ".";
    return head + " [" + name->name + " - " + name->text + "].";
  }
  return head + " exited with return code " + std::to_string(end.exit_code) + ".";
}

bool is_heartbeat_ipfail(const std::string& command) {
  size_t begin = command.find_first_not_of(" \t");
  if (begin == std::string::npos) return false;
  size_t end = command.find_first_of(" \t", begin);
  std::string program = command.substr(begin, end == std::string::npos ? end : end - begin);
  size_t slash = program.rfind('/');
  return program.substr(slash == std::string::npos ? 0 : slash + 1) == "ipfail";
}

std::string ipfail_not_started_line(const config::ClientChild& client) {
  return "respawn " + client.command + " (ha.cf line " + std::to_string(client.line) +
         "): ipfail is built into hbd; its logic runs in the daemon (no process started)";
}

}  // namespace hbd::io
