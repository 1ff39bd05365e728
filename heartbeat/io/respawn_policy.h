// ha.cf `respawn USER COMMAND…` (config-and-tools §4.8): when a respawned
// client is restarted, delayed or given up, and the lines heartbeat 3.0.6
// logs for it. Pure: events and times in, decisions and log lines out.
//
// The rules and texts are those a real heartbeat 3.0.6 showed in the lab
// (test hosts, one-node cluster, clients dying on purpose):
//   WARN: Managed /etc/ha.d/fast.sh process 25 exited with return code 1.
//   WARN: Managed /etc/ha.d/sig.sh process 28 killed by signal 10 [SIGUSR1 - User-defined signal 1].
//   (the names and texts of the other signals: heartbeat's table, see .cc)
//   ERROR: Respawning client "/etc/ha.d/fast.sh":
//   info: Starting child client "/etc/ha.d/fast.sh" (0,0)
//   info: Starting "/etc/ha.d/fast.sh" as uid 0  gid 0 (pid 48)      (1 s later after a fast death)
//   ERROR: Client /etc/ha.d/fast.sh "respawning too fast"
//   info: killing /etc/ha.d/info.sh process group 29 with signal 15   (shutdown, reverse order)
//   info: client [/etc/ha.d/fast.sh] is not running.                 (shutdown)
// * a death less than 30 s after the start is "fast"; the restart after a
//   fast death waits 1 s, after a slow one it is immediate;
// * the 11th fast death in a row gives up (a slow death resets the count);
// * exit code 100: logged, never restarted;
// * once shutdown has begun, deaths are neither logged nor restarted.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "config/hacf.h"
#include "log/format.h"

namespace hbd::io {

struct RespawnLogLine {
  log::Level level;
  std::string text;
  bool operator==(const RespawnLogLine& o) const { return level == o.level && text == o.text; }
};

// How a client's process ended (from waitpid's status).
struct ClientEnd {
  pid_t pid = 0;
  bool signalled = false;
  int exit_code = 0;  // !signalled
  int signal = 0;     // signalled
  bool core_dumped = false;
};

class RespawnPolicy {
 public:
  static constexpr int64_t kFastDeathMs = 30000;
  static constexpr int kMaxFastDeaths = 10;  // the next fast death gives up
  static constexpr int64_t kRestartDelayMs = 1000;
  static constexpr int kNoRespawnExitCode = 100;

  enum class Action {
    RestartNow,    // start again at once
    RestartLater,  // start again at restart_at_ms
    NoRestart,     // exit code 100
    GiveUp,        // respawning too fast
    Stop,          // shutdown in progress
  };
  struct Decision {
    Action action = Action::Stop;
    int64_t restart_at_ms = 0;           // RestartNow: now; RestartLater: now + 1 s
    std::vector<RespawnLogLine> log;     // to log now, in order
  };

  explicit RespawnPolicy(std::string command) : command_(std::move(command)) {}

  // The client's process was started at `now_ms`.
  void started(int64_t now_ms) { started_ms_ = now_ms; }
  // Its process ended at `now_ms`. `uid`/`gid` are for the restart line.
  Decision exited(const ClientEnd& end, int64_t now_ms, uid_t uid, gid_t gid);
  // From now on nothing is restarted and deaths are not logged.
  void shutdown() { shutting_down_ = true; }
  bool shutting_down() const { return shutting_down_; }
  int fast_deaths() const { return fast_deaths_; }
  const std::string& command() const { return command_; }

 private:
  std::string command_;
  int64_t started_ms_ = 0;
  int fast_deaths_ = 0;  // in a row
  bool shutting_down_ = false;
};

// The other lines, for the adapter.
std::string starting_child_client_line(const std::string& command, uid_t uid, gid_t gid);
std::string starting_as_line(const std::string& command, uid_t uid, gid_t gid, pid_t pid);
std::string killing_line(const std::string& command, pid_t pgid, int signal);
std::string not_running_line(const std::string& command);
// "WARN: Managed … exited with return code N." / "… killed by signal S [SIGX - text]."
std::string managed_process_ended_line(const std::string& command, const ClientEnd& end);

// A respawn line whose program (first word of the command) has the
// basename `ipfail`: heartbeat's ipfail needs heartbeat's client API,
// which hbd does not offer, so hbd does not start it.
bool is_heartbeat_ipfail(const std::string& command);
// info: respawn <cmd> (ha.cf line N): hbd does not start heartbeat's ipfail; …
std::string ipfail_not_started_line(const config::ClientChild& client);

}  // namespace hbd::io
