// hb_standby and hb_takeover (config-and-tools §5.3): heartbeat's argument
// rules, usage messages and exit codes, and the FIFO block each one drops
// into the daemon's command FIFO (§5.7).
//
//   hb_standby  [all|foreign|local|failback]  t=ask_resources rsc_hold=<set> info=me
//               ("failback" is sent as "foreign"); logs "Going standby [<set>]."
//   hb_takeover [all|foreign|local|failback]  t=hb_takeover rsc_hold=<word as given>
#pragma once
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "tools/fifo_sender.h"
#include "tools/script_log.h"

namespace hbd::tools {

enum class StandbyTool { Standby, Takeover };

constexpr const char* kDefaultFifo = "/var/lib/heartbeat/fifo";

struct StandbyArgs {
  int exit_code = 0;  // 1: usage error (nothing is sent)
  std::string out;    // heartbeat prints its usage half on stdout…
  std::string err;    // …and half on stderr
  std::string set;    // rsc_hold to send
  bool ok() const { return exit_code == 0; }
};

// `program` is argv[0] as given: heartbeat's messages use "$0".
StandbyArgs parse_standby_args(StandbyTool tool, const std::string& program,
                               const std::vector<std::string>& args);

// ">>>\nname=value\n…<<<\n", as the shell helper ha_clustermsg writes it.
std::string fifo_block(const std::vector<std::pair<std::string, std::string>>& fields);

// The block the tool writes for `set`.
std::string standby_block(StandbyTool tool, const std::string& set);

// hb_standby's log line.
std::string going_standby_text(const std::string& set);

// The whole tool: arguments, then the FIFO is opened (failing fast, with
// nothing logged, when the daemon is not there), hb_standby logs its line,
// the block is written. Returns the exit code: 0 sent, 1 usage error or the
// request could not be delivered.
int run_standby(StandbyTool tool, const std::string& program, const std::vector<std::string>& args,
                FifoSender& fifo, ScriptLog& log, std::ostream& out, std::ostream& err);

}  // namespace hbd::tools
