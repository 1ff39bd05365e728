#include "config/validate.h"

#include <cstring>

#include <algorithm>
#include <cerrno>

#include "config/authkeys.h"
#include "config/defaults.h"
#include "config/timeval.h"

namespace hbd::config {

namespace {

std::string join_path(const std::string& dir, const std::string& name) {
  std::string d = dir;
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  return d == "/" ? "/" + name : d + "/" + name;
}

bool permission_errno(int e) { return e == EACCES || e == EPERM; }

// Runs the steps of §1.4 over one directory, collecting messages.
class Validator {
 public:
  Validator(const ValidateOptions& o, const SystemProbe& p, Validation& v)
      : opt_(o), probe_(p), v_(v), hacf_(join_path(o.dir, "ha.cf")),
        authkeys_(join_path(o.dir, "authkeys")), haresources_(join_path(o.dir, "haresources")),
        hbd_ini_(join_path(o.dir, defaults::kHbdIniFile)) {}

  void run() {
    v_.local_node = to_lower(probe_.node_name());
    if (!read_hacf() || !read_authkeys()) return refuse();
    apply_defaults(v_.config);
    check_pacemaker();
    check_cluster();
    check_logging();
    check_autojoin();
    if (has_errors(v_.diagnostics)) return refuse();
    say(Severity::Info, hacf_, 0, "**************************");
    say(Severity::Info, hacf_, 0, "Configuration validated.");
    if (opt_.resources && !read_haresources()) return refuse();
    if (!read_hbd_ini()) return refuse();
    check_media_can_open();
    v_.exit_code = kExitStarted;
  }

 private:
  void say(Severity s, const std::string& file, int line, std::string msg) {
    v_.diagnostics.push_back({s, file, line, std::move(msg)});
  }
  void error(std::string msg, int line = 0) { say(Severity::Error, hacf_, line, std::move(msg)); }
  void warn(std::string msg, int line = 0) { say(Severity::Warning, hacf_, line, std::move(msg)); }
  void info(std::string msg, int line = 0) { say(Severity::Info, hacf_, line, std::move(msg)); }
  int line_of(const char* directive) const {
    auto it = v_.config.lines.find(directive);
    return it == v_.config.lines.end() ? 0 : it->second;
  }

  void refuse() {
    say(Severity::Error, hacf_, 0, "Configuration error, heartbeat not started.");
    v_.exit_code = permission_ ? kExitPermission : kExitNotConfigured;
  }

  // Reads a file; on failure reports `message` and remembers EACCES/EPERM.
  bool read(const std::string& path, FileContent* out) {
    *out = probe_.read_file(path);
    if (out->error == 0) return true;
    permission_ = permission_ || permission_errno(out->error);
    return false;
  }

  // heartbeat's messages do not say why a file could not be read; hbd adds
  // the system's reason on a line of its own, leaving heartbeat's text intact.
  void say_reason(const std::string& path, int err) {
    say(Severity::Info, path, 0, std::string("reason: ") + std::strerror(err));
  }

  // heartbeat's three lines for a missing ha.cf or haresources.
  void report_missing(const std::string& path, const std::string& error, int err) {
    say(Severity::Error, path, 0, error);
    say_reason(path, err);
    say(Severity::Info, path, 0,
        "An annotated sample " + path + " file is provided in the documentation.");
    say(Severity::Info, path, 0,
        "Please copy it to " + path + ", read it, customize it, and try again.");
  }

  bool read_hacf() {
    FileContent f;
    if (!read(hacf_, &f)) {
      report_missing(hacf_, "Cannot open config file [" + hacf_ + "]", f.error);
      return false;
    }
    HaCfResult r = parse_hacf(f.text, hacf_, probe_);
    append(r.diagnostics);
    v_.config = std::move(r.config);
    if (r.errors == 0) return true;
    error("Heartbeat not started: configuration error.");
    return false;
  }

  bool read_authkeys() {
    FileContent f;
    bool ok = true;
    if (!read(authkeys_, &f)) {
      say(Severity::Error, authkeys_, 0, "Cannot open keyfile [" + authkeys_ + "].  Stop.");
      say_reason(authkeys_, f.error);
      ok = false;
    } else if (!authkeys_mode_ok(f.mode)) {
      say(Severity::Error, authkeys_, 0,
          "Bad permissions on keyfile [" + authkeys_ + "], 600 recommended.");
      ok = false;
    } else {
      std::string exposed = authkeys_exposure_warning(authkeys_, f.mode, f.owner);
      if (!exposed.empty()) say(Severity::Warning, authkeys_, 0, exposed);
      AuthKeysResult r = parse_authkeys(f.text, authkeys_);
      append(r.diagnostics);
      v_.auth = r.auth;
      ok = r.ok;
    }
    if (!ok) say(Severity::Error, authkeys_, 0, "Authentication configuration error.");
    return ok;
  }

