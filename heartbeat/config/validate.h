// The start-up validation of a configuration directory, in heartbeat's
// order and with its messages: ha.cf, authkeys, defaults and cross-checks,
// haresources; then hbd.ini when there is one. Says whether heartbeat would start and with which exit code.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "config/diagnostic.h"
#include "config/hacf.h"
#include "config/haresources.h"
#include "config/hbd_ini.h"
#include "config/system_probe.h"
#include "wire/auth_config.h"

namespace hbd::config {

// LSB exit codes heartbeat uses at start.
constexpr int kExitStarted = 0;
constexpr int kExitPermission = 4;      // a file could not be read: EPERM/EACCES
constexpr int kExitNotConfigured = 6;

struct ValidateOptions {
  std::string dir = "/etc/ha.d";
  bool resources = true;  // false for -M: haresources neither checked nor used
  // hbd -t: also look up every resource's script (dir/resource.d, then
  // init_dir) and warn when none is an executable file. heartbeat does not
  // check at start; the group fails later, when it is started. So a
  // warning, never a changed verdict.
  bool check_scripts = false;
  std::string init_dir = "/etc/init.d";
};

struct Validation {
  Diagnostics diagnostics;
  int exit_code = kExitNotConfigured;
  HaConfig config;          // with defaults applied when ha.cf parsed cleanly
  wire::AuthConfig auth;
  std::vector<ResourceGroup> groups;
  std::string local_node;   // `uname -n`, lower-cased
  // hbd's extension file (config/hbd_ini.h), read after haresources; absent
  // when the directory has none: then hbd behaves as heartbeat.
  std::optional<HbdIni> hbd_ini;
};

Validation validate_config(const ValidateOptions& options, const SystemProbe& probe);

// Computed defaults and recorded values for unset directives (§1.4 step 3
// and the derived times). Exposed for tests.
void apply_defaults(HaConfig& cfg);

}  // namespace hbd::config
