#include "daemon/daemon.h"

#include <signal.h>
#include <unistd.h>

#include "config/authkeys.h"
#include "config/system_probe.h"
#include "daemon/settings.h"
#include "io/clock.h"
#include "wire/codec.h"

namespace hbd::daemon {

namespace {

constexpr size_t kSentBytesKept = 512;  // more than heartbeat's history of 200

void tick_cb(struct ev_loop*, ev_timer* w, int) { static_cast<Daemon*>(w->data)->on_tick(); }
void signal_cb(struct ev_loop*, ev_signal* w, int) {
  static_cast<Daemon*>(w->data)->on_signal(w->signum);
}

struct timespec mtime_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return st.st_mtim;
}

bool same_time(const timespec& a, const timespec& b) {
  return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

std::string load_average() {
  double avg[3];
  if (::getloadavg(avg, 3) != 3) return {};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f %.2f %.2f", avg[0], avg[1], avg[2]);
  return buf;
}

}  // namespace

Daemon::Daemon(struct ev_loop* loop, log::Logger& logger, io::Store& store, DaemonSettings settings)
    : loop_(loop), logger_(logger), store_(store), settings_(std::move(settings)),
      auth_(settings_.validation.auth),
      netstring_only_(settings_.validation.config.msgfmt_netstring),
      rng_(std::random_device{}()), debug_(settings_.debug) {
  ev_timer_init(&tick_timer_, tick_cb, 0., 0.);
  tick_timer_.data = this;
  for (int signum : {SIGTERM, SIGHUP, SIGUSR1, SIGUSR2}) {
    auto w = std::make_unique<ev_signal>();
    ev_signal_init(w.get(), signal_cb, signum);
    w->data = this;
    ev_signal_start(loop_, w.get());
    signals_.push_back(std::move(w));
  }
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGPIPE, SIG_IGN);
  hacf_mtime_ = mtime_of(config_path("ha.cf"));
  authkeys_mtime_ = mtime_of(config_path("authkeys"));
}

Daemon::~Daemon() {
  ev_timer_stop(loop_, &tick_timer_);
  for (auto& w : signals_) ev_signal_stop(loop_, w.get());
}

std::string Daemon::config_path(const char* name) const {
  return settings_.config_dir + "/" + name;
}

bool Daemon::init_identity(uint64_t& generation, std::string& uuid) {
  const config::HaConfig& cfg = settings_.validation.config;
  io::GenerationOutcome gen = io::next_generation(store_, cfg.hbgenmethod, io::wall_seconds());
  if (!gen.error.empty()) {
    log(log::Level::Error, "Cannot write generation: " + gen.error);
    return false;
  }
  if (gen.first)
    log(log::Level::Warn, "No Previous generation - starting at " + std::to_string(gen.generation));
  log(log::Level::Info, "Heartbeat generation: " + std::to_string(gen.generation));
  io::UuidOutcome id =
      io::load_uuid(store_, cfg.uuidfrom, settings_.validation.local_node, io::urandom_bytes);
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
  cluster::Params params = make_params(settings_.validation.config, settings_.validation.local_node,
                                       generation, uuid);
  membership_ = std::make_unique<cluster::Membership>(params, *this, *this, io::wall_seconds,
                                                      load_average);
  open_media();
  membership_->start(io::monotonic_ms());
  arm_timer();
  return true;
}

void Daemon::open_media() {
  MediaPlan plan = plan_media(settings_.validation.config);
  for (const auto& what : plan.unsupported)
    log(log::Level::Warn, "medium " + what + " is not supported by hbd yet: not opened");
  for (const auto& spec : plan.udp) {
    auto medium = std::make_unique<io::UdpMedium>(
        loop_, spec,
        [this](std::string_view packet, const std::string& name) { on_packet(packet, name); },
        [this](log::Level level, const std::string& text) { log(level, text); });
    medium->start();
    media_.push_back(std::move(medium));
  }
  open_serial_media(plan.serial);
}

