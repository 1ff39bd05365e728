// cl_status: heartbeat's status tool over hbd's control socket.
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <iostream>

#include "control/client.h"
#include "control/server.h"
#include "log/format.h"
#include "tools/cl_status.h"

namespace {

// heartbeat's cl_status gives up after 5 seconds (its alarm) with exit 12.
constexpr int kTimeoutMs = 5000;

void print_errors(const std::vector<std::string>& errors) {
  hbd::log::Origin origin;
  origin.entity = "cl_status";
  origin.pid = static_cast<long>(::getpid());
  struct utsname names;
  if (::uname(&names) == 0) origin.hostname = names.nodename;
  std::time_t now = std::time(nullptr);
  std::tm when;
  ::localtime_r(&now, &when);
  for (const std::string& text : errors)
    std::cerr << hbd::log::format_syslog_file(origin, when, hbd::log::Level::Error, text);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  hbd::tools::ClStatusCommand cmd = hbd::tools::parse_cl_status(args);
  hbd::tools::ClStatusOutcome outcome;
  if (cmd.kind != hbd::tools::ClStatusCommand::Kind::Query) {
    outcome = hbd::tools::answer_offline(cmd);
  } else {
    const char* env_path = std::getenv("HBD_CONTROL_SOCKET");
    std::string path = env_path && *env_path ? env_path : hbd::control::kDefaultSocketPath;
    hbd::control::FetchResult r = hbd::control::fetch_snapshot(path, kTimeoutMs);
    outcome = r.status == hbd::control::FetchStatus::Ok
                  ? hbd::tools::answer(cmd, r.snapshot)
                  : hbd::tools::answer_unreachable(cmd, r.status, r.detail);
  }
  std::cout << outcome.out << std::flush;
  std::cerr << outcome.plain_err;
  print_errors(outcome.errors);
  return outcome.exit_code;
}
