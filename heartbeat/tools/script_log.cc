#include "tools/script_log.h"

#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iterator>

#include "config/hacf.h"
#include "log/logger.h"

namespace hbd::tools {

namespace {

// What the daemon exports (resource_settings.cc) and ocf-directories'
// default when nothing is exported.
constexpr const char* kDaemonDateFormat = "%Y/%m/%d_%T\t";
constexpr const char* kShellDateFormat = "%b %d %T ";

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

std::string env_or(const Getenv& getenv, const char* name, const std::string& fallback) {
  const char* v = getenv(name);
  return v && *v ? std::string(v) : fallback;
}

// Answers every host question with "yes" and reads nothing: only the
// logging directives of ha.cf are wanted, without DNS or interface probes.
class NoLookupProbe : public config::SystemProbe {
 public:
  std::string node_name() const override { return ""; }
  config::ProbeResult broadcast_address(const std::string&) const override { return {}; }
  bool interface_exists(const std::string&) const override { return true; }
  config::ProbeResult resolve_host(const std::string&) const override { return {}; }
  bool user_exists(const std::string&) const override { return true; }
  bool group_exists(const std::string&) const override { return true; }
  bool path_exists(const std::string&) const override { return true; }
  bool is_directory(const std::string&) const override { return true; }
  bool is_char_device(const std::string&) const override { return true; }
  bool is_executable_file(const std::string&) const override { return true; }
  std::optional<std::string> udp_service_name(int) const override { return std::nullopt; }
  std::optional<int> udp_service_port(const std::string&) const override { return std::nullopt; }
  config::FileContent read_file(const std::string&) const override { return {}; }
};

void append_line(const std::string& path, const std::string& line) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;  // as `echo … >> file` failing: the tool carries on
  std::string data = line + "\n";
  (void)!::write(fd, data.data(), data.size());
  ::close(fd);
}

}  // namespace

std::string shell_echo(const std::vector<WordPiece>& pieces) {
  std::vector<std::string> fields;
  bool in_field = false;
  for (const auto& p : pieces) {
    if (p.quoted) {
      if (!in_field) fields.emplace_back();
      fields.back() += p.text;
      in_field = true;
      continue;
    }
    for (char c : p.text) {
      if (is_blank(c)) {
        in_field = false;
        continue;
      }
      if (!in_field) fields.emplace_back();
      fields.back() += c;
      in_field = true;
    }
  }
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? " " : "") + fields[i];
  return out;
}

