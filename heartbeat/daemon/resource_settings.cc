#include "daemon/resource_settings.h"

#include <cstdlib>
#include <map>

#include "config/defaults.h"
#include "config/hbd_ini_policies.h"
#include "resources/group_table.h"

namespace hbd::daemon {

namespace {

// A whole number of seconds (0 allowed), or nothing.
bool parse_seconds(const char* text, int64_t& ms) {
  if (!text || !*text) return false;
  char* end = nullptr;
  long long value = std::strtoll(text, &end, 10);
  if (*end != '\0' || value < 0 || value > 7 * 24 * 3600) return false;
  ms = value * 1000;
  return true;
}

void read_timeout(const Getenv& getenv, const char* name, int64_t& ms, ResourceTuning& t) {
  const char* text = getenv(name);
  if (!text) return;
  if (!parse_seconds(text, ms))
    t.problems.push_back({log::Level::Error, std::string(name) + "=" + text +
                                                 ": not a number of seconds; using the default"});
}

}  // namespace

ResourceTuning read_tuning(const Getenv& getenv) {
  ResourceTuning t;
  read_timeout(getenv, "HBD_START_TIMEOUT", t.timeouts.start_ms, t);
  read_timeout(getenv, "HBD_STOP_TIMEOUT", t.timeouts.stop_ms, t);
  read_timeout(getenv, "HBD_STATUS_TIMEOUT", t.timeouts.status_ms, t);
  if (const char* retries = getenv("HA_STOPRETRYMAX")) {
    char* end = nullptr;
    long value = std::strtol(retries, &end, 10);
    if (*retries && *end == '\0')
      t.stop_retries = static_cast<int>(value);
    else
      t.problems.push_back({log::Level::Error, std::string("HA_STOPRETRYMAX=") + retries +
                                                   ": not a number; using 10"});
  }
  if (const char* reboot = getenv("HBD_REBOOT_COMMAND"); reboot && *reboot)
    t.reboot_command = reboot;
  if (const char* init = getenv("HBD_INIT_DIR"); init && *init) t.init_dir = init;
  return t;
}

ScriptPlaces script_places(const std::string& config_dir, const ResourceTuning& tuning) {
  return {config_dir + "/resource.d", config_dir + "/rc.d", config_dir + "/harc",
          tuning.init_dir};
}

resources::Timeouts script_timeouts(const resources::Timeouts& tuning,
                                    const config::ScriptTimeouts& ini) {
  resources::Timeouts t = tuning;
  t.start_ms = ini.start_ms.value_or(t.start_ms);
  t.stop_ms = ini.stop_ms.value_or(t.stop_ms);
  t.status_ms = ini.status_ms.value_or(t.status_ms);
  return t;
}

resources::Settings make_resource_settings(const config::Validation& v, const ScriptPlaces& places,
                                           const ResourceTuning& tuning,
                                           const ResourceStart& start) {
  const config::HaConfig& cfg = v.config;
  resources::Settings s;
  s.local_node = resources::lower(v.local_node);
  for (const auto& node : cfg.nodes) s.nodes.push_back(resources::lower(node));
  auto mode = cfg.auto_failback.value_or(config::AutoFailback::Legacy);
  s.mode = mode == config::AutoFailback::On    ? resources::Mode::On
           : mode == config::AutoFailback::Off ? resources::Mode::Off
                                               : resources::Mode::Legacy;
  s.groups = v.groups;
  s.timeouts = tuning.timeouts;
  s.stop_retries = tuning.stop_retries;
  s.pid = start.pid;
  s.deadtime_ms = cfg.deadtime_ms.value_or(config::defaults::kDeadtimeMs);
  s.rc_hooks = start.rc_hooks;
  s.rc_dir = places.rc_dir;
  s.harc = start.harc_usable ? places.harc : "";
  s.restarting = start.restarting;
  s.restart_holdings = resources::parse_set(start.restart_holdings).value_or(resources::kLocal);
  if (v.hbd_ini) {
    s.timeouts = script_timeouts(tuning.timeouts, v.hbd_ini->timeouts);
    s.monitors = config::monitor_policies(*v.hbd_ini, v.groups);
    s.fence = config::fence_policy(*v.hbd_ini);
  }
  return s;
}

std::vector<std::string> merge_environment(
    const std::vector<std::string>& base,
    const std::vector<std::pair<std::string, std::string>>& extra) {
  std::map<std::string, std::size_t> where;
  std::vector<std::string> out;
  auto put = [&](const std::string& name, const std::string& entry) {
    auto it = where.find(name);
    if (it != where.end()) {
      out[it->second] = entry;
      return;
    }
    where[name] = out.size();
    out.push_back(entry);
  };
  for (const auto& e : base) put(e.substr(0, e.find('=')), e);
  for (const auto& [name, value] : extra) put(name, name + "=" + value);
  return out;
}

std::vector<std::string> script_environment(const config::Validation& v,
                                            const std::string& config_dir, int debug,
                                            const std::vector<std::string>& inherited) {
  const config::HaConfig& cfg = v.config;
  std::vector<std::pair<std::string, std::string>> ha;
  for (const auto& [name, value] : cfg.params) ha.emplace_back("HA_" + name, value);
  ha.emplace_back("HA_DIR", config_dir);
  ha.emplace_back("HA_CF", config_dir + "/ha.cf");
  ha.emplace_back("HA_FUNCS", config_dir + "/shellfuncs");
  ha.emplace_back("HA_RESOURCEDIR", config_dir + "/resource.d");
  ha.emplace_back("HA_RCDIR", config_dir + "/rc.d");
  ha.emplace_back("HA_DATEFMT", "%Y/%m/%d_%T\t");
  ha.emplace_back("HA_NOARCHBIN", "/usr/share/heartbeat");
  ha.emplace_back("HA_BIN", "/usr/libexec/heartbeat");
  ha.emplace_back("HA_FIFO", "/var/lib/heartbeat/fifo");
  ha.emplace_back("HA_VARLIB", "/var/lib/heartbeat");
  ha.emplace_back("HA_LOGFILE", cfg.logfile.value_or(""));
  ha.emplace_back("HA_DEBUGLOG", cfg.debugfile.value_or(""));
  if (cfg.logfacility && *cfg.logfacility != "none")
    ha.emplace_back("HA_LOGFACILITY", *cfg.logfacility);
  ha.emplace_back("HA_LOGD", "no");
  ha.emplace_back("HA_CURHOST", resources::lower(v.local_node));
  ha.emplace_back("OCF_ROOT", "/usr/lib/ocf");
  ha.emplace_back("HA_debug", std::to_string(debug));
  return merge_environment(inherited, ha);
}

resources::ScriptOutcome script_outcome(const io::ScriptResult& r) {
  resources::ScriptOutcome o;
  o.id = r.id;
  o.exit_code = r.exit_code;
  o.signal = r.signal;
  o.output = r.stdout_text;
  o.error = r.error;
  o.elapsed_ms = r.elapsed_ms;
  switch (r.end) {
    case io::ScriptResult::End::Exited: o.end = resources::ScriptOutcome::End::Exited; break;
    case io::ScriptResult::End::Signalled: o.end = resources::ScriptOutcome::End::Signalled; break;
    case io::ScriptResult::End::TimedOut: o.end = resources::ScriptOutcome::End::TimedOut; break;
    case io::ScriptResult::End::ExecFailed: o.end = resources::ScriptOutcome::End::NotRun; break;
  }
  return o;
}

}  // namespace hbd::daemon
