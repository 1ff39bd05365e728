#include "daemon/host.h"

#include <sys/wait.h>

#include <cstdlib>

#include "io/respawn.h"

namespace hbd::daemon {

SystemHost::SystemHost(struct ev_loop* loop, const std::vector<config::ClientChild>& clients,
                       std::vector<std::string> environment, std::string cwd,
                       std::string reboot_command, OnLog on_log)
    : loop_(loop), reboot_command_(std::move(reboot_command)), on_log_(std::move(on_log)) {
  io::RespawnOptions options;
  options.env = std::move(environment);
  options.env_given = true;
  options.cwd = std::move(cwd);
  clients_ = std::make_unique<io::RespawnSupervisor>(loop, clients, io::resolve_system_user,
                                                     on_log_, options);
}

SystemHost::~SystemHost() { abandon_notify(); }

void SystemHost::enable_notify(NotifySettings settings) {
  std::string dir = settings.directory;
  notify_runner_ = std::make_unique<io::EvScriptRunner>(loop_);
  notifier_ = std::make_unique<Notifier>(
      *notify_runner_, std::move(settings), [dir] { return list_hook_executables(dir); }, on_log_);
}

void SystemHost::notify(const node::NotifyEvent& event) {
  if (notifier_) notifier_->push(event);
}

void SystemHost::abandon_notify() {
  if (notify_runner_) notify_runner_->abandon_all();
}

void SystemHost::start_clients() { clients_->start_all(); }

void SystemHost::stop_clients() { clients_->stop_all(); }

// heartbeat runs `reboot -nf`, then `init 6`. The command is the admin's
// (HBD_REBOOT_COMMAND), so it goes through the shell; the daemon is about
// to die, so waiting for it is fine.
bool SystemHost::reboot() {
  int status = std::system(reboot_command_.c_str());
  if (status == 0) return true;
  on_log_(log::Level::Crit, "Unable to force reboot.");
  return false;
}

}  // namespace hbd::daemon
