#include "config/hbd_ini.h"

#include <ini.h>

#include <cstring>
#include <set>

#include "config/timeval.h"

namespace hbd::config {

namespace {

constexpr int64_t kMaxDurationMs = 7LL * 24 * 3600 * 1000;  // as HBD_*_TIMEOUT
constexpr long kMaxRestarts = 1000;

enum class Kind { None, Monitor, Group, Resource, Fence, Timeouts, Status, Notify, Metrics, Invalid };

// A duration key of a section's struct, and whether 0 is a meaningful value.
template <class Keys>
struct DurationKey {
  const char* name;
  std::optional<int64_t> Keys::*field;
  bool zero_ok;
};

const DurationKey<MonitorKeys> kMonitorDurations[] = {
    {"interval", &MonitorKeys::interval_ms, true},  // 0: not monitored
    {"timeout", &MonitorKeys::timeout_ms, false},
    {"restart_window", &MonitorKeys::restart_window_ms, false},
    {"backoff", &MonitorKeys::backoff_ms, true},
    {"backoff_max", &MonitorKeys::backoff_max_ms, true},
};
const DurationKey<FenceKeys> kFenceDurations[] = {
    {"timeout", &FenceKeys::timeout_ms, false},
    {"retry", &FenceKeys::retry_ms, false},  // 0 would retry in a tight loop
    {"retry_max", &FenceKeys::retry_max_ms, false},
};
const DurationKey<ScriptTimeouts> kScriptTimeouts[] = {
    {"start", &ScriptTimeouts::start_ms, true},  // 0: no timeout, as HBD_START_TIMEOUT=0
    {"stop", &ScriptTimeouts::stop_ms, true},
    {"status", &ScriptTimeouts::status_ms, true},
};

constexpr const char* kMonitorKeyList =
    "interval, timeout, on_fail, max_restarts, restart_window, backoff, backoff_max";
constexpr const char* kFenceKeyList = "command, required, timeout, retry, retry_max";
constexpr const char* kTimeoutKeyList = "start, stop, status";
constexpr const char* kStatusKeyList = "group";
constexpr const char* kNotifyKeyList = "directory, timeout";
constexpr const char* kMetricsKeyList = "listen";
constexpr const char* kSectionList =
    "[monitor], [group \"KEY\"], [resource \"NAME\"], [fence], [timeouts], [status], "
    "[notify] or [metrics]";

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::optional<resources::OnFail> parse_on_fail(const std::string& text) {
  std::string t = to_lower(text);
  if (t == "restart") return resources::OnFail::Restart;
  if (t == "relocate") return resources::OnFail::Relocate;
  if (t == "ignore") return resources::OnFail::Ignore;
  return std::nullopt;
}

// The parse of one file: inih reads the lines this class hands it (so it
// knows the line number and the section as written) and calls on_pair.
class Parser {
 public:
  Parser(const std::string& text, const std::string& path) : path_(path) {
    size_t pos = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // a UTF-8 BOM
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      lines_.push_back(text.substr(pos, nl - pos));
      pos = nl + 1;
    }
    result_.ini.path = path;
  }

  HbdIniResult run() {
    int first_bad = ini_parse_stream(&Parser::read_line, this, &Parser::on_pair, this);
    // inih's own verdict, for a line it refused that the reader let through.
    if (first_bad > 0 && !error_lines_.count(first_bad))
      error(first_bad, "expected [section] or key = value");
    warn_unused_fence();
    return std::move(result_);
  }

 private:
  static char* read_line(char* buf, int size, void* self) {
    return static_cast<Parser*>(self)->next_line(buf, static_cast<size_t>(size));
  }
  static int on_pair(void* self, const char*, const char* name, const char* value) {
    static_cast<Parser*>(self)->pair(name, value);
    return 1;  // errors are collected here, not counted by inih
  }

