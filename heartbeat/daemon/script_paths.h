// Looking scripts up on disk: heartbeat's resource script lookup
// (config-and-tools §3.3) and the rc.d hook names it reads once at start.
#pragma once
#include <set>
#include <string>

#include "resources/group_job.h"

namespace hbd::daemon {

// resource_dir/S, then init_dir/S: the first regular, executable file.
resources::Locator system_locator(std::string resource_dir, std::string init_dir);
// The file names in rc.d (dot-files skipped); empty when it cannot be read.
std::set<std::string> list_rc_hooks(const std::string& rc_dir);
bool is_executable_file(const std::string& path);

}  // namespace hbd::daemon