void Daemon::open_serial_media(const std::vector<serial::PortSpec>& specs) {
  for (const auto& spec : specs) {
    auto medium = std::make_unique<serial::SerialMedium>(
        loop_, spec, tty_opener_,
        [this](std::string_view frame, const std::string& name) { on_packet(frame, name); },
        [this](log::Level level, const std::string& text) { log(level, text); });
    medium->start();
    serial_media_.push_back(std::move(medium));
  }
}

// heartbeat's serial writer re-parses each message and writes it as classic
// text with a freshly computed inner auth field and no NUL, whatever the
// UDP encoding; a retransmission re-encodes to the same bytes.
void Daemon::send_serial(const wire::Message& message) {
  if (serial_media_.empty()) return;
  std::string classic = wire::encode_classic(message, auth_, false);
  for (auto& medium : serial_media_) medium->send(classic);
}

void Daemon::arm_timer() {
  ev_timer_stop(loop_, &tick_timer_);
  if (stopping_) return;
  int64_t wait_ms = membership_->next_deadline() - io::monotonic_ms();
  if (wait_ms < 0) wait_ms = 0;
  ev_timer_set(&tick_timer_, static_cast<double>(wait_ms) / 1000.0 + 0.0005, 0.);
  ev_timer_start(loop_, &tick_timer_);
}

void Daemon::on_tick() {
  if (stopping_) return;
  membership_->tick(io::monotonic_ms());
  arm_timer();
}

void Daemon::on_packet(std::string_view packet, const std::string& medium) {
  if (stopping_) return;
  IntakeResult r = intake_.take(packet, medium, auth_);
  if (!r.log_text.empty()) log(r.level, r.log_text);
  if (!r.accepted) return;
  membership_->receive(r.message, medium, io::monotonic_ms());
  arm_timer();
}

void Daemon::send(const wire::Message& message, cluster::SendKind kind) {
  uint64_t seq = 0;
  const std::string* seq_text = message.get("seq");
  bool sequenced = seq_text && cluster::parse_hex(*seq_text, seq);
  std::string bytes;
  auto stored = sequenced ? sent_.find(seq) : sent_.end();
  if (kind == cluster::SendKind::Retransmission && stored != sent_.end()) {
    bytes = stored->second;
  } else {
    bytes = wire::encode_netstring(message, auth_, !netstring_only_);
    if (sequenced) {
      sent_[seq] = bytes;
      while (sent_.size() > kSentBytesKept) sent_.erase(sent_.begin());
    }
  }
  for (auto& medium : media_) medium->send(bytes);
  send_serial(message);
}

void Daemon::log(log::Level level, const std::string& text) {
  if (level == log::Level::Debug && debug_ <= 0) return;
  logger_.log(level, text);
}

void Daemon::event(const cluster::Event& e) {
  switch (e.type) {
    case cluster::EventType::CommUp:
      // TODO(resources): start resource negotiation here (later issue).
      if (shutdown_pending_) shutdown_now();
      break;
    case cluster::EventType::LocalHeartbeatLost:
      // heartbeat restarts itself here; without resources a clean re-exec is enough.
      log(log::Level::Info, "Heartbeat restart triggered.");
      exit_ = DaemonExit::Restart;
      stopping_ = true;
      ev_break(loop_, EVBREAK_ALL);
      break;
    default:
      break;
  }
}

int64_t Daemon::between(int64_t lo, int64_t hi) {
  if (hi <= lo) return lo;
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
}

void Daemon::on_signal(int signum) {
  switch (signum) {
    case SIGTERM: request_shutdown(); break;
    case SIGHUP: reload(); break;
    case SIGUSR1: set_debug(debug_ + 1); break;
    case SIGUSR2: set_debug(debug_ > 0 ? debug_ - 1 : 0); break;
    default: break;
  }
}

