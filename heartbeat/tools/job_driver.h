// Running the resource manager's GroupJob (resources/group_job.h) to its
// end, one blocking script call at a time: what `ResourceManager takegroup`
// and `givegroup` do, with the same pure job as the daemon, so a group
// starts and stops by hand exactly as it does under hbd.
#pragma once
#include <cstdint>
#include <string>

#include "resources/group_job.h"
#include "resources/group_table.h"
#include "resources/types.h"
#include "tools/script_log.h"

namespace hbd::tools {

// Where a script's output goes: the debug file (what heartbeat's
// ResourceManager does for takegroup/givegroup/statgroup) or our stderr
// (heartbeat leaves stderr alone for `status` and `verifyallidle`).
enum class ScriptOutput { DebugFile, Stderr };

// What the tool needs from the system: a blocking script run, the clock,
// and waiting (the stop retries).
class ScriptHost {
 public:
  virtual ~ScriptHost() = default;
  virtual resources::ScriptOutcome run(const resources::ScriptCall& call, ScriptOutput where) = 0;
  virtual int64_t now_ms() = 0;
  virtual void wait_until(int64_t ms) = 0;
};

// "info", "WARN", "ERROR", "CRIT" …: how the shell tools spell levels.
const char* script_level_word(log::Level level);

// The exit status a shell would report for an outcome: the exit code,
// 128+N for a signal, 1 for a timeout or a script that never ran.
int shell_status(const resources::ScriptOutcome& o);

struct DriveResult {
  resources::GroupJob::Result result = resources::GroupJob::Result::Done;
  // 0 when done; the failed start's status (StartFailed) or the failed
  // stop's (RebootRequired), as heartbeat's ResourceManager exits.
  int exit_code = 0;
};

// Runs the job to its end. The manual tool never reboots: on the reboot
// verdict it logs heartbeat's CRIT lines and one of its own, and returns.
DriveResult drive_group_job(const resources::Group& group, resources::GroupJob::Kind kind,
                            const resources::JobContext& context, ScriptHost& host, ScriptLog& log);

}  // namespace hbd::tools
