// /run/heartbeat.pid (config-and-tools §4.1): the PID right-aligned in 10
// columns plus a newline. Left behind on a clean stop, as heartbeat does, so
// readers must check that the process still lives.
#pragma once
#include <optional>
#include <string>

namespace hbd::io {

constexpr const char* kPidFile = "/run/heartbeat.pid";

std::string format_pid(long pid);
// Blanks around decimal digits; nullopt for anything else or pid <= 0.
std::optional<long> parse_pid(const std::string& text);

enum class PidState { NoFile, Stale, Running };

struct PidInfo {
  PidState state = PidState::NoFile;
  long pid = 0;  // what the file says (Stale, Running)
};

// What the pid file says about a running daemon. A pid that is our own
// process counts as stale (a restart exec keeps its pid).
PidInfo read_pid_file(const std::string& path);

// Writes our pid; false with `error` on failure.
bool write_pid_file(const std::string& path, long pid, std::string& error);

}  // namespace hbd::io
