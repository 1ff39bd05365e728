#include "daemon/config_dir.h"

#include <sys/stat.h>

#include "config/validate.h"

namespace hbd::daemon {

Mtime mtime_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {static_cast<int64_t>(st.st_mtim.tv_sec), st.st_mtim.tv_nsec};
}

ConfigTimes SystemConfigDir::mtimes() const {
  return {mtime_of(dir_ + "/ha.cf"), mtime_of(authkeys_path())};
}

bool SystemConfigDir::hacf_validates() const {
  config::ValidateOptions options;
  options.dir = dir_;
  return config::validate_config(options, probe_).exit_code == config::kExitStarted;
}

config::FileContent SystemConfigDir::read_authkeys() const {
  return probe_.read_file(authkeys_path());
}

}  // namespace hbd::daemon
