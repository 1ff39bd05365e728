// The ScriptHost of the manual ResourceManager: each script call runs with
// the daemon's script runner (io/script_runner.h: fork/exec of the exact
// argv, own process group, timeout, stdout captured for status, output
// appended to the debug file) on libev's default loop, which is run until
// that one call ends. SIGINT/SIGTERM (an admin's ^C) end the running
// script's process group too — it does not share our terminal's group —
// and then the tool itself.
#pragma once
#include <ev.h>

#include <string>
#include <vector>

#include "io/script_runner.h"
#include "tools/job_driver.h"

namespace hbd::tools {

class BlockingScriptHost : public ScriptHost {
 public:
  // `environment`: the scripts' complete base environment; `debug_file`:
  // where their output goes for ScriptOutput::DebugFile ("" = /dev/null).
  BlockingScriptHost(std::vector<std::string> environment, std::string debug_file);
  ~BlockingScriptHost() override;
  BlockingScriptHost(const BlockingScriptHost&) = delete;
  BlockingScriptHost& operator=(const BlockingScriptHost&) = delete;

  resources::ScriptOutcome run(const resources::ScriptCall& call, ScriptOutput where) override;
  int64_t now_ms() override;
  void wait_until(int64_t ms) override;

  void on_signal(int signum);
  void on_relay_readable();

 private:
  // Script stderr for ScriptOutput::Stderr: the runner only appends to a
  // path, and a path to our stderr (/dev/stderr) would open a description
  // of its own — over a `2>file` our writes and the script's would
  // overwrite each other. So the script writes into a pipe we copy to fd 2.
  std::string open_relay();
  void close_relay();

  struct ev_loop* loop_;
  io::EvScriptRunner runner_;
  std::vector<std::string> environment_;
  std::string debug_file_;
  ev_signal sigint_;
  ev_signal sigterm_;
  ev_io relay_;
  int relay_fds_[2] = {-1, -1};
  int interrupted_by_ = 0;
};

}  // namespace hbd::tools
