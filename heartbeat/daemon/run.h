// The daemon's command-line actions (config-and-tools §5.1): start (with
// -r reload), -k stop and -s status, with heartbeat's messages and exit codes.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "config/cli.h"
#include "io/pidfile.h"

namespace hbd::daemon {

struct RunEnv {
  std::string version;
  std::string program;            // /proc/self/exe or argv[0], for the restart exec
  std::vector<std::string> args;  // argv[1..]
  std::string pid_file;           // normally io::kPidFile
  std::string state_dir;          // normally io::kStateDir
  // Who runs which pid (is the pid file's process an hbd?); null: /proc.
  const io::ProcessTable* processes = nullptr;
};

// Start, CliAction::Start with -r, -k, -s. Returns the exit code.
int run_command(const config::CliOptions& options, const RunEnv& env, std::ostream& out,
                std::ostream& err);

// heartbeat -s's line for a running daemon.
std::string status_line(long pid, const std::string& uname, const std::string& node);

// The argv of the quick restart exec after an ha.cf change: our own
// arguments with -R added once and -C with what we hold (heartbeat's form).
std::vector<std::string> restart_args(const std::vector<std::string>& args,
                                      const std::string& holdings);
// The argv of a fresh start (after giving resources up): no -R/-C.
std::vector<std::string> fresh_args(const std::vector<std::string>& args);

}  // namespace hbd::daemon
