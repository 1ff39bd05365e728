#include "tools/resource_manager.h"

#include <regex>

#include "config/haresources.h"
#include "resources/group_table.h"
#include "resources/status_text.h"

namespace hbd::tools {

namespace {

using resources::Group;
using resources::ScriptCall;
using resources::ScriptOutcome;

constexpr int kRunning = 0;
constexpr int kStopped = 3;  // LSB "program is not running"
constexpr int kMaxExitStatus = 255;

std::string seconds_text(int64_t ms) {
  return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + " s";
}

std::string joined_resources(const Group& g) {
  std::string text;
  for (const auto& r : g.resources) text += r.token + " ";
  return text;
}

class ResourceManager {
 public:
  ResourceManager(const RmContext& c, ScriptHost& host, ScriptLog& log, std::ostream& out,
                  std::ostream& err)
      : c_(c),
        host_(host),
        log_(log),
        out_(out),
        err_(err),
        table_(config::parse_haresources(c.haresources_text, c.haresources_path).groups,
               c.local_node) {}

  int run(const std::vector<std::string>& args) {
    const std::string verb = args.empty() ? "" : args[0];
    const std::string arg = args.size() > 1 ? args[1] : "";
    if (verb == "listkeys") return print_keys(arg);
    if (verb == "allkeys") return print_keys(".*");
    if (verb == "ourkeys") return print_lines(group_lists(table_.all(), true));
    if (verb == "otherkeys") return print_lines(group_lists(table_.all(), false));
    if (verb == "status")
      return running(config::parse_resource(arg), ScriptOutput::Stderr) ? kRunning : kStopped;
    if (verb == "takegroup" || verb == "givegroup") return move_group(verb, args);
    if (verb == "statgroup") return stat_group(arg);
    if (verb == "verifyallidle") return verify_all_idle();
    err_ << rm_usage(c_.program) << std::flush;
    return 1;
  }

 private:
  int print_lines(const std::vector<std::string>& lines) {
    for (const auto& l : lines) out_ << l << "\n";
    out_ << std::flush;
    return 0;
  }

  int print_keys(const std::string& pattern) {
    std::string error;
    auto keys = list_keys(table_.all(), pattern, error);
    if (!error.empty()) {
      err_ << c_.program << ": listkeys: bad pattern [" << pattern << "]: " << error << "\n"
           << std::flush;
      return 1;
    }
    return print_lines(keys);
  }

  // The resource's status by its text (§3.5); a script that cannot be
  // found, run or that times out counts as stopped.
  bool running(const config::Resource& r, ScriptOutput where) {
    auto path = c_.locate(r.script);
    if (!path) {
      log_.log("ERROR: Cannot locate resource script " + r.script);
      return false;
    }
    ScriptCall call;
    call.id = ++next_call_id_;
    call.path = *path;
    call.args = r.args;
    call.args.push_back("status");
    call.capture_stdout = true;
    call.timeout_ms = c_.timeouts.status_ms;
    call.env = c_.env;
    ScriptOutcome o = host_.run(call, where);
    std::string what = resources::describe_call(call.path, r.args, resources::Op::Status);
    if (o.end == ScriptOutcome::End::TimedOut)
      log_.log("WARN: " + what + " timed out after " + seconds_text(o.elapsed_ms) +
               ": taken as not running");
    if (o.end == ScriptOutcome::End::NotRun) log_.log("ERROR: Cannot run " + what + ": " + o.error);
    return resources::says_running(o.output);
  }

  int move_group(const std::string& verb, const std::vector<std::string>& args) {
    if (args.size() < 2) {
      err_ << c_.program << ": " << verb << " needs the key of a resource group\n"
           << rm_usage(c_.program) << std::flush;
      return 1;
    }
    auto index = table_.by_key(args[1]);
    if (!index) {
      err_ << c_.program << ": " << verb << ": no resource group has the key [" << args[1]
           << "] in " << c_.haresources_path;
      if (!c_.haresources_error.empty()) err_ << " (" << c_.haresources_error << ")";
      err_ << "\n" << std::flush;
      return 1;
    }
    resources::JobContext context;
    context.locate = c_.locate;
    context.timeouts = c_.timeouts;
    context.stop_retries = c_.stop_retries;
    context.env = c_.env;
    context.next_call_id = &next_call_id_;
    auto kind = verb == "takegroup" ? resources::GroupJob::Kind::Acquire
                                    : resources::GroupJob::Kind::Release;
    return drive_group_job(table_.at(*index), kind, context, host_, log_).exit_code;
  }

