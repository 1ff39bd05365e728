// cl_status: heartbeat's status tool (config-and-tools §5.4). Everything
// here is pure: the arguments and a Snapshot (or why there is none) go in,
// the text for stdout, the error texts for stderr and the exit code come out.
#pragma once
#include <string>
#include <vector>

#include "control/client.h"
#include "control/snapshot.h"

namespace hbd::tools {

// heartbeat's exit codes.
constexpr int kClOk = 0;
constexpr int kClFailure = 1;     // node/link down, parameter unset, heartbeat stopped
constexpr int kClBadUsage = 11;   // bad parameter or sub-command
constexpr int kClTimeout = 12;
constexpr int kClOtherError = 13;

struct ClStatusOutcome {
  std::string out;                  // stdout, verbatim
  std::string plain_err;            // stderr written as is (getopt's complaints, some errors)
  std::vector<std::string> errors;  // stderr after plain_err, one log line each (text after "ERROR: ")
  int exit_code = kClOk;
};

struct ClStatusCommand {
  enum class Kind { Usage, BadSubCommand, Query };
  Kind kind = Kind::Usage;
  std::string sub;                    // canonical name ("parameter" becomes "hbparameter")
  std::string given_sub;              // as typed, for the error message
  std::vector<std::string> operands;  // non-option words after the sub-command
  bool human = false;                 // -m
  bool verbose = false;               // -v
  bool only_normal = false;           // listnodes -n
  bool only_ping = false;             // listnodes -p
  std::string parameter;              // hbparameter -p NAME
  bool has_parameter = false;
  std::string option_error;           // getopt's complaint about the first bad option
};

// args = argv[1..]. Options may come anywhere after the sub-command and be
// grouped (-mv); which letters a sub-command takes follows heartbeat.
ClStatusCommand parse_cl_status(const std::vector<std::string>& args);

// For Usage and BadSubCommand: answered without asking the daemon.
ClStatusOutcome answer_offline(const ClStatusCommand& cmd);

// The daemon answered.
ClStatusOutcome answer(const ClStatusCommand& cmd, const control::Snapshot& snapshot);

// The daemon could not be asked: not running, refusing us, too slow, or
// talking nonsense.
ClStatusOutcome answer_unreachable(const ClStatusCommand& cmd, control::FetchStatus status,
                                   const std::string& detail);

std::string cl_status_usage();

}  // namespace hbd::tools
