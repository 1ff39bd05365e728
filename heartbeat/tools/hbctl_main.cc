// hbctl: hbd's admin tool (see tools/hbctl.h).
#include <cstdlib>
#include <iostream>

#include "control/client.h"
#include "control/server.h"
#include "tools/hbctl.h"

int main(int argc, char** argv) {
  const char* env_path = std::getenv("HBD_CONTROL_SOCKET");
  std::string path = env_path && *env_path ? env_path : hbd::control::kDefaultSocketPath;
  std::vector<std::string> args(argv + 1, argv + argc);
  hbd::tools::HbctlOutcome o = hbd::tools::run_hbctl(args, hbd::control::fetch_snapshot, path);
  std::cout << o.out << std::flush;
  std::cerr << o.err << std::flush;
  return o.exit_code;
}