  bool read_haresources() {
    FileContent f;
    if (!read(haresources_, &f)) {
      report_missing(haresources_, "Cannot open resources file [" + haresources_ + "]", f.error);
      return false;
    }
    HaResourcesResult r = parse_haresources(f.text, haresources_);
    append(r.diagnostics);
    for (const auto& n : r.node_lines) {
      if (!is_node(to_lower(n.node))) {
        say(Severity::Error, haresources_, n.line,
            "Bad nodename in " + haresources_ + " [" + n.node + "]");
        return false;
      }
    }
    v_.groups = std::move(r.groups);
    if (opt_.check_scripts) check_scripts();
    return true;
  }

  // The lookup of config-and-tools §3.3: the first regular, executable file.
  void check_scripts() {
    const std::string resource_dir = join_path(opt_.dir, "resource.d");
    for (const auto& g : v_.groups)
      for (const auto& r : g.resources) check_script(g.line, r, {resource_dir, opt_.init_dir});
  }

  void check_script(int line, const Resource& r, const std::vector<std::string>& dirs) {
    bool plain_name = !r.script.empty() && r.script.find('/') == std::string::npos;
    std::string unusable;  // a candidate that exists but cannot be run
    for (const auto& dir : dirs) {
      if (!plain_name) break;
      std::string path = join_path(dir, r.script);
      if (probe_.is_executable_file(path)) return;
      if (unusable.empty() && probe_.path_exists(path)) unusable = path;
    }
    std::string what = "Resource script for [" + r.token + "]: ";
    if (!unusable.empty())
      what += unusable + " is not an executable file";
    else
      what += "[" + r.script + "] not found in " + dirs[0] + " or " + dirs[1];
    say(Severity::Warning, haresources_, line,
        what + "; heartbeat starts, but this group will fail to start");
  }

  // hbd's own file: a missing one is heartbeat's behaviour, not a problem.
  // Without haresources (-M) its [group]/[resource] names are not checked:
  // nothing is started, so nothing is monitored.
  bool read_hbd_ini() {
    FileContent f;
    if (!read(hbd_ini_, &f)) {
      if (f.error == ENOENT) return true;
      say(Severity::Error, hbd_ini_, 0, "Cannot open hbd.ini [" + hbd_ini_ + "]");
      say_reason(hbd_ini_, f.error);
      return false;
    }
    HbdIniResult r = parse_hbd_ini(f.text, hbd_ini_);
    if (opt_.resources) {
      Diagnostics names = check_hbd_ini_names(r.ini, v_.groups);
      r.diagnostics.insert(r.diagnostics.end(), names.begin(), names.end());
    }
    check_hbd_ini_host(r);
    append(r.diagnostics);
    if (has_errors(r.diagnostics)) return false;
    v_.hbd_ini = std::move(r.ini);
    return true;
  }

  // What hbd.ini names on this host: the [status] group must exist; a
  // missing [notify] directory runs no hooks, which is worth a warning only.
  void check_hbd_ini_host(HbdIniResult& r) {
    const StatusKeys& st = r.ini.status;
    if (!st.group.empty() && !probe_.group_exists(st.group))
      r.diagnostics.push_back({Severity::Error, hbd_ini_, st.line,
                               "[status] group = \"" + st.group + "\": no such group"});
    const NotifyKeys& n = r.ini.notify;
    if (!n.directory.empty() && !probe_.is_directory(n.directory))
      r.diagnostics.push_back({Severity::Warning, hbd_ini_, n.line,
                               "[notify] directory " + n.directory +
                                   " does not exist: no notify hooks run until it does"});
  }

  void append(const Diagnostics& ds) {
    v_.diagnostics.insert(v_.diagnostics.end(), ds.begin(), ds.end());
  }

  bool is_node(const std::string& name) const {
    for (const auto& n : v_.config.nodes)
      if (n == name) return true;
    return false;
  }

  // hbd runs haresources clusters only; heartbeat would hand over to CRM.
  void check_pacemaker() {
    const HaConfig& c = v_.config;
    if (!c.pacemaker_enabled) {
      info("Pacemaker support: false");
      return;
    }
    int line = std::max(line_of("pacemaker"), line_of("crm"));
    error("Pacemaker/CRM mode [" + *c.pacemaker +
              "] is not supported: hbd runs haresources (v1) clusters only; "
              "remove the directive or set it to off",
          line);
  }

  void check_cluster() {
    HaConfig& c = v_.config;
    if (c.media.empty()) error("No heartbeat media defined");
    bool any_node = c.autojoin == "any";
    if (c.nodes.empty() && !any_node) error("no nodes defined");
    if (v_.auth.active < 0) error("No authentication specified.");
    if (!any_node && !is_node(v_.local_node)) {
      error("Current node [" + v_.local_node + "] not in configuration!", line_of("node"));
      info("By default, cluster nodes are named by `uname -n` and must be declared with a "
           "'node' directive in the ha.cf file.");
      info("See also: http://linux-ha.org/wiki/Ha.cf#node_directive");
    }
    check_times();
    if (c.auto_failback == AutoFailback::Legacy && opt_.resources) {
      int line = line_of("auto_failback");
      warn("Deprecated 'legacy' auto_failback option selected.", line);
      warn("Please convert to 'auto_failback on'.", line);
      warn("See documentation for conversion details.", line);
    }
  }

