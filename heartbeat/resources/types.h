// The vocabulary of the resource manager (wire-protocol §6, config-and-tools
// §3): resource sets, script calls and their outcomes, and the actions the
// pure core hands back to whoever runs it (the daemon or the simulation).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "log/format.h"
#include "wire/message.h"

namespace hbd::resources {

// ha.cf auto_failback: legacy (the default), on, off.
enum class Mode { Legacy, On, Off };

// heartbeat's resource sets as bits, as they travel in rsc_hold.
enum RscSet : int { kNone = 0, kLocal = 1, kForeign = 2, kAll = 3 };

// "none", "local", "foreign", "all".
const char* set_name(int set);
// The set named by `text`; nullopt for anything else (heartbeat logs
// "encode_resources: bad resource type [%s]" and uses none).
std::optional<int> parse_set(std::string_view text);
// A holdings update: a full update replaces, `none` clears, otherwise the
// new bits are added to the known ones.
int update_set(bool full, int current, int update);
// The complement a standby request asks the other side to give up:
// hb_takeover's mapping all→all, local→foreign, foreign→local.
int complement(int set);

enum class Op { Start, Stop, Status };
const char* op_name(Op op);

// One script to run: exact argv (never through a shell), extra environment.
struct ScriptCall {
  uint64_t id = 0;
  std::string path;                 // resolved script
  std::vector<std::string> args;    // its arguments, the operation last
  bool capture_stdout = false;      // status: the text decides, not the exit code
  int64_t timeout_ms = 0;           // 0: none
  std::vector<std::pair<std::string, std::string>> env;  // added to the daemon's
};

struct ScriptOutcome {
  enum class End { Exited, Signalled, TimedOut, NotRun };
  uint64_t id = 0;
  End end = End::Exited;
  int exit_code = 0;     // Exited
  int signal = 0;        // Signalled
  std::string output;    // stdout of a captured call
  std::string error;     // NotRun: why
  int64_t elapsed_ms = 0;

  bool ok() const { return end == End::Exited && exit_code == 0; }
};

// What the core asks its runner to do, in order.
struct Action {
  enum class Kind {
    Send,              // message: to the cluster (and back to us, as every message)
    Log,               // level, text
    RunScript,         // call: exactly one runs at a time
    Announce,          // addresses: gratuitous ARP for these virtual IPs
    Reboot,            // a resource would not stop: heartbeat reboots here
    ShutdownComplete,  // resources given up, shutdone sent and settled: exit
  };
  Kind kind = Kind::Log;
  wire::Message message;
  log::Level level = log::Level::Info;
  std::string text;
  ScriptCall call;
  std::vector<std::string> addresses;
};

using Actions = std::vector<Action>;

// Appends actions; what every part of the core writes to.
class Out {
 public:
  explicit Out(Actions& actions) : actions_(actions) {}
  void send(wire::Message message);
  void log(log::Level level, std::string text);
  void info(std::string text) { log(log::Level::Info, std::move(text)); }
  void warn(std::string text) { log(log::Level::Warn, std::move(text)); }
  void error(std::string text) { log(log::Level::Error, std::move(text)); }
  void crit(std::string text) { log(log::Level::Crit, std::move(text)); }
  void run(ScriptCall call);
  void announce(std::vector<std::string> addresses);
  void reboot();
  void shutdown_complete();

 private:
  Actions& actions_;
};

// A message of type `t` with the given fields, in order.
wire::Message make_message(
    const std::string& type,
    std::initializer_list<std::pair<std::string, std::string>> fields = {});

}  // namespace hbd::resources
