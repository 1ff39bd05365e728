// hbd.ini [notify]: every executable of a directory is run for each node,
// link and group event, with the event's words as arguments and in HBD_*
// variables. One hook at a time, in event order, each within a timeout,
// through a script runner of its own: the daemon never waits for a hook,
// and resource scripts never wait behind one (keepalived runs its notify
// scripts concurrently and out of order; heartbeat has no such hooks).
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/defaults.h"
#include "io/script_runner.h"
#include "log/format.h"
#include "node/notify_events.h"

namespace hbd::daemon {

struct NotifySettings {
  std::string directory;              // hbd.ini [notify] directory
  int64_t timeout_ms = config::defaults::kNotifyTimeoutMs;  // each hook run
  std::vector<std::string> base_env;  // the resource scripts' environment (HA_*, PATH)
};

// Events waiting beyond this are dropped, oldest first, and the drop is
// logged: hooks that cannot keep up must not grow the daemon without bound.
constexpr std::size_t kNotifyQueueLimit = 1000;

// The order of work, pure: events queue up, one (hook, event) at a time.
// An event's hooks are listed when its turn comes.
class NotifyQueue {
 public:
  struct Run {
    std::string hook;
    node::NotifyEvent event;
  };
  using ListHooks = std::function<std::vector<std::string>()>;

  void push(node::NotifyEvent event);
  // The next hook to run, if none is running; nullopt when idle.
  std::optional<Run> next(const ListHooks& list_hooks);
  void done() { running_ = false; }
  bool running() const { return running_; }
  // Events dropped since the last call.
  std::size_t take_dropped();

 private:
  std::deque<node::NotifyEvent> events_;
  std::deque<std::string> hooks_;  // of `current_`, still to run
  node::NotifyEvent current_;
  bool running_ = false;
  std::size_t dropped_ = 0;
};

// The hook's environment: the scripts' own, then HBD_EVENT (the first word)
// and HBD_NODE / HBD_LINK / HBD_STATUS / HBD_GROUP / HBD_STATE as they apply.
std::vector<std::string> hook_environment(const std::vector<std::string>& base,
                                          const node::NotifyEvent& event);

// The executables of `directory`, sorted by name; hidden files and package
// leftovers (*~, *.dpkg-*, *.rpm*) are not hooks.
std::vector<std::string> list_hook_executables(const std::string& directory);

class Notifier {
 public:
  using OnLog = std::function<void(log::Level, const std::string&)>;
  Notifier(io::ScriptRunner& runner, NotifySettings settings, NotifyQueue::ListHooks list_hooks,
           OnLog on_log);
  void push(const node::NotifyEvent& event);

 private:
  void run_next();
  void finished(const io::ScriptResult& result, const NotifyQueue::Run& run);

  io::ScriptRunner& runner_;
  NotifySettings settings_;
  NotifyQueue::ListHooks list_hooks_;
  OnLog on_log_;
  NotifyQueue queue_;
  uint64_t next_id_ = 1;
};

}  // namespace hbd::daemon
