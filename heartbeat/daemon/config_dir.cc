#include "daemon/config_dir.h"

#include <sys/stat.h>

#include "config/defaults.h"
#include "io/spawn.h"

namespace hbd::daemon {

Mtime mtime_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {static_cast<int64_t>(st.st_mtim.tv_sec), st.st_mtim.tv_nsec};
}

ConfigTimes SystemConfigDir::mtimes() const {
  return {mtime_of(dir_ + "/ha.cf"), mtime_of(authkeys_path()),
          mtime_of(dir_ + "/" + config::defaults::kHbdIniFile)};
}

// A child, so that a name server or an LDAP server that does not answer
// delays the verdict, never the loop's heartbeats.
void SystemConfigDir::check_hacf(Verdict done) {
  io::ScriptSpec spec;
  spec.argv = {command_.program, "-t", "-c", dir_};
  if (command_.no_resources) spec.argv.push_back("-M");
  spec.env = io::current_environment();
  spec.cwd = "/";
  spec.timeout_ms = command_.budget_ms;
  spec.output_path = command_.output_path;
  uint64_t serial = ++check_serial_;
  int64_t budget = command_.budget_ms;
  runner_.run(spec, [this, serial, budget, done = std::move(done)](const io::ScriptResult& r) {
    if (serial == check_serial_) done(check_verdict(r, budget));
  });
}

config::FileContent SystemConfigDir::read_authkeys() const {
  return probe_.read_file(authkeys_path());
}

HacfVerdict check_verdict(const io::ScriptResult& r, int64_t budget_ms) {
  using End = io::ScriptResult::End;
  switch (r.end) {
    case End::Exited:
      return r.exit_code == 0 ? HacfVerdict::valid() : HacfVerdict::invalid();
    case End::TimedOut: {
      std::string budget = budget_ms % 1000 == 0 ? std::to_string(budget_ms / 1000) + " s"
                                                 : std::to_string(budget_ms) + " ms";
      return HacfVerdict::unchecked("Configuration check took longer than " + budget);
    }
    case End::Signalled:
      return HacfVerdict::unchecked("Configuration check killed by signal " +
                                    std::to_string(r.signal));
    case End::ExecFailed:
      return HacfVerdict::unchecked("Configuration check could not run (" + r.error + ")");
  }
  return HacfVerdict::invalid();
}

}  // namespace hbd::daemon
