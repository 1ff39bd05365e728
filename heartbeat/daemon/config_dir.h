// What a SIGHUP looks at in the configuration directory: the modification
// times of ha.cf and authkeys, whether the directory would start heartbeat
// now, and the authkeys file. An interface so the daemon's reload is tested
// with a fake directory.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "config/system_probe.h"
#include "daemon/reload.h"
#include "io/script_runner.h"

namespace hbd::daemon {

class ConfigDir {
 public:
  using Verdict = std::function<void(const HacfVerdict&)>;
  virtual ~ConfigDir() = default;
  virtual ConfigTimes mtimes() const = 0;
  // Starts the start-up validation of the whole directory, which may wait
  // on DNS and NSS, away from the loop. `done` is called once, from the
  // loop, never from inside check_hacf(); one check at a time.
  virtual void check_hacf(Verdict done) = 0;
  // The running check's verdict is dropped (its `done` is never called).
  virtual void cancel_check() = 0;
  virtual config::FileContent read_authkeys() const = 0;
  virtual std::string authkeys_path() const = 0;
};

// How SIGHUP's check runs: this program's -t (the same code and verdict as
// the start after the restart exec) in a child, within a time budget.
struct CheckCommand {
  std::string program;        // our own executable (RunEnv::program)
  bool no_resources = false;  // -M: haresources neither checked nor used
  int64_t budget_ms = kConfigCheckBudgetMs;
  std::string output_path;    // where its diagnostics go; "" = /dev/null
};

// A directory on disk (normally /etc/ha.d): authkeys read through `probe`,
// the check run by `runner`.
class SystemConfigDir : public ConfigDir {
 public:
  SystemConfigDir(std::string dir, const config::SystemProbe& probe, io::ScriptRunner& runner,
                  CheckCommand command)
      : dir_(std::move(dir)), probe_(probe), runner_(runner), command_(std::move(command)) {}
  ConfigTimes mtimes() const override;
  void check_hacf(Verdict done) override;
  void cancel_check() override { ++check_serial_; }
  config::FileContent read_authkeys() const override;
  std::string authkeys_path() const override { return dir_ + "/authkeys"; }

 private:
  std::string dir_;
  const config::SystemProbe& probe_;
  io::ScriptRunner& runner_;
  CheckCommand command_;
  uint64_t check_serial_ = 0;  // a result for an older serial was cancelled
};

// stat(2)'s mtime of `path`, zero when it cannot be stat'ed.
Mtime mtime_of(const std::string& path);

// What `hbd -t`'s end says about the directory (exit 0: it would start).
HacfVerdict check_verdict(const io::ScriptResult& result, int64_t budget_ms);

}  // namespace hbd::daemon