  // One line for inih. Leading blanks are removed: inih would otherwise take
  // an indented line for the continuation of the previous value.
  char* next_line(char* buf, size_t size) {
    if (next_ >= lines_.size()) return nullptr;
    line_ = static_cast<int>(++next_);
    std::string text = trim(lines_[next_ - 1]);
    if (text.size() + 3 > size) {  // inih needs room for "\r\n\0"
      error(line_, "line longer than " + std::to_string(size - 3) + " characters");
      if (text[0] == '[') kind_ = Kind::Invalid;  // its keys are not the previous section's
      text.clear();
    } else if (!text.empty() && text[0] == '[') {
      open_section(text);
    } else if (!text.empty() && text[0] != '#' && text[0] != ';' &&
               text.find_first_of("=:") == std::string::npos) {
      error(line_, "expected [section] or key = value, found \"" + text + "\"");
      text.clear();
    }
    text += '\n';
    std::memcpy(buf, text.c_str(), text.size() + 1);
    return buf;
  }

  void error(int line, const std::string& message) {
    result_.diagnostics.push_back({Severity::Error, path_, line, message});
    error_lines_.insert(line);
  }
  void warn(int line, const std::string& message) {
    result_.diagnostics.push_back({Severity::Warning, path_, line, message});
  }

  void open_section(const std::string& text) {
    keys_.clear();
    kind_ = Kind::Invalid;
    size_t close = text.find(']');
    if (close == std::string::npos) return error(line_, "section header without ']'");
    std::string inner = trim(text.substr(1, close - 1));
    size_t word_end = inner.find_first_of(" \t\"");
    std::string kind = inner.substr(0, word_end);
    std::string rest = word_end == std::string::npos ? "" : trim(inner.substr(word_end));
    Kind k = kind == "monitor"    ? Kind::Monitor
             : kind == "group"    ? Kind::Group
             : kind == "resource" ? Kind::Resource
             : kind == "fence"    ? Kind::Fence
             : kind == "timeouts" ? Kind::Timeouts
             : kind == "status"   ? Kind::Status
             : kind == "notify"   ? Kind::Notify
             : kind == "metrics"  ? Kind::Metrics
                                  : Kind::Invalid;
    if (k == Kind::Invalid)
      return error(line_, "unknown section [" + inner + "]; expected " + kSectionList);
    bool named = k == Kind::Group || k == Kind::Resource;
    std::string name;
    if (named && !quoted_name(rest, name))
      return error(line_, "[" + inner + "]: the name must be in double quotes, as in [" + kind +
                              " \"" + (rest.empty() ? "NAME" : rest) + "\"]");
    if (!named && !rest.empty())
      return error(line_, "[" + kind + "] takes no name (found [" + inner + "])");
    section_ = named ? "[" + kind + " \"" + name + "\"]" : "[" + kind + "]";
    auto [seen, fresh] = sections_.emplace(section_, line_);
    if (!fresh)
      return error(line_, section_ + " given twice (first at line " +
                              std::to_string(seen->second) + ")");
    kind_ = k;
    monitor_ = select_monitor(k, name);
  }

  static bool quoted_name(const std::string& rest, std::string& name) {
    if (rest.size() < 3 || rest.front() != '"' || rest.back() != '"') return false;
    name = rest.substr(1, rest.size() - 2);
    return name.find('"') == std::string::npos;
  }

  MonitorKeys* select_monitor(Kind k, const std::string& name) {
    HbdIni& ini = result_.ini;
    if (k == Kind::Monitor) return &ini.monitor;
    if (k == Kind::Group) return &(ini.groups[name] = {{}, line_}).keys;
    if (k == Kind::Resource) return &(ini.resources[name] = {{}, line_}).keys;
    return nullptr;
  }

