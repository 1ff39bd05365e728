#include "daemon/daemon.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "cluster/ping.h"
#include "daemon/resource_settings.h"
#include "daemon/settings.h"

namespace hbd::daemon {

namespace {

void tick_cb(struct ev_loop*, ev_timer* w, int) { static_cast<Daemon*>(w->data)->on_tick(); }

std::string load_average() {
  double avg[3];
  if (::getloadavg(avg, 3) != 3) return {};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f %.2f %.2f", avg[0], avg[1], avg[2]);
  return buf;
}

}  // namespace

Daemon::Daemon(struct ev_loop* loop, DaemonAdapters adapters, DaemonSettings settings)
    : loop_(loop), io_(adapters), settings_(std::move(settings)),
      wire_{settings_.validation.auth, !settings_.validation.config.msgfmt_netstring},
      rng_(settings_.random_seed ? *settings_.random_seed : std::random_device{}()), debug_(settings_.debug) {
  ev_timer_init(&tick_timer_, tick_cb, 0., 0.);
  tick_timer_.data = this;
  config_times_ = io_.config.mtimes();
}

Daemon::~Daemon() {
  ev_timer_stop(loop_, &tick_timer_);
  if (check_pending_) io_.config.cancel_check();
}

bool Daemon::init_identity(uint64_t& generation, std::string& uuid) {
  const config::HaConfig& cfg = settings_.validation.config;
  io::GenerationOutcome gen =
      io::next_generation(io_.store, cfg.hbgenmethod, io_.clock.wall_seconds());
  if (!gen.error.empty()) {
    log(log::Level::Error, "Cannot write generation: " + gen.error);
    return false;
  }
  if (gen.first)
    log(log::Level::Warn, "No Previous generation - starting at " + std::to_string(gen.generation));
  log(log::Level::Info, "Heartbeat generation: " + std::to_string(gen.generation));
  io::UuidOutcome id =
      io::load_uuid(io_.store, cfg.uuidfrom, settings_.validation.local_node, io::urandom_bytes);
  if (id.generated) log(log::Level::Info, "No uuid found for current node - generating a new uuid.");
  if (!id.error.empty()) {
    log(log::Level::Error, "Cannot write uuid: " + id.error);
    return false;
  }
  generation = gen.generation;
  uuid = id.uuid;
  return true;
}

bool Daemon::start() {
  log(log::Level::Info, "heartbeat: version " + settings_.version);
  uint64_t generation = 0;
  std::string uuid;
  if (!init_identity(generation, uuid)) return false;
  node::NodeSettings node;
  node.membership = make_params(settings_.validation.config, settings_.validation.local_node,
                                generation, uuid);
  node.resources = settings_.resources;
  node.ipfail = ipfail_settings(settings_.validation.config, node.membership,
                                node.resources.mode, !node.resources.groups.empty());
  const io::Clock& clock = io_.clock;
  auto ld = std::make_shared<CachedLoadAverage>(load_average,
                                                [&clock] { return clock.monotonic_ms(); });
  core_ = std::make_unique<node::NodeCore>(
      std::move(node), *this, *this, [&clock] { return clock.wall_seconds(); },
      settings_.locate, [ld] { return (*ld)(); });
  open_media();
  core_->start(io_.clock.monotonic_ms());
  arm_timer();
  return true;
}

void Daemon::open_media() {
  MediaPlan plan = plan_media(settings_.validation.config);
  for (const auto& what : plan.unsupported)
    log(log::Level::Warn, "medium " + what + " is not supported by hbd yet: not opened");
  media_ = make_media(
      plan, io_.media,
      [this](std::string_view packet, const std::string& name) { on_packet(packet, name); },
      [this](log::Level level, const std::string& text) { log(level, text); });
  for (auto& medium : media_) medium->start();
  ping_media_ = make_ping_media(
      plan, io_.media,
      [this](std::string_view packet, const std::string& name) { on_packet(packet, name); },
      [this](log::Level level, const std::string& text) { log(level, text); });
  for (const auto& spec : plan.ping)
    if (spec.group) ping_groups_.insert(spec.name);
  for (auto& medium : ping_media_) medium->start();
}

// With every fresh status each ping node gets an echo request carrying a
// signed NS_st in its name (wire-protocol §5.9); the reply comes back
// through on_packet as that node's message.
void Daemon::ping_all(const wire::Message& status) {
  const std::string& ts = status.get_or("ts", "");
  for (auto& medium : ping_media_) {
    bool group = ping_groups_.count(medium->name()) > 0;
    wire::Message m = cluster::ping_status_message(medium->name(), group, ts);
    medium->send(encode_for(medium->format(), m, wire_));
  }
}

// The timer waits for the core's next deadline as the Clock sees it; libev
// only measures the interval.
void Daemon::arm_timer() {
  ev_timer_stop(loop_, &tick_timer_);
  tick_wait_ms_ = -1;
  if (stopping_) return;
  tick_wait_ms_ = std::max<int64_t>(0, core_->next_deadline() - io_.clock.monotonic_ms());
  ev_timer_set(&tick_timer_, static_cast<double>(tick_wait_ms_) / 1000.0 + 0.0005, 0.);
  ev_timer_start(loop_, &tick_timer_);
}

void Daemon::on_tick() {
  if (stopping_) return;
  int64_t now = io_.clock.monotonic_ms();
  core_->tick(now);
  for (const auto& held : intake_.take_summaries(now)) log(held.level, held.summary());
  arm_timer();
}

void Daemon::on_packet(std::string_view packet, const std::string& medium) {
  if (stopping_) return;
  IntakeResult r = intake_.take(packet, medium, wire_.auth, io_.clock.monotonic_ms());
  if (!r.log_text.empty()) log(r.level, r.log_text);
  if (!r.accepted) return;
  core_->receive(r.message, medium, io_.clock.monotonic_ms());
  arm_timer();
}

// A retransmission is the message as first sent (cluster::History), so it
// encodes to the same bytes: fresh and repeated sends take one path.
void Daemon::transmit(const wire::Message& message, cluster::SendKind kind) {
  send_to_all(message, wire_, media_);
  if (kind == cluster::SendKind::Fresh && !ping_media_.empty() &&
      message.get_or("t", "") == "status")
    ping_all(message);
}

void Daemon::log(log::Level level, const std::string& text) {
  if (level == log::Level::Debug && debug_ <= 0) return;
  io_.logger.log(level, text);
}

void Daemon::log_all(const std::vector<LogLine>& lines) {
  for (const auto& line : lines) log(line.level, line.text);
}

void Daemon::run_script(const resources::ScriptCall& call) {
  io::ScriptSpec spec;
  spec.id = call.id;
  spec.argv.push_back(call.path);
  spec.argv.insert(spec.argv.end(), call.args.begin(), call.args.end());
  spec.env = merge_environment(settings_.script_env, call.env);
  spec.cwd = settings_.script_cwd;
  spec.timeout_ms = call.timeout_ms;
  // heartbeat appends scripts' output to the debug file, never to ha-log.
  spec.output_path = settings_.validation.config.debugfile.value_or("");
  spec.capture_stdout = call.capture_stdout;
  io_.scripts.run(spec, [this](const io::ScriptResult& r) { on_script_result(r); });
}

void Daemon::on_script_result(const io::ScriptResult& r) {
  if (stopping_ || !core_) return;
  resources::ScriptOutcome o = script_outcome(r);
  core_->script_done(o, io_.clock.monotonic_ms());
  arm_timer();
}

void Daemon::announce(const std::vector<std::string>& addresses) { io_.arp.announce(addresses); }

void Daemon::comm_up() { io_.host.start_clients(); }

// heartbeat kills itself and reboots; if the reboot does not happen the
// daemon still dies at once, so the peer takes over (without STONITH).
void Daemon::reboot() {
  io_.host.stop_clients();
  io_.host.reboot();
  stop_loop(DaemonExit::Killed);
}

void Daemon::finished(bool restart) {
  io_.host.stop_clients();
  log(log::Level::Info, settings_.validation.local_node + " Heartbeat shutdown complete.");
  if (restart) log(log::Level::Info, "Heartbeat restart triggered.");
  stop_loop(restart ? DaemonExit::RestartFresh : DaemonExit::Stopped);
}

void Daemon::on_fifo_message(wire::Message message) {
  if (stopping_ || !core_) return;
  std::string why;
  if (!core_->submit(std::move(message), io_.clock.monotonic_ms(), why))
    log(log::Level::Warn, "Message from the FIFO dropped: " + why);
  arm_timer();
}

int64_t Daemon::between(int64_t lo, int64_t hi) {
  if (hi <= lo) return lo;
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
}

void Daemon::on_signal(int signum) {
  switch (signum) {
    case SIGTERM:
      if (core_ && !stopping_) {
        core_->request_shutdown(io_.clock.monotonic_ms());
        if (!stopping_) arm_timer();
      }
      break;
    case SIGHUP: reload(); break;
    case SIGUSR1: set_debug(debug_ + 1); break;
    case SIGUSR2: set_debug(debug_ > 0 ? debug_ - 1 : 0); break;
    default: break;
  }
}

void Daemon::set_debug(int level) {
  debug_ = level;
  io_.logger.info("debug now set to " + std::to_string(debug_) + " [pid " +
                  std::to_string(::getpid()) + "]");
}

// Leaves the loop for run.cc to exit or re-exec us.
void Daemon::stop_loop(DaemonExit why) {
  exit_ = why;
  stopping_ = true;
  ev_timer_stop(loop_, &tick_timer_);
  ev_break(loop_, EVBREAK_ALL);
}

std::string Daemon::holdings() const {
  return core_ ? resources::set_name(core_->resources().holdings()) : "none";
}

// SIGHUP. A changed ha.cf is checked in a child (ConfigDir::check_hacf):
// the checks wait on DNS and NSS, and the loop must go on sending
// heartbeats meanwhile. The verdict comes back through on_check_done.
void Daemon::reload() {
  io_.logger.reopen_rotated();  // SIGHUP after a rotation: the new files at once
  if (check_pending_) {
    log(log::Level::Info, "Configuration check in progress: reread when it ends.");
    return;
  }
  ConfigTimes now = io_.config.mtimes();
  if (hacf_changed(config_times_, now)) return start_check(now);
  apply_reload(now, HacfVerdict::invalid());  // not read: ha.cf did not change
}

void Daemon::start_check(const ConfigTimes& now) {
  check_pending_ = true;
  checked_hacf_ = now.hacf;
  io_.config.check_hacf([this](const HacfVerdict& v) { on_check_done(v); });
}

// The files are looked at again now: an authkeys changed meanwhile is
// taken too, and an ha.cf changed meanwhile is not the one checked.
void Daemon::on_check_done(const HacfVerdict& verdict) {
  check_pending_ = false;
  if (stopping_) return;
  ConfigTimes now = io_.config.mtimes();
  if (now.hacf != checked_hacf_) return start_check(now);
  apply_reload(now, verdict);
}

void Daemon::apply_reload(const ConfigTimes& now, const HacfVerdict& verdict) {
  ReloadDecision d = decide_reload(config_times_, now, verdict);
  log_all(d.log);
  config_times_ = d.record;
  if (d.restart) {
    log(log::Level::Info, "Current resources: -R -C " + holdings());
    return stop_loop(DaemonExit::Restart);
  }
  if (!d.reread_authkeys) return;
  AuthkeysReread keys = reread_authkeys(io_.config.read_authkeys(), io_.config.authkeys_path());
  log_all(keys.log);
  if (keys.auth) wire_.auth = *keys.auth;
}

std::vector<std::string> Daemon::media_names() const {
  std::vector<std::string> names;
  for (const auto& medium : media_) names.push_back(medium->name());
  return names;
}

control::Snapshot Daemon::snapshot() const {
  SnapshotBase base{settings_.version, settings_.validation.local_node,
                    static_cast<long>(::getpid()), settings_.validation.config.params};
  control::Snapshot s = make_snapshot(base, media_names(), membership(), io_.clock.monotonic_ms());
  add_counters(s, intake_.counters(), membership());
  if (core_) add_traffic(s, core_->traffic());
  if (core_) add_resources(s, core_->resources(), io_.clock.monotonic_ms());
  return s;
}

std::string Daemon::cleanup(const std::string& target) {
  if (!core_ || stopping_) return "hbd is stopping";
  if (!core_->cleanup(target, io_.clock.monotonic_ms()))
    return "no resource group or resource named '" + target + "' in haresources";
  arm_timer();  // a restarted group has deadlines of its own now
  return "";
}

}  // namespace hbd::daemon
