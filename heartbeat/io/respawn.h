// Respawned clients (ha.cf `respawn USER COMMAND…`, config-and-tools §4.8):
// started when comm comes up as `sh -c "exec COMMAND"` under the user's
// uid, gid and groups, stdio on /dev/null, in their own process group;
// restarted, delayed or given up as RespawnPolicy decides; stopped with
// SIGTERM to each process group in reverse order at shutdown.
//
// Like heartbeat 3.0.6 (lab): clients inherit the daemon's environment
// (heartbeat's includes HA_<directive> for every ha.cf value) and working
// directory (/var/lib/heartbeat/cores/root). Unlike it, they get default
// signal dispositions (heartbeat leaks its ignored SIGINT, SIGPIPE,
// SIGTTIN, SIGTTOU) and no descriptor beyond 0-2.
#pragma once
#include <ev.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/hacf.h"
#include "io/respawn_policy.h"
#include "io/spawn.h"
#include "log/format.h"

namespace hbd::io {

// user name -> uid, primary gid and supplementary groups, or nullopt with
// the reason in `error`.
using ResolveUser = std::function<std::optional<Credentials>(const std::string& user,
                                                             std::string& error)>;
// getpwnam_r + getgrouplist (what initgroups would set).
std::optional<Credentials> resolve_system_user(const std::string& user, std::string& error);

struct RespawnOptions {
  std::vector<std::string> env;     // the clients' environment; default: the daemon's
  bool env_given = false;           // use `env` even if empty
  std::string cwd;                  // "" = the daemon's working directory
  std::string shell = "/bin/sh";
  std::function<int64_t()> clock;   // monotonic ms; default io::monotonic_ms
  double seconds_per_ms = 0.001;    // real timer length of a policy millisecond (tests shrink it)
};

// libev implementation. `loop` MUST be libev's default loop (ev_child).
class RespawnSupervisor {
 public:
  using OnLog = std::function<void(log::Level, const std::string&)>;
  struct Client;

  RespawnSupervisor(struct ev_loop* loop, std::vector<config::ClientChild> clients,
                    ResolveUser resolve, OnLog on_log, RespawnOptions options = {});
  ~RespawnSupervisor();  // stops watching; does not kill clients (call stop_all first)
  RespawnSupervisor(const RespawnSupervisor&) = delete;
  RespawnSupervisor& operator=(const RespawnSupervisor&) = delete;

  // Starts every client, in ha.cf order (once; later calls do nothing).
  void start_all();
  // Shutdown (once): no more restarts; SIGTERM to each running client's
  // process group in reverse order. Keep the loop running until
  // !any_running() to reap them.
  void stop_all();
  bool any_running() const;
  size_t size() const { return clients_.size(); }
  // The running process of client `index` (ha.cf order), or -1.
  pid_t pid_of(size_t index) const;
  // Whether client `index` was given up ("respawning too fast").
  bool given_up(size_t index) const;

  void on_exit(Client& client, int status);
  void on_restart_due(Client& client);

 private:
  void start(Client& client);
  void apply(Client& client, const RespawnPolicy::Decision& decision);
  void log_lines(const std::vector<RespawnLogLine>& lines);

  struct ev_loop* loop_;
  ResolveUser resolve_;
  OnLog on_log_;
  RespawnOptions options_;
  std::vector<std::unique_ptr<Client>> clients_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace hbd::io