  void pair(const std::string& name, const std::string& value) {
    if (kind_ == Kind::Invalid) return;  // the section's error is enough
    if (kind_ == Kind::None)
      return error(line_, "\"" + name + "\" outside a section; start with one of " + kSectionList);
    auto [seen, fresh] = keys_.emplace(name, line_);
    if (!fresh)
      return error(line_, section_ + " " + name + " given twice (first at line " +
                              std::to_string(seen->second) + ")");
    if (kind_ == Kind::Fence) return fence_key(name, value);
    if (kind_ == Kind::Status) return status_key(name, value);
    if (kind_ == Kind::Notify) return notify_key(name, value);
    if (kind_ == Kind::Metrics) return metrics_key(name, value);
    if (kind_ == Kind::Timeouts) return duration_key(result_.ini.timeouts, kScriptTimeouts,
                                                     kTimeoutKeyList, name, value);
    monitor_key(*monitor_, name, value);
  }

  template <class Keys, size_t N>
  void duration_key(Keys& keys, const DurationKey<Keys> (&table)[N], const char* known,
                    const std::string& name, const std::string& value) {
    for (const auto& k : table) {
      if (name != k.name) continue;
      auto ms = parse_duration_ms(value);
      if (!ms || (*ms == 0 && !k.zero_ok))
        return bad_value(name, value, k.zero_ok ? "a duration such as 30, 500ms, 10s or 2min"
                                                : "a duration above 0, such as 30, 10s or 2min");
      keys.*k.field = *ms;
      return;
    }
    error(line_, "unknown key \"" + name + "\" in " + section_ + " (known: " + known + ")");
  }

  void monitor_key(MonitorKeys& m, const std::string& name, const std::string& value) {
    if (name == "on_fail") {
      m.on_fail = parse_on_fail(value);
      if (!m.on_fail) bad_value(name, value, "restart, relocate or ignore");
    } else if (name == "max_restarts") {
      auto n = parse_uint(value, kMaxRestarts);
      if (n) m.max_restarts = static_cast<int>(*n);
      else bad_value(name, value, "a whole number from 0 to " + std::to_string(kMaxRestarts));
    } else {
      duration_key(m, kMonitorDurations, kMonitorKeyList, name, value);
    }
  }

  void fence_key(const std::string& name, const std::string& value) {
    FenceKeys& f = result_.ini.fence;
    if (name == "command") {
      command_line_ = line_;
      auto argv = split_command(value);
      if (!argv) return bad_value(name, value, "a command whose double quotes are closed");
      if (argv->empty() || (*argv)[0].empty() || (*argv)[0][0] != '/')
        return bad_value(name, value, "an absolute path and its arguments (run without a shell)");
      f.command = *argv;
      return;
    }
    if (!settings_line_) settings_line_ = line_;
    if (name == "required") {
      f.required = parse_bool(value);
      if (!f.required) bad_value(name, value, "yes or no");
    } else {
      duration_key(f, kFenceDurations, kFenceKeyList, name, value);
    }
  }

  // [status] group: a group whose members may read the status (the group's
  // existence is checked with the host, in validate).
  void status_key(const std::string& name, const std::string& value) {
    if (name != "group")
      return error(line_, "unknown key \"" + name + "\" in [status] (known: " + kStatusKeyList + ")");
    if (value.empty() || value.find_first_of(" \t:/") != std::string::npos)
      return bad_value(name, value, "a group name such as haclient");
    result_.ini.status.group = value;
    result_.ini.status.line = line_;
  }

  void notify_key(const std::string& name, const std::string& value) {
    NotifyKeys& n = result_.ini.notify;
    if (name == "directory") {
      if (value.empty() || value[0] != '/')
        return bad_value(name, value, "an absolute directory path such as /etc/ha.d/notify.d");
      n.directory = value;
      n.line = line_;
      return;
    }
    if (name == "timeout") {
      auto ms = parse_duration_ms(value);
      if (!ms || *ms == 0) return bad_value(name, value, "a duration above 0, such as 10s");
      n.timeout_ms = *ms;
      return;
    }
    error(line_, "unknown key \"" + name + "\" in [notify] (known: " + kNotifyKeyList + ")");
  }

