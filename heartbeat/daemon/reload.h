// What SIGHUP does (heartbeat's reread of its configuration files), as pure
// functions of the files' modification times and contents:
//   ha.cf changed and valid    -> re-exec ("Heartbeat restart triggered.")
//   ha.cf changed but invalid  -> "Config errors: ha.cf not reloaded"; an
//                                 authkeys change made at the same time still applies
//   ha.cf changed, unchecked   -> "<why>: not reloaded" (the check, which may wait on
//                                 DNS or NSS, ran out of time or could not run); it is
//                                 checked again at the next SIGHUP; authkeys as above
//   only authkeys changed      -> "Rereading authentication file."
//   nothing changed            -> "Configuration unchanged."
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/system_probe.h"
#include "log/format.h"
#include "wire/auth_config.h"

namespace hbd::daemon {

struct LogLine {
  log::Level level;
  std::string text;

  bool operator==(const LogLine& o) const { return level == o.level && text == o.text; }
};

// A file's modification time; all zero when the file cannot be stat'ed.
struct Mtime {
  int64_t sec = 0;
  long nsec = 0;

  bool operator==(const Mtime& o) const { return sec == o.sec && nsec == o.nsec; }
  bool operator!=(const Mtime& o) const { return !(*this == o); }
};

struct ConfigTimes {
  Mtime hacf;
  Mtime authkeys;
  Mtime hbd_ini;  // hbd's own file: changing it re-execs as ha.cf does
};

struct ReloadDecision {
  bool restart = false;          // re-exec with the new ha.cf
  bool reread_authkeys = false;  // then apply reread_authkeys()
  std::vector<LogLine> log;      // to log first, in order
  ConfigTimes record;            // what the next SIGHUP compares with
};

// How long the check of a changed configuration directory may take. It
// resolves names and looks users up (DNS, NSS), which can hang; it runs
// away from the loop, and past this it is killed and nothing is reloaded.
constexpr int64_t kConfigCheckBudgetMs = 5000;

// The outcome of that check (the start-up validation, as `hbd -t` runs it).
struct HacfVerdict {
  enum class Check { Valid, Invalid, Unchecked } check = Check::Invalid;
  std::string why;  // Unchecked: e.g. "Configuration check took longer than 5 s"

  static HacfVerdict valid() { return {Check::Valid, ""}; }
  static HacfVerdict invalid() { return {Check::Invalid, ""}; }
  static HacfVerdict unchecked(std::string why) { return {Check::Unchecked, std::move(why)}; }
};

// Whether ha.cf or hbd.ini changed, so the configuration must be validated
// before deciding (validation reads files). hbd.ini's monitoring and fencing
// are the resource manager's settings: a new hbd.ini takes effect through the
// same re-exec as a new ha.cf (groups kept running).
inline bool hacf_changed(const ConfigTimes& recorded, const ConfigTimes& now) {
  return recorded.hacf != now.hacf || recorded.hbd_ini != now.hbd_ini;
}

// `hacf` is read only when ha.cf changed.
ReloadDecision decide_reload(const ConfigTimes& recorded, const ConfigTimes& now,
                             const HacfVerdict& hacf);

struct AuthkeysReread {
  std::optional<wire::AuthConfig> auth;  // the new keys; none: keep the current ones
  std::vector<LogLine> log;
};

// The authkeys file as read again: new keys, or why the current ones stay.
AuthkeysReread reread_authkeys(const config::FileContent& file, const std::string& path);

}  // namespace hbd::daemon
