#include "daemon/script_paths.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hbd::daemon {

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

resources::Locator system_locator(std::string resource_dir, std::string init_dir) {
  return [resource_dir, init_dir](const std::string& script) -> std::optional<std::string> {
    // A name with a slash would leave the two directories.
    if (script.empty() || script.find('/') != std::string::npos) return std::nullopt;
    for (const auto& dir : {resource_dir, init_dir}) {
      std::string path = dir + "/" + script;
      if (is_executable_file(path)) return path;
    }
    return std::nullopt;
  };
}

std::set<std::string> list_rc_hooks(const std::string& rc_dir) {
  std::set<std::string> names;
  DIR* dir = ::opendir(rc_dir.c_str());
  if (!dir) return names;
  while (struct dirent* e = ::readdir(dir))
    if (e->d_name[0] != '.') names.insert(e->d_name);
  ::closedir(dir);
  return names;
}

}  // namespace hbd::daemon