  void check_times() {
    const HaConfig& c = v_.config;
    long keep = *c.keepalive_ms, dead = *c.deadtime_ms;
    if (dead <= 2 * keep)
      error("Dead time [" + std::to_string(dead) + "] is too small compared to keeplive [" +
                std::to_string(keep) + "]",
            line_of("deadtime") ? line_of("deadtime") : line_of("keepalive"));
    long init = *c.initdead_ms;
    if (init < dead) {
      error("Initial dead time [" + std::to_string(init) + "] is smaller than deadtime [" +
                std::to_string(dead) + "]",
            line_of("initdead"));
    } else if (init < 10000) {
      warn("Initial dead time [" + std::to_string(init) + " ms] may be too small!",
           line_of("initdead"));
      info("Initial dead time accounts for slow network startup time");
      info("It should be >= deadtime and >= 10 seconds");
    }
    if (line_of("deadping") && *c.deadping_ms <= 2 * keep)
      error("Ping dead time [" + std::to_string(*c.deadping_ms) +
                "] is too small compared to keeplive [" + std::to_string(keep) + "]",
            line_of("deadping"));
  }

  void check_logging() {
    const HaConfig& c = v_.config;
    bool facility = c.logfacility && *c.logfacility != "none";
    bool files = c.logfile || c.debugfile;
    if (!files && !facility) {
      if (c.use_logd && !*c.use_logd) {
        error("No log entry found in ha.cf and use_logd is set to off", line_of("use_logd"));
      } else {
        info("No log entry found in ha.cf -- use logd");
      }
      return;
    }
    if (c.use_logd && *c.use_logd) {
      warn(std::string("logd is enabled but logfile/debugfile") + (facility ? "/logfacility" : "") +
           " is still configured in ha.cf");
    } else {
      warn("Logging daemon is disabled --enabling logging daemon is recommended");
    }
  }

  void check_autojoin() {
    if (v_.config.autojoin == "none" || !opt_.resources) return;
    error("R1 style resource management conflicts with  autojoin set", line_of("autojoin"));
    error("You need either unset autojoin or enable crm", line_of("autojoin"));
  }

  // ucast opens its interface only after heartbeat has daemonised: the
  // start command still exits 0, then the daemon dies. Say so plainly.
  void check_media_can_open() {
    for (const auto& m : v_.config.media) {
      if (m.kind != MediumKind::Ucast || probe_.interface_exists(m.dev)) continue;
      say(Severity::Warning, hacf_, m.line,
          "ucast: interface [" + m.dev + "] does not exist: the daemon will exit when it opens "
          "this medium");
    }
  }

  const ValidateOptions& opt_;
  const SystemProbe& probe_;
  Validation& v_;
  const std::string hacf_, authkeys_, haresources_, hbd_ini_;
  bool permission_ = false;
};

// Records `value` for `name` unless the file gave one.
void record_default(HaConfig& cfg, const std::string& name, const std::string& value) {
  cfg.params.emplace(name, value);
}

}  // namespace

void apply_defaults(HaConfig& cfg) {
  for (const auto& d : directive_defaults()) record_default(cfg, d.name, d.value);
  if (!cfg.keepalive_ms) cfg.keepalive_ms = defaults::kKeepaliveMs;
  if (!cfg.deadtime_ms) cfg.deadtime_ms = defaults::kDeadtimeMs;
  if (!cfg.warntime_ms) {
    cfg.warntime_ms = defaults::warntime_for(*cfg.deadtime_ms);
    record_default(cfg, "warntime", format_ms(*cfg.warntime_ms));
  }
  if (!cfg.initdead_ms) {
    cfg.initdead_ms = defaults::initdead_for(*cfg.deadtime_ms);
    record_default(cfg, "initdead", format_ms(*cfg.initdead_ms));
  }
  if (!cfg.deadping_ms) {
    cfg.deadping_ms = defaults::deadping_for(*cfg.deadtime_ms);
    record_default(cfg, "deadping", format_ms(*cfg.deadping_ms));
  }
  if (!cfg.udpport) cfg.udpport = defaults::kUdpPort;
  record_default(cfg, "udpport", std::to_string(*cfg.udpport));
  if (!cfg.baud) cfg.baud = defaults::kBaud;
  if (!cfg.auto_failback) cfg.auto_failback = AutoFailback::Legacy;
  if (!cfg.syslogmsgfmt) cfg.syslogmsgfmt = true;
  record_default(cfg, "debug", std::to_string(cfg.debug));
}

Validation validate_config(const ValidateOptions& options, const SystemProbe& probe) {
  Validation v;
  Validator(options, probe, v).run();
  return v;
}

}  // namespace hbd::config