void Daemon::set_debug(int level) {
  debug_ = level;
  logger_.info("debug now set to " + std::to_string(debug_) + " [pid " +
               std::to_string(::getpid()) + "]");
}

void Daemon::request_shutdown() {
  if (stopping_ || shutdown_pending_) return;
  if (!membership_->comm_up()) {
    log(log::Level::Warn, "Shutdown delayed until Communication is up.");
    shutdown_pending_ = true;
    return;
  }
  shutdown_now();
}

void Daemon::shutdown_now() {
  // TODO(resources): give up resources and send the shutdown notice first.
  log(log::Level::Info, "Heartbeat shutdown in progress. (" + std::to_string(::getpid()) + ")");
  stopping_ = true;
  ev_timer_stop(loop_, &tick_timer_);
  log(log::Level::Info, settings_.validation.local_node + " Heartbeat shutdown complete.");
  exit_ = DaemonExit::Stopped;
  ev_break(loop_, EVBREAK_ALL);
}

void Daemon::reload() {
  timespec hacf = mtime_of(config_path("ha.cf"));
  timespec keys = mtime_of(config_path("authkeys"));
  bool hacf_changed = !same_time(hacf, hacf_mtime_);
  if (hacf_changed) {
    // ha.cf changed: re-exec as heartbeat does (a higher generation tells
    // peers we restarted), but only if the new configuration would start.
    config::RealSystemProbe probe;
    config::ValidateOptions vo;
    vo.dir = settings_.config_dir;
    config::Validation v = config::validate_config(vo, probe);
    if (v.exit_code == config::kExitStarted) {
      log(log::Level::Info, "Heartbeat restart triggered.");
      log(log::Level::Info, "Restarting heartbeat.");
      exit_ = DaemonExit::Restart;
      stopping_ = true;
      ev_break(loop_, EVBREAK_ALL);
      return;
    }
    log(log::Level::Error, "Config errors: ha.cf not reloaded");
    hacf_mtime_ = hacf;
    // An authkeys change made at the same time still applies.
  }
  if (!same_time(keys, authkeys_mtime_)) {
    authkeys_mtime_ = keys;
    reread_authkeys();
    return;
  }
  if (!hacf_changed) log(log::Level::Info, "Configuration unchanged.");
}

void Daemon::reread_authkeys() {
  log(log::Level::Info, "Rereading authentication file.");
  config::RealSystemProbe probe;
  std::string path = config_path("authkeys");
  config::FileContent file = probe.read_file(path);
  if (file.error != 0 || !config::authkeys_mode_ok(file.mode)) {
    log(log::Level::Error, "Cannot reread " + path + ": keeping the current keys");
    return;
  }
  config::AuthKeysResult r = config::parse_authkeys(file.text, path);
  if (!r.ok) {
    for (const auto& d : r.diagnostics) log(log::Level::Error, d.message);
    log(log::Level::Error, "Authentication configuration error: keeping the current keys");
    return;
  }
  auth_ = r.auth;
}

control::Snapshot Daemon::snapshot() const {
  control::Snapshot s;
  s.version = settings_.version;
  s.local_node = settings_.validation.local_node;
  s.pid = static_cast<long>(::getpid());
  s.parameters = settings_.validation.config.params;
  if (!membership_) return s;
  s.comm_up = membership_->comm_up();
  for (const auto& node : membership_->nodes().all()) {
    control::NodeState n;
    n.name = node.name;
    n.type = node.type == cluster::NodeType::Ping ? "ping" : "normal";
    n.status = node.name == s.local_node ? membership_->local_status() : node.status;
    for (const auto& m : media_)
      n.links.push_back({m->name(), membership_->links().is_up(node.name, m->name()) ? "up" : "dead"});
    for (const auto& m : serial_media_)
      n.links.push_back({m->name(), membership_->links().is_up(node.name, m->name()) ? "up" : "dead"});
    s.nodes.push_back(std::move(n));
  }
  return s;
}

}  // namespace hbd::daemon
