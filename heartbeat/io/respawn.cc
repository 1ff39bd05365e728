#include "io/respawn.h"

#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "io/clock.h"

namespace hbd::io {

struct RespawnSupervisor::Client {
  RespawnSupervisor* owner = nullptr;
  config::ClientChild config;
  RespawnPolicy policy;
  std::optional<Credentials> who;  // resolved at start_all
  bool skipped = false;            // heartbeat's ipfail, or an unknown user
  bool given_up = false;
  pid_t pid = -1;
  int setup_fd = -1;
  ev_child child;
  ev_timer restart;

  explicit Client(config::ClientChild c) : config(std::move(c)), policy(config.command) {}
};

namespace {

void child_cb(struct ev_loop*, ev_child* w, int) {
  auto* client = static_cast<RespawnSupervisor::Client*>(w->data);
  client->owner->on_exit(*client, w->rstatus);
}

void restart_cb(struct ev_loop*, ev_timer* w, int) {
  auto* client = static_cast<RespawnSupervisor::Client*>(w->data);
  client->owner->on_restart_due(*client);
}

ClientEnd end_of(pid_t pid, int status) {
  ClientEnd end;
  end.pid = pid;
  end.signalled = WIFSIGNALED(status);
  end.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
  end.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  end.core_dumped = WIFSIGNALED(status) && WCOREDUMP(status);
  return end;
}

}  // namespace

std::optional<Credentials> resolve_system_user(const std::string& user, std::string& error) {
  std::vector<char> buf(16384);
  passwd pw;
  passwd* found = nullptr;
  int rc = ::getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &found);
  if (!found) {
    error = rc != 0 ? std::strerror(rc) : "no such user";
    return std::nullopt;
  }
  Credentials who{pw.pw_uid, pw.pw_gid, {}};
  int count = 32;
  for (int attempt = 0; attempt < 4; ++attempt) {
    who.groups.resize(static_cast<size_t>(count));
    int n = count;
    if (::getgrouplist(user.c_str(), pw.pw_gid, who.groups.data(), &n) >= 0) {
      who.groups.resize(static_cast<size_t>(n));
      return who;
    }
    count = n > count ? n : count * 2;
  }
  error = "too many groups";
  return std::nullopt;
}

RespawnSupervisor::RespawnSupervisor(struct ev_loop* loop,
                                     std::vector<config::ClientChild> clients,
                                     ResolveUser resolve, OnLog on_log, RespawnOptions options)
    : loop_(loop), resolve_(std::move(resolve)), on_log_(std::move(on_log)),
      options_(std::move(options)) {
  if (!options_.clock) options_.clock = monotonic_ms;
  if (!options_.env_given && options_.env.empty()) options_.env = current_environment();
  for (auto& c : clients) {
    auto client = std::make_unique<Client>(std::move(c));
    client->owner = this;
    ev_child_init(&client->child, child_cb, 0, 0);
    ev_timer_init(&client->restart, restart_cb, 0., 0.);
    client->child.data = client->restart.data = client.get();
    clients_.push_back(std::move(client));
  }
}

RespawnSupervisor::~RespawnSupervisor() {
  for (auto& c : clients_) {
    ev_child_stop(loop_, &c->child);
    ev_timer_stop(loop_, &c->restart);
    if (c->setup_fd >= 0) ::close(c->setup_fd);
  }
}

void RespawnSupervisor::start_all() {
  if (started_ || stopped_) return;
  started_ = true;
  for (auto& c : clients_) {
    if (is_heartbeat_ipfail(c->config.command)) {
      c->skipped = true;
      on_log_(log::Level::Info, ipfail_not_started_line(c->config));
      continue;
    }
    std::string error;
    c->who = resolve_(c->config.user, error);
    if (!c->who) {
      c->skipped = true;
      on_log_(log::Level::Error, "Cannot start client \"" + c->config.command + "\": user " +
                                     c->config.user + ": " + error);
      continue;
    }
    on_log_(log::Level::Info, starting_child_client_line(c->config.command, c->who->uid, c->who->gid));
    c->policy.started(options_.clock());
    start(*c);
  }
}

