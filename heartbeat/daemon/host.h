// What the daemon asks of the host beyond the cluster: respawned clients
// and heartbeat's last resort when a resource will not stop.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/hacf.h"
#include "daemon/notifier.h"
#include "log/format.h"
#include "node/notify_events.h"

struct ev_loop;

namespace hbd::io {
class RespawnSupervisor;
}

namespace hbd::daemon {

class Host {
 public:
  virtual ~Host() = default;
  virtual void start_clients() = 0;  // comm is up
  virtual void stop_clients() = 0;   // shutting down
  // Runs the reboot command; false (after logging) when it did not reboot.
  virtual bool reboot() = 0;
  // hbd.ini [notify] hooks: whether there are any, and one event for them.
  virtual bool notifying() const { return false; }
  virtual void notify(const node::NotifyEvent&) {}
};

class SystemHost : public Host {
 public:
  using OnLog = std::function<void(log::Level, const std::string&)>;
  // `loop` must be libev's default loop (child watchers).
  SystemHost(struct ev_loop* loop, const std::vector<config::ClientChild>& clients,
             std::vector<std::string> environment, std::string cwd,
             std::string reboot_command, OnLog on_log);
  ~SystemHost() override;

  void start_clients() override;
  void stop_clients() override;
  bool reboot() override;
  bool notifying() const override { return notifier_ != nullptr; }
  void notify(const node::NotifyEvent& event) override;
  // Runs hbd.ini's [notify] hooks from now on, with a script runner of their own.
  void enable_notify(NotifySettings settings);
  // At exit: hooks still running are killed, their results not awaited.
  void abandon_notify();

 private:
  struct ev_loop* loop_;
  std::unique_ptr<io::EvScriptRunner> notify_runner_;
  std::unique_ptr<Notifier> notifier_;
  std::unique_ptr<io::RespawnSupervisor> clients_;
  std::string reboot_command_;
  OnLog on_log_;
};

}  // namespace hbd::daemon
