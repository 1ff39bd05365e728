// The running daemon: one libev loop that wires UDP media, the wire codec,
// the membership core, the logger and signals together. It owns no policy
// of its own; cluster::Membership decides, this class only carries bytes,
// time and log lines.
#pragma once
#include <sys/stat.h>

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <ev.h>

#include "cluster/membership.h"
#include "config/validate.h"
#include "control/snapshot.h"
#include "daemon/intake.h"
#include "io/store.h"
#include "io/udp_medium.h"
#include "log/logger.h"
#include "serial/serial_medium.h"

namespace hbd::daemon {

struct DaemonSettings {
  config::Validation validation;  // config, auth and local node of a clean start
  std::string config_dir = "/etc/ha.d";
  std::string version;
  int debug = 0;
};

enum class DaemonExit { Stopped, Restart };

class Daemon : public cluster::Sink, public cluster::Random, public control::SnapshotSource {
 public:
  Daemon(struct ev_loop* loop, log::Logger& logger, io::Store& store, DaemonSettings settings);
  ~Daemon() override;
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Generation, uuid, media, first heartbeats. False (logged) if it cannot run.
  bool start();
  DaemonExit exit_reason() const { return exit_; }

  // cluster::Sink
  void send(const wire::Message& message, cluster::SendKind kind) override;
  void log(log::Level level, const std::string& text) override;
  void event(const cluster::Event& event) override;
  // cluster::Random
  int64_t between(int64_t lo, int64_t hi) override;
  // control::SnapshotSource
  control::Snapshot snapshot() const override;

  void on_packet(std::string_view packet, const std::string& medium);
  void on_tick();
  void on_signal(int signum);
  const Intake& intake() const { return intake_; }

 private:
  bool init_identity(uint64_t& generation, std::string& uuid);
  void open_media();
  void open_serial_media(const std::vector<serial::PortSpec>& specs);
  void send_serial(const wire::Message& message);
  void arm_timer();
  void request_shutdown();
  void shutdown_now();
  void reload();
  void reread_authkeys();
  void set_debug(int level);
  std::string config_path(const char* name) const;

  struct ev_loop* loop_;
  log::Logger& logger_;
  io::Store& store_;
  DaemonSettings settings_;
  wire::AuthConfig auth_;
  bool netstring_only_ = false;  // msgfmt netstring: no inner auth field
  std::mt19937_64 rng_;
  Intake intake_;
  std::unique_ptr<cluster::Membership> membership_;
  std::vector<std::unique_ptr<io::UdpMedium>> media_;
  // Serial lines: classic text with the inner auth re-signed (§1.7).
  serial::TtyOpener tty_opener_;
  std::vector<std::unique_ptr<serial::SerialMedium>> serial_media_;
  // Our sequenced packets as first sent, so a retransmission is byte for byte the same.
  std::map<uint64_t, std::string> sent_;
  ev_timer tick_timer_;
  std::vector<std::unique_ptr<ev_signal>> signals_;
  struct timespec hacf_mtime_{}, authkeys_mtime_{};
  bool shutdown_pending_ = false;
  bool stopping_ = false;
  DaemonExit exit_ = DaemonExit::Stopped;
  int debug_ = 0;
};

}  // namespace hbd::daemon