void RespawnSupervisor::start(Client& c) {
  SpawnRequest request;
  request.argv = {options_.shell, "-c", "exec " + c.config.command};
  request.env = options_.env;
  request.cwd = options_.cwd;
  request.credentials = c.who;
  std::string error;
  Spawned child = spawn(request, error);
  if (child.pid < 0) {
    // No process (fork failed): counts as an immediate death, so the
    // policy's fast-death rule bounds the retries.
    on_log_(log::Level::Error, "Cannot start client \"" + c.config.command + "\": " + error);
    apply(c, c.policy.exited(ClientEnd{-1, false, 1, 0}, options_.clock(), c.who->uid, c.who->gid));
    return;
  }
  c.pid = child.pid;
  c.setup_fd = child.setup_error_fd;
  ev_child_set(&c.child, c.pid, 0);
  ev_child_start(loop_, &c.child);
  on_log_(log::Level::Info, starting_as_line(c.config.command, c.who->uid, c.who->gid, c.pid));
}

void RespawnSupervisor::on_exit(Client& c, int status) {
  ev_child_stop(loop_, &c.child);
  std::string why = setup_error(c.setup_fd);
  c.setup_fd = -1;
  if (!why.empty() && !c.policy.shutting_down()) {
    on_log_(log::Level::Error, "Cannot start client \"" + c.config.command + "\": " + why);
  }
  pid_t pid = c.pid;
  c.pid = -1;
  apply(c, c.policy.exited(end_of(pid, status), options_.clock(), c.who->uid, c.who->gid));
}

void RespawnSupervisor::apply(Client& c, const RespawnPolicy::Decision& d) {
  log_lines(d.log);
  switch (d.action) {
    case RespawnPolicy::Action::RestartNow:
      c.policy.started(options_.clock());
      start(c);
      return;
    case RespawnPolicy::Action::RestartLater:
      // heartbeat forks at once and its child waits; its start time (for
      // the fast-death rule) is this moment, so ours is too.
      c.policy.started(options_.clock());
      ev_timer_set(&c.restart, (d.restart_at_ms - options_.clock()) * options_.seconds_per_ms, 0.);
      ev_timer_start(loop_, &c.restart);
      return;
    case RespawnPolicy::Action::GiveUp:
      c.given_up = true;
      return;
    case RespawnPolicy::Action::NoRestart:
    case RespawnPolicy::Action::Stop:
      return;
  }
}

void RespawnSupervisor::on_restart_due(Client& c) {
  if (!c.policy.shutting_down()) start(c);
}

void RespawnSupervisor::stop_all() {
  if (stopped_) return;
  stopped_ = true;
  for (auto it = clients_.rbegin(); it != clients_.rend(); ++it) {
    Client& c = **it;
    c.policy.shutdown();
    ev_timer_stop(loop_, &c.restart);
    if (c.skipped) continue;
    if (c.pid > 0) {
      on_log_(log::Level::Info, killing_line(c.config.command, c.pid, SIGTERM));
      ::kill(-c.pid, SIGTERM);
    } else if (started_) {
      on_log_(log::Level::Info, not_running_line(c.config.command));
    }
  }
}

bool RespawnSupervisor::any_running() const {
  for (const auto& c : clients_) {
    if (c->pid > 0) return true;
  }
  return false;
}

pid_t RespawnSupervisor::pid_of(size_t index) const {
  return index < clients_.size() ? clients_[index]->pid : -1;
}

bool RespawnSupervisor::given_up(size_t index) const {
  return index < clients_.size() && clients_[index]->given_up;
}

void RespawnSupervisor::log_lines(const std::vector<RespawnLogLine>& lines) {
  for (const auto& l : lines) on_log_(l.level, l.text);
}

}  // namespace hbd::io
