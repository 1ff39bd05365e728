// The running daemon: wiring of the media, the wire codec, the node core
// (membership and resource manager), the script runner, the logger and the
// clock on one libev loop. It owns no policy: node::NodeCore decides what to
// send, which script to run and when; the reload decision
// (daemon/reload.h), the outgoing encodings (daemon/outbound.h) and the
// control snapshot (daemon/snapshot.h) are pure functions it calls. Every
// adapter is injected (DaemonAdapters), so tests run it with fakes.
// Signals reach it through a SignalRelay the caller owns (daemon/signals.h).
#pragma once
#include <cstdint>
#include <memory>
#include <set>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <ev.h>

#include "cluster/membership.h"
#include "daemon/host.h"
#include "io/arp_announcer.h"
#include "io/script_runner.h"
#include "node/node_core.h"
#include "config/defaults.h"
#include "config/validate.h"
#include "control/snapshot.h"
#include "daemon/config_dir.h"
#include "daemon/intake.h"
#include "daemon/media.h"
#include "daemon/outbound.h"
#include "daemon/reload.h"
#include "daemon/snapshot.h"
#include "io/clock.h"
#include "io/medium.h"
#include "io/store.h"
#include "log/logger.h"

namespace hbd::daemon {

struct DaemonSettings {
  config::Validation validation;  // config, auth and local node of a clean start
  std::string version;
  int debug = 0;
  std::optional<uint64_t> random_seed;  // tests: replayable ack triggers and rexmit delays
  resources::Settings resources;          // pid, hooks, timeouts … (daemon/resource_settings.h)
  resources::Locator locate;              // where scripts are
  std::vector<std::string> script_env;    // every script's environment
  std::string script_cwd = config::defaults::kCoreDir;
  std::string reboot_command;
};

// The adapters the daemon reaches the system through; all outlive it.
struct DaemonAdapters {
  log::Logger& logger;
  io::Store& store;          // generation and uuid
  io::Clock& clock;          // every time the daemon reads
  MediaFactory& media;       // makes the media of the ha.cf plan
  ConfigDir& config;         // what SIGHUP rereads and checks
  io::ScriptRunner& scripts; // resource scripts and rc.d hooks
  io::ArpAnnouncer& arp;     // re-announces virtual IPs after a split brain
  Host& host;                // respawned clients, reboot
};

enum class DaemonExit {
  Stopped,       // shut down
  Restart,       // ha.cf changed: re-execute keeping the resources (-R -C)
  RestartFresh,  // "No local heartbeat": resources given up, start afresh
  Killed,        // a resource would not stop: die without a word to the peer
};

class Daemon : public node::Effects, public cluster::Random, public control::SnapshotSource {
 public:
  Daemon(struct ev_loop* loop, DaemonAdapters adapters, DaemonSettings settings);
  ~Daemon() override;
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Generation, uuid, media, first heartbeats. False (logged) if it cannot run.
  bool start();
  DaemonExit exit_reason() const { return exit_; }
  bool stopping() const { return stopping_; }

  // node::Effects
  void transmit(const wire::Message& message, cluster::SendKind kind) override;
  void log(log::Level level, const std::string& text) override;
  void run_script(const resources::ScriptCall& call) override;
  void announce(const std::vector<std::string>& addresses) override;
  void reboot() override;
  void comm_up() override;
  void finished(bool restart) override;
  bool wants_notify() const override { return io_.host.notifying(); }
  void notify(const node::NotifyEvent& event) override { io_.host.notify(event); }
  // cluster::Random
  int64_t between(int64_t lo, int64_t hi) override;
  // control::SnapshotSource
  control::Snapshot snapshot() const override;
  std::string cleanup(const std::string& target) override;

  // Entry points of the loop's watchers (and of tests).
  void on_packet(std::string_view packet, const std::string& medium);
  void on_tick();
  void on_signal(int signum);
  bool reload_pending() const { return check_pending_; }
  // A block from the command FIFO.
  void on_fifo_message(wire::Message message);

  const Intake& intake() const { return intake_; }
  const std::vector<std::unique_ptr<io::Medium>>& media() const { return media_; }
  const cluster::Membership* membership() const {
    return core_ ? &core_->membership() : nullptr;
  }
  const node::NodeCore* core() const { return core_.get(); }
  // What -C passes to the re-executed daemon: our holdings.
  std::string holdings() const;
  const WireSettings& wire_settings() const { return wire_; }
  int debug_level() const { return debug_; }
  // The delay the tick timer was last armed with, from the Clock (-1: not armed).
  int64_t tick_wait_ms() const { return tick_wait_ms_; }

 private:
  bool init_identity(uint64_t& generation, std::string& uuid);
  void open_media();
  void ping_all(const wire::Message& status);
  void arm_timer();
  void stop_loop(DaemonExit why);
  void on_script_result(const io::ScriptResult& result);
  void reload();
  void start_check(const ConfigTimes& now);
  void on_check_done(const HacfVerdict& verdict);
  void apply_reload(const ConfigTimes& now, const HacfVerdict& verdict);
  void set_debug(int level);
  void log_all(const std::vector<LogLine>& lines);
  std::vector<std::string> media_names() const;

  struct ev_loop* loop_;
  DaemonAdapters io_;
  DaemonSettings settings_;
  WireSettings wire_;
  std::mt19937_64 rng_;
  Intake intake_;
  std::unique_ptr<node::NodeCore> core_;
  std::vector<std::unique_ptr<io::Medium>> media_;  // UDP then serial, in ha.cf order
  std::vector<std::unique_ptr<io::Medium>> ping_media_;  // one per ping node / group
  std::set<std::string> ping_groups_;                     // which of them are ping_groups
  ev_timer tick_timer_;
  int64_t tick_wait_ms_ = -1;
  ConfigTimes config_times_;
  bool check_pending_ = false;  // a changed ha.cf is being checked (ConfigDir::check_hacf)
  Mtime checked_hacf_;          // the ha.cf it checks
  bool stopping_ = false;
  DaemonExit exit_ = DaemonExit::Stopped;
  int debug_ = 0;
};

}  // namespace hbd::daemon
