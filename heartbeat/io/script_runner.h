// Running resource scripts and harc (config-and-tools §3.4, §4.7): one
// child per script, started with io::spawn (own process group, clean
// signals, SCHED_OTHER, exact environment, stdin /dev/null), its output
// appended to the debug file or captured for `status` (§3.5), completion
// reported from the event loop. The loop never blocks on a script.
#pragma once
#include <ev.h>
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hbd::io {

struct ScriptSpec {
  uint64_t id = 0;                // echoed in the result
  std::vector<std::string> argv;  // argv[0] = absolute path; execve'd, never through a shell
  std::vector<std::string> env;   // the complete environment, "NAME=value"
  std::string cwd;                // chdir target; "/" if that fails
  int64_t timeout_ms = 0;         // 0 = none
  std::string output_path;        // stdout+stderr appended (O_APPEND|O_CREAT, 0644); "" = /dev/null
  bool capture_stdout = false;    // stdout into the result (stderr still to output_path)
};

struct ScriptResult {
  uint64_t id = 0;
  enum class End { Exited, Signalled, TimedOut, ExecFailed } end = End::Exited;
  int exit_code = 0;        // Exited
  int signal = 0;           // Signalled; TimedOut: the signal that ended it, if any
  std::string error;        // ExecFailed: why (e.g. "No such file or directory")
  std::string stdout_text;  // capture_stdout only; the first 64 KiB, the rest dropped
  std::string output_error; // output_path could not be opened: why (output went to /dev/null)
  int64_t elapsed_ms = 0;
  pid_t pid = -1;           // the script's pid (= its process group); -1 if never started
};

class ScriptRunner {
 public:
  using Done = std::function<void(const ScriptResult&)>;
  virtual ~ScriptRunner() = default;
  // Starts the script; `done` is called exactly once, always from the event
  // loop (never from inside run(), even when no process could be created).
  virtual void run(const ScriptSpec& spec, Done done) = 0;
  virtual bool busy() const = 0;     // a script is running
  // SIGTERM to every running script's process group now, SIGKILL to those
  // still running after the grace period (daemon exit). Their `done` is
  // still called as they are reaped, so keep the loop running until !busy().
  virtual void terminate_all() = 0;
};

struct ScriptRunnerOptions {
  std::function<int64_t()> clock;       // monotonic ms; default io::monotonic_ms
  int64_t kill_grace_ms = 5000;         // SIGTERM -> SIGKILL
  size_t capture_limit = 64 * 1024;     // bytes of stdout kept
};

// libev implementation. `loop` MUST be libev's default loop
// (ev_default_loop): ev_child watchers only work there. Scripts may run
// concurrently; each has its own watchers.
class EvScriptRunner : public ScriptRunner {
 public:
  struct Job;

  explicit EvScriptRunner(struct ev_loop* loop, ScriptRunnerOptions options = {});
  ~EvScriptRunner() override;  // stops watching; does not kill running scripts
  EvScriptRunner(const EvScriptRunner&) = delete;
  EvScriptRunner& operator=(const EvScriptRunner&) = delete;

  void run(const ScriptSpec& spec, Done done) override;
  bool busy() const override { return !jobs_.empty(); }
  void terminate_all() override;
  // terminate_all() for a runner that outlives whoever started the scripts
  // (the daemon, at exit): their `done` callbacks are dropped, not called.
  void abandon_all();
  size_t running() const { return jobs_.size(); }

  // Watcher callbacks.
  void on_child_exit(Job& job, int status);
  void on_timeout(Job& job);
  void on_kill_grace_over(Job& job);
  void on_output(Job& job);

 private:
  void start_job(std::unique_ptr<Job> job);
  void signal_group(Job& job, int signal);
  void read_output(Job& job, bool drain);
  void finish(Job& job, int status);

  struct ev_loop* loop_;
  ScriptRunnerOptions options_;
  uint64_t next_key_ = 1;
  std::map<uint64_t, std::unique_ptr<Job>> jobs_;
};

}  // namespace hbd::io
