// Log lines of heartbeat's shell tools (config-and-tools §6.3): hb_standby,
// ResourceManager and friends write to the log files themselves, through
// the shell library's ha_log, in a layout of their own:
//   log file    2026/11/21_21:01:10  ResourceManager(default)[17165]:    info: Acquiring …
//   debug file  ResourceManager(default)[17165]:<TAB>2026/11/21_21:01:10 info: Acquiring …
//   stderr      Nov 21 21:03:01 Going standby [all].    (run by hand, not on a tty)
//   stderr      Going standby [all].                    (run by hand on a tty)
// The date comes from HA_DATEFMT and passes through the shell's word
// splitting (echo `hadate`" $TAG:    $*"), which is why the log file has
// two blanks after it and the debug file one.
//
// Where lines go follows ha_log: HA_LOGFACILITY (syslog), HA_LOGFILE,
// HA_DEBUGLOG from the environment; stderr when stdin is a tty, or when
// neither a facility nor a log file is set. hbd adds one thing: run by hand
// (none of the three in the environment) the tools also append to ha.cf's
// logfile/debugfile/logfacility, so the log records what an admin asked;
// the terminal output stays exactly heartbeat's. And on a tty heartbeat's
// ha_log writes nothing but stderr; hbd writes the files too.
#pragma once
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hbd::tools {

using Getenv = std::function<const char*(const char* name)>;

// One shell word made of quoted and unquoted pieces, as `echo` prints it:
// unquoted pieces are split on blanks, the fields joined by one space.
struct WordPiece {
  bool quoted = false;
  std::string text;
};
std::string shell_echo(const std::vector<WordPiece>& pieces);

// logfile/debugfile/logfacility as ha.cf has them (absent: empty).
struct ConfigLogging {
  std::string logfile, debugfile, logfacility;
};

struct ScriptLogInputs {
  Getenv getenv;
  std::optional<ConfigLogging> config;  // ha.cf's, if it could be read
  bool stdin_is_tty = false;
  std::string program;  // basename of argv[0]
  long pid = 0;
};

struct ScriptLogPlan {
  std::string tag;         // HA_LOGTAG, or "<program>(<instance>)[<pid>]"
  std::string env_logtag;  // HA_LOGTAG as the environment had it (tty lines)
  std::string logfile;
  std::string debugfile;      // empty: none (also when it is the log file)
  std::string script_output;  // where scripts' output goes (HA_DEBUGLOG); "": nowhere
  bool from_config = false;   // run by hand: destinations are ha.cf's
  int facility = -1;          // syslog facility, -1: none
  std::string facility_name;  // as configured ("local0"); "" for none
  std::string file_datefmt;
  std::string stderr_datefmt;
  enum class Stderr { None, Plain, Dated } stderr_mode = Stderr::None;
};

// Where the lines go, from the environment (and ha.cf when run by hand).
ScriptLogPlan plan_script_log(const ScriptLogInputs& in);

std::string format_date(const std::string& datefmt, const std::tm& when);
std::string log_file_line(const ScriptLogPlan& plan, const std::tm& when, const std::string& text);
std::string debug_file_line(const ScriptLogPlan& plan, const std::tm& when,
                            const std::string& text);
std::string stderr_line(const ScriptLogPlan& plan, const std::tm& when, const std::string& text);
// ha_log's syslog priority: err if the text has ERROR, warning if WARN,
// info if INFO (or is exactly "info"), else notice.
int syslog_priority_for(const std::string& text);

// What the tools log to. `text` includes the level word as the shell tools
// write it ("info: Running …", "ERROR: Return code 1 from …", "Going standby [all].").
class ScriptLog {
 public:
  virtual ~ScriptLog() = default;
  virtual void log(const std::string& text) = 0;
};

// Appends to the planned files (opened per line, as the shell does),
// syslog and stderr, with the local time of each line.
class ScriptLogger : public ScriptLog {
 public:
  explicit ScriptLogger(ScriptLogPlan plan);
  ~ScriptLogger() override;
  void log(const std::string& text) override;
  const ScriptLogPlan& plan() const { return plan_; }

 private:
  ScriptLogPlan plan_;
  bool syslog_open_ = false;
};

// ha.cf's logging directives, read with hbd's parser (no host look-ups);
// nullopt when the file cannot be read.
std::optional<ConfigLogging> read_config_logging(const std::string& hacf_path);

// The plan for a tool run now: environment, ha.cf in HA_DIR (default
// /etc/ha.d), stdin, getpid().
ScriptLogPlan plan_for_this_process(const std::string& argv0, const Getenv& getenv);

std::string base_name(const std::string& path);

}  // namespace hbd::tools
