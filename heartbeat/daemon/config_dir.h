// What a SIGHUP looks at in the configuration directory: the modification
// times of ha.cf and authkeys, whether the directory would start heartbeat
// now, and the authkeys file. An interface so the daemon's reload is tested
// with a fake directory.
#pragma once
#include <string>

#include "config/system_probe.h"
#include "daemon/reload.h"

namespace hbd::daemon {

class ConfigDir {
 public:
  virtual ~ConfigDir() = default;
  virtual ConfigTimes mtimes() const = 0;
  // The start-up validation of the whole directory passes.
  virtual bool hacf_validates() const = 0;
  virtual config::FileContent read_authkeys() const = 0;
  virtual std::string authkeys_path() const = 0;
};

// A directory on disk (normally /etc/ha.d), read through `probe`.
class SystemConfigDir : public ConfigDir {
 public:
  SystemConfigDir(std::string dir, const config::SystemProbe& probe)
      : dir_(std::move(dir)), probe_(probe) {}
  ConfigTimes mtimes() const override;
  bool hacf_validates() const override;
  config::FileContent read_authkeys() const override;
  std::string authkeys_path() const override { return dir_ + "/authkeys"; }

 private:
  std::string dir_;
  const config::SystemProbe& probe_;
};

// stat(2)'s mtime of `path`, zero when it cannot be stat'ed.
Mtime mtime_of(const std::string& path);

}  // namespace hbd::daemon
