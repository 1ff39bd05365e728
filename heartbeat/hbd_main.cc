// hbd: the daemon's entry point. Option handling lives in config/cli.
#include <iostream>
#include <string>
#include <vector>

#include "config.h"
#include "config/cli.h"
#include "config/system_probe.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  hbd::config::CliOptions options = hbd::config::parse_cli(args);
  hbd::config::RealSystemProbe probe;
  return hbd::config::run_cli(options, PACKAGE_VERSION, probe, std::cout, std::cerr);
}
