#include "daemon/reload.h"

#include "config/authkeys.h"

namespace hbd::daemon {

ReloadDecision decide_reload(const ConfigTimes& recorded, const ConfigTimes& now,
                             const HacfVerdict& verdict) {
  ReloadDecision d;
  d.record = recorded;
  bool hacf = hacf_changed(recorded, now);
  if (hacf) {
    // A changed ha.cf re-execs as heartbeat does (a higher generation tells
    // peers we restarted), but only if the new configuration would start.
    if (verdict.check == HacfVerdict::Check::Valid) {
      d.restart = true;
      d.log = {{log::Level::Info, "Heartbeat restart triggered."},
               {log::Level::Info, "Restarting heartbeat."}};
      return d;
    }
    if (verdict.check == HacfVerdict::Check::Invalid) {
      bool only_ini = recorded.hacf == now.hacf;
      d.log.push_back({log::Level::Error,
                       only_ini ? "Config errors: hbd.ini not reloaded" : "Config errors: ha.cf not reloaded"});
      d.record.hacf = now.hacf;  // not reported again for the same files
      d.record.hbd_ini = now.hbd_ini;
    } else {
      // Not recorded: the next SIGHUP checks again (the name server may be back).
      d.log.push_back({log::Level::Error, verdict.why + ": not reloaded"});
    }
  }
  if (recorded.authkeys != now.authkeys) {
    d.record.authkeys = now.authkeys;
    d.reread_authkeys = true;
    d.log.push_back({log::Level::Info, "Rereading authentication file."});
  } else if (!hacf) {
    d.log.push_back({log::Level::Info, "Configuration unchanged."});
  }
  return d;
}

AuthkeysReread reread_authkeys(const config::FileContent& file, const std::string& path) {
  AuthkeysReread out;
  if (file.error != 0 || !config::authkeys_mode_ok(file.mode)) {
    out.log.push_back({log::Level::Error, "Cannot reread " + path + ": keeping the current keys"});
    return out;
  }
  config::AuthKeysResult r = config::parse_authkeys(file.text, path);
  if (!r.ok) {
    for (const auto& d : r.diagnostics) out.log.push_back({log::Level::Error, d.message});
    out.log.push_back(
        {log::Level::Error, "Authentication configuration error: keeping the current keys"});
    return out;
  }
  out.auth = r.auth;
  return out;
}

}  // namespace hbd::daemon
