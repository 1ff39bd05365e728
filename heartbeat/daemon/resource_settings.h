// From a validated configuration and the daemon's environment to what the
// resource manager and the script runner need. Pure: the environment comes
// in as a lookup function, so the mapping is tested without touching it.
//
// Settings heartbeat does not have never go into ha.cf (a heartbeat node must
// still read it). They come from hbd's own hbd.ini (config/hbd_ini.h: monitor
// and fence policies, [timeouts]) and from the environment, as heartbeat's
// HA_STOPRETRYMAX does (/etc/default/heartbeat is sourced by the init script):
//   HBD_START_TIMEOUT, HBD_STOP_TIMEOUT, HBD_STATUS_TIMEOUT  seconds; 0 = none;
//                           hbd.ini's [timeouts] start/stop/status win over these
//                           one by one; the environment is the fallback
//   HA_STOPRETRYMAX                                          stop retries (10)
//   HBD_REBOOT_COMMAND      what "Reboot required!" runs ("reboot -nf || init 6")
//   HBD_INIT_DIR            the second place scripts are looked up (/etc/init.d)
#pragma once
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "config/defaults.h"
#include "config/validate.h"
#include "daemon/reload.h"
#include "io/script_runner.h"
#include "resources/manager.h"

namespace hbd::daemon {


using Getenv = std::function<const char*(const char* name)>;

struct ResourceTuning {
  resources::Timeouts timeouts;
  int stop_retries = config::defaults::kStopRetries;
  std::string reboot_command = config::defaults::kRebootCommand;
  std::string init_dir = config::defaults::kInitDir;
  std::vector<LogLine> problems;  // values that were not understood (defaults kept)
};

ResourceTuning read_tuning(const Getenv& getenv);

// Where a configuration directory keeps its scripts.
struct ScriptPlaces {
  std::string resource_dir;  // DIR/resource.d
  std::string rc_dir;        // DIR/rc.d
  std::string harc;          // DIR/harc
  std::string init_dir;
};
ScriptPlaces script_places(const std::string& config_dir, const ResourceTuning& tuning);

struct ResourceStart {
  long pid = 0;
  bool restarting = false;          // -R
  std::string restart_holdings;     // -C
  std::set<std::string> rc_hooks;   // names in rc.d
  bool harc_usable = false;         // DIR/harc is an executable file
};

// The script timeouts: each one hbd.ini's [timeouts] sets, else the
// environment's (`tuning`).
resources::Timeouts script_timeouts(const resources::Timeouts& tuning,
                                    const config::ScriptTimeouts& ini);

// With v.hbd_ini: its monitor and fence policies and timeouts too; without
// it, exactly heartbeat's settings (nothing monitored, nothing fenced).
resources::Settings make_resource_settings(const config::Validation& v, const ScriptPlaces& places,
                                           const ResourceTuning& tuning,
                                           const ResourceStart& start);

// The environment every script gets (config-and-tools §3.4): the daemon's
// own, then HA_<directive> for every recorded ha.cf value and heartbeat's
// HA_DIR, HA_FUNCS, HA_LOGFILE, …, HA_CURHOST, OCF_ROOT. Later entries of
// the same name win over earlier ones.
std::vector<std::string> script_environment(const config::Validation& v,
                                            const std::string& config_dir, int debug,
                                            const std::vector<std::string>& inherited);

// `base` with `extra` set on top ("NAME=value" entries; the last one wins).
std::vector<std::string> merge_environment(
    const std::vector<std::string>& base,
    const std::vector<std::pair<std::string, std::string>>& extra);

// What the core is told of a script the runner ran (the daemon's and the
// tools' runner alike).
resources::ScriptOutcome script_outcome(const io::ScriptResult& r);

}  // namespace hbd::daemon
