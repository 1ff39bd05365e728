// hbd: the daemon's entry point. Option handling lives in config/cli, the
// daemon actions (start, -k, -s, -r) in daemon/run.
#include <unistd.h>

#include <climits>
#include <iostream>
#include <string>
#include <vector>

#include "config.h"
#include "config/cli.h"
#include "config/system_probe.h"
#include "daemon/run.h"
#include "io/pidfile.h"
#include "io/store.h"

namespace {

// The restart exec must find this binary even after cwd changed.
std::string own_path(const char* argv0) {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) return std::string(buf, static_cast<size_t>(n));
  return argv0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  hbd::config::CliOptions options = hbd::config::parse_cli(args);
  if (hbd::config::is_daemon_action(options.action)) {
    hbd::daemon::RunEnv env;
    env.version = PACKAGE_VERSION;
    env.program = own_path(argv[0]);
    env.args = args;
    env.pid_file = hbd::io::kPidFile;
    env.state_dir = hbd::io::kStateDir;
    return hbd::daemon::run_command(options, env, std::cout, std::cerr);
  }
  hbd::config::RealSystemProbe probe;
  return hbd::config::run_cli(options, PACKAGE_VERSION, probe, std::cout, std::cerr);
}