std::string base_name(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

ScriptLogPlan plan_script_log(const ScriptLogInputs& in) {
  const Getenv& env = in.getenv;
  ScriptLogPlan plan;
  plan.env_logtag = env_or(env, "HA_LOGTAG", "");
  plan.tag = !plan.env_logtag.empty()
                 ? plan.env_logtag
                 : in.program + "(" + env_or(env, "OCF_RESOURCE_INSTANCE", "default") + ")[" +
                       std::to_string(in.pid) + "]";
  std::string facility = env_or(env, "HA_LOGFACILITY", "");
  if (facility == "none") facility.clear();
  std::string logfile = env_or(env, "HA_LOGFILE", "");
  std::string debugfile = env_or(env, "HA_DEBUGLOG", "");

  // heartbeat's terminal output depends on the environment only.
  if (in.stdin_is_tty)
    plan.stderr_mode = ScriptLogPlan::Stderr::Plain;
  else if (facility.empty() && logfile.empty())
    plan.stderr_mode = ScriptLogPlan::Stderr::Dated;

  bool by_hand = !env("HA_LOGFILE") && !env("HA_DEBUGLOG") && !env("HA_LOGFACILITY");
  if (by_hand && in.config) {
    plan.from_config = true;
    logfile = in.config->logfile;
    debugfile = in.config->debugfile;
    facility = in.config->logfacility == "none" ? "" : in.config->logfacility;
  }
  plan.logfile = logfile == "/dev/null" ? "" : logfile;
  plan.script_output = debugfile == "/dev/null" ? "" : debugfile;
  plan.debugfile = debugfile == "/dev/null" || debugfile == logfile ? "" : debugfile;
  plan.facility = facility.empty() ? -1 : log::facility_from_name(facility);
  plan.facility_name = facility;
  // Lines hbd adds to ha.cf's files look like the daemon-run scripts' lines;
  // a log file named in the environment gets what the shell would write.
  plan.file_datefmt = env_or(env, "HA_DATEFMT", by_hand ? kDaemonDateFormat : kShellDateFormat);
  plan.stderr_datefmt = env_or(env, "HA_DATEFMT", kShellDateFormat);
  return plan;
}

std::string format_date(const std::string& datefmt, const std::tm& when) {
  char buf[256];
  size_t n = std::strftime(buf, sizeof buf, datefmt.c_str(), &when);
  return std::string(buf, n);
}

std::string log_file_line(const ScriptLogPlan& plan, const std::tm& when, const std::string& text) {
  return shell_echo(
      {{false, format_date(plan.file_datefmt, when)}, {true, " " + plan.tag + ":    " + text}});
}

std::string debug_file_line(const ScriptLogPlan& plan, const std::tm& when,
                            const std::string& text) {
  return shell_echo(
      {{true, plan.tag + ":\t"}, {false, format_date(plan.file_datefmt, when)}, {true, text}});
}

std::string stderr_line(const ScriptLogPlan& plan, const std::tm& when, const std::string& text) {
  if (plan.stderr_mode == ScriptLogPlan::Stderr::Plain)
    return plan.env_logtag.empty() ? text : plan.env_logtag + ": " + text;
  return shell_echo({{false, format_date(plan.stderr_datefmt, when)}, {true, text}});
}

int syslog_priority_for(const std::string& text) {
  if (text.find("ERROR") != std::string::npos) return LOG_ERR;
  if (text.find("WARN") != std::string::npos) return LOG_WARNING;
  if (text.find("INFO") != std::string::npos || text == "info") return LOG_INFO;
  return LOG_NOTICE;
}

ScriptLogger::ScriptLogger(ScriptLogPlan plan) : plan_(std::move(plan)) {}

ScriptLogger::~ScriptLogger() {
  if (syslog_open_) ::closelog();
}

void ScriptLogger::log(const std::string& text) {
  std::time_t now = std::time(nullptr);
  std::tm when{};
  ::localtime_r(&now, &when);
  if (plan_.facility >= 0) {
    if (!syslog_open_) ::openlog(plan_.tag.c_str(), 0, plan_.facility);
    syslog_open_ = true;
    ::syslog(plan_.facility | syslog_priority_for(text), "%s", text.c_str());
  }
  if (!plan_.logfile.empty()) append_line(plan_.logfile, log_file_line(plan_, when, text));
  if (plan_.stderr_mode != ScriptLogPlan::Stderr::None) {
    std::string line = stderr_line(plan_, when, text) + "\n";
    (void)!::write(STDERR_FILENO, line.data(), line.size());
  }
  if (!plan_.debugfile.empty()) append_line(plan_.debugfile, debug_file_line(plan_, when, text));
}

std::optional<ConfigLogging> read_config_logging(const std::string& hacf_path) {
  std::ifstream in(hacf_path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  NoLookupProbe probe;
  config::HaCfResult r = config::parse_hacf(text, hacf_path, probe);
  ConfigLogging out;
  out.logfile = r.config.logfile.value_or("");
  out.debugfile = r.config.debugfile.value_or("");
  out.logfacility = r.config.logfacility.value_or("");
  return out;
}

ScriptLogPlan plan_for_this_process(const std::string& argv0, const Getenv& getenv) {
  ScriptLogInputs in;
  in.getenv = getenv;
  std::string dir = env_or(getenv, "HA_DIR", "/etc/ha.d");
  in.config = read_config_logging(env_or(getenv, "HA_CF", dir + "/ha.cf"));
  in.stdin_is_tty = ::isatty(STDIN_FILENO) == 1;
  in.program = base_name(argv0);
  in.pid = static_cast<long>(::getpid());
  return plan_script_log(in);
}

}  // namespace hbd::tools
