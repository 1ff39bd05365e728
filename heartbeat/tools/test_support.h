// Fakes for the tools' tests: a ScriptHost whose resources are plain
// state, a ScriptLog that remembers lines.
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tools/job_driver.h"
#include "tools/script_log.h"

namespace hbd::tools::testing {

class FakeLog : public ScriptLog {
 public:
  std::vector<std::string> lines;
  void log(const std::string& text) override { lines.push_back(text); }
  bool has(const std::string& text) const {
    for (const auto& l : lines)
      if (l == text) return true;
    return false;
  }
};

// Each resource is "<path> <args…>"; start makes it run, stop makes it
// stop, status prints "<r> is running" / "<r> is stopped" unless told
// otherwise. Failures are set per resource.
class FakeHost : public ScriptHost {
 public:
  int64_t now = 1000;
  std::set<std::string> running;
  std::map<std::string, int> start_fails;          // resource -> exit code
  std::map<std::string, int> stop_fails;           // resource -> exit code (keeps running)
  std::map<std::string, int> start_signals;        // resource -> killed by this signal
  std::map<std::string, std::string> status_text;  // resource -> stdout of status
  std::vector<std::string> calls;                  // "<resource> <op>"
  std::vector<ScriptOutput> outputs;
  std::vector<int64_t> waits;  // wait_until arguments

  resources::ScriptOutcome run(const resources::ScriptCall& call, ScriptOutput where) override {
    std::string rsc = call.path;
    for (size_t i = 0; i + 1 < call.args.size(); ++i) rsc += " " + call.args[i];
    const std::string op = call.args.back();
    calls.push_back(rsc + " " + op);
    outputs.push_back(where);
    resources::ScriptOutcome o;
    o.id = call.id;
    if (op == "status") {
      auto it = status_text.find(rsc);
      o.output = it != status_text.end()
                     ? it->second
                     : rsc + (running.count(rsc) ? " is running" : " is stopped");
    } else if (op == "start") {
      if (start_signals.count(rsc)) {
        o.end = resources::ScriptOutcome::End::Signalled;
        o.signal = start_signals[rsc];
      } else if (start_fails.count(rsc)) {
        o.exit_code = start_fails[rsc];
      } else {
        running.insert(rsc);
      }
    } else if (op == "stop") {
      if (stop_fails.count(rsc))
        o.exit_code = stop_fails[rsc];
      else
        running.erase(rsc);
    }
    now += 10;
    return o;
  }
  int64_t now_ms() override { return now; }
  void wait_until(int64_t ms) override {
    waits.push_back(ms);
    if (ms > now) now = ms;
  }
};

// Scripts found as /rd/<name> for the names given.
inline resources::Locator locator(std::set<std::string> names) {
  return [names](const std::string& s) -> std::optional<std::string> {
    if (!names.count(s)) return std::nullopt;
    return "/rd/" + s;
  };
}

}  // namespace hbd::tools::testing