  // [metrics] listen = ADDRESS:PORT: an explicit address, never a default
  // one, so the status is not offered to a network by surprise.
  void metrics_key(const std::string& name, const std::string& value) {
    if (name != "listen")
      return error(line_, "unknown key \"" + name + "\" in [metrics] (known: " + kMetricsKeyList + ")");
    auto address = parse_listen_address(value);
    if (!address)
      return bad_value(name, value, "ADDRESS:PORT, such as 127.0.0.1:9101 or [::1]:9101");
    result_.ini.metrics = *address;
  }

  void bad_value(const std::string& name, const std::string& value, const std::string& expected) {
    error(line_, section_ + " " + name + " = \"" + value + "\": expected " + expected);
  }

  // [fence] settings without a command do nothing: say so, but start.
  void warn_unused_fence() {
    if (settings_line_ && !command_line_)
      warn(settings_line_, "[fence] has no command: no fencing, its other keys are unused");
  }

  std::string path_;
  std::vector<std::string> lines_;
  size_t next_ = 0;
  int line_ = 0;
  Kind kind_ = Kind::None;
  std::string section_;
  MonitorKeys* monitor_ = nullptr;
  std::map<std::string, int> sections_;  // "[kind \"name\"]" -> line
  std::map<std::string, int> keys_;      // in the current section
  std::set<int> error_lines_;
  int settings_line_ = 0, command_line_ = 0;
  HbdIniResult result_;
};

}  // namespace

std::optional<int64_t> parse_duration_ms(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && is_digit(text[i])) ++i;
  size_t digits = i;
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && is_digit(text[i]); ++i) ++digits;
  }
  if (digits == 0) return std::nullopt;
  std::string number = text.substr(0, i);
  std::string unit = to_lower(trim(text.substr(i)));
  std::optional<long> ms;
  if (unit == "ms") ms = parse_time_ms(number + "ms");
  else if (unit.empty() || unit == "s") ms = parse_time_ms(number);
  else if (unit == "min" && (ms = parse_time_ms(number))) *ms *= 60;
  if (!ms || *ms > kMaxDurationMs) return std::nullopt;
  return *ms;
}

std::optional<ListenAddress> parse_listen_address(const std::string& text) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  std::string host = text.substr(0, colon), port = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    return std::nullopt;  // an IPv6 address needs its brackets
  }
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  int p = std::stoi(port);
  if (p < 1 || p > 65535) return std::nullopt;
  return ListenAddress{host, p};
}

std::optional<std::vector<std::string>> split_command(const std::string& text) {
  std::vector<std::string> argv;
  std::string word;
  bool in_word = false, quoted = false;
  for (char c : text) {
    if (c == '"') {
      quoted = !quoted;
      in_word = true;
    } else if (!quoted && (c == ' ' || c == '\t')) {
      if (in_word) argv.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quoted) return std::nullopt;
  if (in_word) argv.push_back(word);
  return argv;
}

HbdIniResult parse_hbd_ini(const std::string& text, const std::string& path) {
  return Parser(text, path).run();
}

Diagnostics check_hbd_ini_names(const HbdIni& ini, const std::vector<ResourceGroup>& groups) {
  std::set<std::string> keys, names;
  for (const auto& g : groups) {
    keys.insert(g.key());
    for (const auto& r : g.resources) {
      names.insert(r.token);
      names.insert(r.script);
    }
  }
  Diagnostics out;
  for (const auto& [key, section] : ini.groups)
    if (!keys.count(key))
      out.push_back({Severity::Error, ini.path, section.line,
                     "[group \"" + key + "\"]: haresources has no group whose first resource is \"" +
                         key + "\""});
  for (const auto& [name, section] : ini.resources)
    if (!names.count(name))
      out.push_back({Severity::Error, ini.path, section.line,
                     "[resource \"" + name + "\"]: haresources has no resource \"" + name +
                         "\" and none run by a script of that name"});
  return out;
}

}  // namespace hbd::config