  // heartbeat's StatGroup: stops asking at the first mismatch.
  int stat_group(const std::string& key) {
    std::string result = "NONE";
    if (auto index = table_.by_key(key)) {
      const Group& g = table_.at(*index);
      for (size_t i = 0; i < g.resources.size(); ++i) {
        std::string seen = running(g.resources[i], ScriptOutput::DebugFile) ? "ALL" : "NONE";
        if (i > 0 && seen != result) {
          result = "SOME";
          break;
        }
        result = seen;
      }
    }
    out_ << result << "\n" << std::flush;
    return 0;
  }

  int verify_all_idle() {
    int active = 0;
    for (const auto& g : table_.all()) {
      if (!running(g.resources.front(), ScriptOutput::Stderr)) continue;
      ++active;
      log_.log("CRITICAL: Resource " + g.key + " is active, and should not be!");
      log_.log("CRITICAL: Non-idle resources can affect data integrity!");
      log_.log("info: If you don't know what this means, then get help!");
      log_.log("info: Read the docs and/or source to " + c_.program + " for more details.");
      err_ << "CRITICAL: Resource " << g.key << " is active, and should not be!\n"
           << "CRITICAL: Non-idle resources can affect data integrity!\n"
           << "info: If you don't know what this means, then get help!\n"
           << "info: Read the docs and/or the source to " << c_.program << " for more details.\n"
           << std::flush;
    }
    if (active > 0) {
      log_.log("CRITICAL: Non-idle resources will affect resource takeback!");
      log_.log("CRITICAL: Non-idle resources may affect data integrity!");
    }
    // A shell's exit status wraps at 256: 256 running groups would read as 0.
    return std::min(active, kMaxExitStatus);
  }

  const RmContext& c_;
  ScriptHost& host_;
  ScriptLog& log_;
  std::ostream& out_;
  std::ostream& err_;
  resources::GroupTable table_;
  uint64_t next_call_id_ = 0;
};

}  // namespace

RmPlaces rm_places(const Getenv& getenv, const std::string& init_dir,
                   const std::string& uname_node) {
  auto env = [&](const char* name, const std::string& fallback) {
    const char* v = getenv(name);
    return v && *v ? std::string(v) : fallback;
  };
  RmPlaces p;
  p.ha_dir = env("HA_DIR", "/etc/ha.d");
  p.haresources = p.ha_dir + "/haresources";
  p.resource_dir = env("HA_RESOURCEDIR", p.ha_dir + "/resource.d");
  p.init_dir = init_dir;
  p.local_node = resources::lower(env("HA_CURHOST", uname_node));
  return p;
}

std::vector<std::pair<std::string, std::string>> rm_script_env(const RmPlaces& places,
                                                               const ScriptLogPlan& plan) {
  std::vector<std::pair<std::string, std::string>> env = {
      {"HA_DIR", places.ha_dir},
      {"HA_FUNCS", places.ha_dir + "/shellfuncs"},
      {"HA_RESOURCEDIR", places.resource_dir},
      {"HA_CURHOST", places.local_node},
  };
  if (plan.from_config) {
    env.emplace_back("HA_LOGFILE", plan.logfile);
    env.emplace_back("HA_DEBUGLOG", plan.script_output);
    if (!plan.facility_name.empty()) env.emplace_back("HA_LOGFACILITY", plan.facility_name);
    env.emplace_back("HA_DATEFMT", plan.file_datefmt);
  }
  return env;
}

std::string rm_usage(const std::string& program) {
  return "usage: " + program +
         " listkeys machine | takegroup key | givegroup key|status resource\n\n";
}

std::vector<std::string> list_keys(const std::vector<Group>& groups, const std::string& pattern,
                                   std::string& error) {
  std::vector<std::string> keys;
  try {
    // heartbeat: egrep -i "^<pattern> " over "node rsc1 rsc2 " (node lowercased).
    std::regex re("^" + pattern + " ", std::regex::extended | std::regex::icase);
    for (const auto& g : groups)
      if (std::regex_search(g.line + " ", re)) keys.push_back(g.key);
  } catch (const std::regex_error& e) {
    error = e.what();
    keys.clear();
  }
  return keys;
}

std::vector<std::string> group_lists(const std::vector<Group>& groups, bool ours) {
  std::vector<std::string> lines;
  for (const auto& g : groups)
    if (g.local == ours) lines.push_back(joined_resources(g));
  return lines;
}

int run_resource_manager(const std::vector<std::string>& args, const RmContext& context,
                         ScriptHost& host, ScriptLog& log, std::ostream& out, std::ostream& err) {
  return ResourceManager(context, host, log, out, err).run(args);
}

}  // namespace hbd::tools
