// hbd's ResourceManager (config-and-tools §5.5): heartbeat's manual driver
// for resource groups, reading haresources on every call.
//
//   listkeys <regex>  keys of the groups whose line matches ^<regex>␠
//                     (extended regex, any case, against "node rsc1 rsc2 ")
//   allkeys           every key
//   ourkeys           the resources of each group of this node (HA_CURHOST),
//   otherkeys         and of every other group: one group a line, trailing blank
//   status <rsc>      the resource's status: 0 running, 3 stopped (§3.5)
//   takegroup <key>   start the group (§3.6), with the daemon's GroupJob
//   givegroup <key>   stop it (§3.7)
//   statgroup <key>   NONE / SOME / ALL of the group running, on stdout
//   verifyallidle     every key's status; heartbeat's warnings for each one
//                     running; exit status = how many run
//   anything else     usage on stderr, exit 1
//
// Differences from heartbeat's script, on purpose: groups are found by
// exact key (heartbeat greps every line for the word, as a regex); an
// unknown key for takegroup/givegroup is an error (exit 1) where heartbeat
// silently does nothing; lines without resources are not listed (heartbeat
// prints an empty line for them); statgroup prints on stdout (heartbeat
// writes its answer into the debug file); a failed start does not run
// `(sleep 30; hb_standby foreign) &` (the daemon does that for its own
// starts); the reboot verdict is logged, nothing is rebooted; every
// script call has the daemon's timeouts (HBD_*_TIMEOUT).
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "resources/group_job.h"
#include "tools/job_driver.h"
#include "tools/script_log.h"

namespace hbd::tools {

struct RmContext {
  std::string program;  // argv[0] as given (usage, verifyallidle)
  std::string haresources_path;
  std::string haresources_text;   // empty when it could not be read
  std::string haresources_error;  // why it could not be read ("" if it was)
  std::string local_node;         // lowercase
  resources::Locator locate;
  resources::Timeouts timeouts;
  int stop_retries = 10;
  std::vector<std::pair<std::string, std::string>> env;  // for the scripts
};

// Where things are, from the environment:
//   HA_DIR         haresources, ha.cf, resource.d (default /etc/ha.d; heartbeat's
//                  script ignores it, hbd honours it)
//   HA_RESOURCEDIR the first place scripts are looked up (default HA_DIR/resource.d)
//   HBD_INIT_DIR   the second (default /etc/init.d), as for the daemon
//   HA_CURHOST     this node (default `uname -n`, lowercased; heartbeat's
//                  script has no default and then lists no group as ours)
struct RmPlaces {
  std::string ha_dir;
  std::string haresources;
  std::string resource_dir;
  std::string init_dir;
  std::string local_node;
};
RmPlaces rm_places(const Getenv& getenv, const std::string& init_dir,
                   const std::string& uname_node);

// What the scripts get on top of our own environment: HA_DIR, HA_FUNCS,
// HA_RESOURCEDIR, HA_CURHOST, and, run by hand, the log destinations read
// from ha.cf (so agents log where they do under the daemon).
std::vector<std::pair<std::string, std::string>> rm_script_env(const RmPlaces& places,
                                                               const ScriptLogPlan& plan);

std::string rm_usage(const std::string& program);

// The groups of `haresources` as key listings.
std::vector<std::string> list_keys(const std::vector<resources::Group>& groups,
                                   const std::string& pattern, std::string& error);
std::vector<std::string> group_lists(const std::vector<resources::Group>& groups, bool ours);

// Runs one invocation; returns the exit status.
int run_resource_manager(const std::vector<std::string>& args, const RmContext& context,
                         ScriptHost& host, ScriptLog& log, std::ostream& out, std::ostream& err);

}  // namespace hbd::tools
