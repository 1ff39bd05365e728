// ResourceManager: see tools/resource_manager.h.
#include <sys/utsname.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>

#include "daemon/resource_settings.h"
#include "daemon/script_paths.h"
#include "io/spawn.h"
#include "tools/blocking_host.h"
#include "tools/resource_manager.h"

namespace {

std::string uname_node() {
  struct utsname u;
  return ::uname(&u) == 0 ? u.nodename : "";
}

// The file's text, or "" with `error` saying why it could not be read.
std::string read_text(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::string("cannot read it: ") + std::strerror(errno);
    return "";
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

int main(int argc, char** argv) {
  using namespace hbd;
  std::string program = argc > 0 ? argv[0] : "ResourceManager";
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  tools::Getenv getenv = [](const char* name) { return std::getenv(name); };

  tools::ScriptLogger log(tools::plan_for_this_process(program, getenv));
  daemon::ResourceTuning tuning = daemon::read_tuning(getenv);
  for (const auto& p : tuning.problems) log.log(std::string("ERROR: ") + p.text);
  tools::RmPlaces places = tools::rm_places(getenv, tuning.init_dir, uname_node());

  tools::RmContext context;
  context.program = program;
  context.haresources_path = places.haresources;
  context.haresources_text = read_text(places.haresources, context.haresources_error);
  context.local_node = places.local_node;
  context.locate = daemon::system_locator(places.resource_dir, places.init_dir);
  context.timeouts = tuning.timeouts;
  context.stop_retries = tuning.stop_retries;
  context.env = tools::rm_script_env(places, log.plan());

  tools::BlockingScriptHost host(io::current_environment(), log.plan().script_output);
  return tools::run_resource_manager(args, context, host, log, std::cout, std::cerr);
}
