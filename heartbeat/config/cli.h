// hbd's command line: heartbeat's option letters plus -t (check a
// configuration directory without starting). Parsing is separate from
// running so both can be tested.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "config/diagnostic.h"
#include "config/system_probe.h"

namespace hbd::config {

// Start, Stop (-k) and Status (-s) are run by the daemon (daemon/run.h);
// run_cli handles the others.
enum class CliAction { Start, Stop, Status, Check, Defaults, Version, Usage };

inline bool is_daemon_action(CliAction a) {
  return a == CliAction::Start || a == CliAction::Stop || a == CliAction::Status;
}

struct CliOptions {
  CliAction action = CliAction::Start;
  std::string config_dir = "/etc/ha.d";
  bool wiki = false;          // -W with -D
  bool no_resources = false;  // -M
  bool foreground = false;    // -f
  bool verbose = false;       // -v
  bool no_realtime = false;   // -l
  int debug = 0;              // one per -d
  bool reload = false;        // -r
  bool restart = false;       // -R (internal: restart exec)
  bool restart_state = false; // -C (internal, with -R)
  std::string restart_holdings;  // -C's value: none, local, foreign or all
  std::string as_node;        // -n NODE with -t: check as node NODE would
  bool json = false;          // --json with -t: the verdict as one JSON object
  std::string error;          // why the command line is invalid (action Usage)
};

// Parses argv[1..]: letters may be grouped (-tM), -c, -C and -n take a
// value attached or as the next word; --json is the one long option.
CliOptions parse_cli(const std::vector<std::string>& args);

std::string usage_text(const std::string& program);

// "FILE:LINE: LEVEL: message" (":LINE" left out when there is no line).
std::string format_diagnostic(const Diagnostic& d);

// Runs what the options ask for (not the daemon actions); returns the exit code.
int run_cli(const CliOptions& options, const std::string& version, const SystemProbe& probe,
            std::ostream& out, std::ostream& err);

}  // namespace hbd::config
