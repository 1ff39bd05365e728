#include "daemon/run.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>

#include "config/defaults.h"
#include "config/system_probe.h"
#include "control/metrics_http.h"
#include "control/server.h"
#include "control/socket_util.h"
#include "config/validate.h"
#include "daemon/config_dir.h"
#include "daemon/daemon.h"
#include "daemon/detach.h"
#include "daemon/media.h"
#include "daemon/resource_settings.h"
#include "daemon/script_paths.h"
#include "daemon/settings.h"
#include "daemon/signals.h"
#include "daemon/systemd_link.h"
#include "tools/hbctl_metrics.h"
#include "io/arp_announcer.h"
#include "io/clock.h"
#include "io/fifo_reader.h"
#include "io/script_runner.h"
#include "io/spawn.h"
#include "io/pidfile.h"
#include "io/private_dir.h"
#include "io/realtime.h"

namespace hbd::daemon {

namespace {

// heartbeat -k waits for as long as the daemon takes to give up its
// resources; this bound only keeps a wedged daemon from hanging -k forever.
// It matches systemd's TimeoutStopSec for heartbeat.service (30 min).
constexpr int kStopWaitSeconds = 30 * 60;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

const io::ProcessTable& processes_of(const RunEnv& env) {
  return env.processes ? *env.processes : io::system_processes();
}

std::string uname_n() {
  utsname u{};
  ::uname(&u);
  return u.nodename;
}

log::Level level_of(config::Severity s) {
  switch (s) {
    case config::Severity::Error: return log::Level::Error;
    case config::Severity::Warning: return log::Level::Warn;
    case config::Severity::Info: return log::Level::Info;
  }
  return log::Level::Info;
}

// The start-up checks, logged as heartbeat logs them (stderr copy included).
config::Validation validate_and_log(const config::CliOptions& o, const std::string& version,
                                    log::Logger& logger) {
  config::RealSystemProbe probe;
  config::ValidateOptions vo;
  vo.dir = o.config_dir;
  vo.resources = !o.no_resources;
  config::Validation v = config::validate_config(vo, probe);
  if (v.exit_code == config::kExitStarted)
    logger.configure(log_destinations(v.config, !o.restart));
  for (const auto& d : v.diagnostics) {
    std::string text = d.message;
    if (text == "Configuration validated.") text += " Starting heartbeat " + version;
    logger.log(level_of(d.severity), text);
  }
  return v;
}

void exec_self(const RunEnv& env, const std::vector<std::string>& args, log::Logger& logger) {
  logger.info("Performing heartbeat restart exec.");
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(env.program.c_str()));
  for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  // libev may have blocked signals (signalfd); the mask survives exec.
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::execv(env.program.c_str(), argv.data());
  logger.error(std::string("restart exec failed: ") + std::strerror(errno));
}

// What the resource manager and the scripts need, from the configuration
// and the environment (daemon/resource_settings.h).
void resource_settings(const config::CliOptions& o, const RunEnv& env, DaemonSettings& s,
                       log::Logger& logger) {
  ResourceTuning tuning = read_tuning([](const char* name) { return std::getenv(name); });
  for (const auto& line : tuning.problems) logger.log(line.level, line.text);
  ScriptPlaces places = script_places(o.config_dir, tuning);
  ResourceStart start;
  start.pid = static_cast<long>(::getpid());
  start.restarting = o.restart;
  start.restart_holdings = o.restart_holdings;
  start.rc_hooks = list_rc_hooks(places.rc_dir);
  start.harc_usable = is_executable_file(places.harc);
  s.resources = make_resource_settings(s.validation, places, tuning, start);
  if (o.no_resources) s.resources.groups.clear();
  s.locate = system_locator(places.resource_dir, places.init_dir);
  s.script_env = script_environment(s.validation, o.config_dir, s.debug, io::current_environment());
  s.script_cwd = env.state_dir + "/cores/root";
  s.reboot_command = tuning.reboot_command;
}

// Scripts still running when the loop ends (a quick restart) are stopped.
// The daemon that started them is gone by now: nobody is told they ended.
void stop_scripts(struct ev_loop* loop, io::EvScriptRunner& scripts) {
  scripts.abandon_all();
  for (int i = 0; i < 200 && scripts.busy(); ++i) ev_run(loop, EVRUN_ONCE);
}

// A start that fails before the loop runs: logged (a detached daemon's
// stderr is /dev/null) and reported to the process waiting for it.
int fail_start(const std::string& why, const config::CliOptions& o, const config::Validation& v,
               StartupReport& report) {
  log::Logger early(log::Origin{"heartbeat", uname_n(), static_cast<long>(::getpid())});
  early.configure(log_destinations(v.config, o.foreground && !o.restart));
  early.error(why);
  report.failed(why);
  return 1;
}

// hbd.ini [metrics] listen: GET /metrics answered from the daemon's status.
// A listener that cannot bind is logged; the cluster runs on without it.
std::unique_ptr<control::MetricsHttp> metrics_listener(struct ev_loop* loop,
                                                       const config::Validation& v,
                                                       const Daemon& daemon, log::Logger& logger) {
  if (!v.hbd_ini || !v.hbd_ini->metrics) return nullptr;
  const config::ListenAddress& at = *v.hbd_ini->metrics;
  try {
    auto http = std::make_unique<control::MetricsHttp>(
        loop, at.host, at.port, [&daemon] { return tools::format_metrics(daemon.snapshot()); });
    logger.info("Answering GET /metrics on " + at.host + ":" + std::to_string(at.port));
    return http;
  } catch (const std::exception& e) {
    logger.error(e.what());
    return nullptr;
  }
}

// hbd.ini [notify], when it names a directory.
std::optional<NotifySettings> notify_settings(const config::Validation& v,
                                              const std::vector<std::string>& script_env) {
  if (!v.hbd_ini || v.hbd_ini->notify.directory.empty()) return std::nullopt;
  NotifySettings n;
  n.directory = v.hbd_ini->notify.directory;
  n.timeout_ms = v.hbd_ini->notify.timeout_ms.value_or(n.timeout_ms);
  n.base_env = script_env;
  return n;
}

// hbd.ini [status] group, whose members may read the status; checked to
// exist by the validation a moment ago.
gid_t status_group(const config::Validation& v) {
  if (!v.hbd_ini || v.hbd_ini->status.group.empty()) return control::kNoGroup;
  const group* g = ::getgrnam(v.hbd_ini->status.group.c_str());
  return g ? g->gr_gid : control::kNoGroup;
}

int run_loop(const config::CliOptions& o, const RunEnv& env, config::Validation v,
             io::PidFileLock& pid_lock, StartupReport& report) {
  std::string error;
  if (!pid_lock.write(static_cast<long>(::getpid()), error)) return fail_start(error, o, v, report);
  std::string unsafe = io::check_private_dir(env.state_dir);
  if (!unsafe.empty()) return fail_start(unsafe, o, v, report);
  log::Logger logger(log::Origin{"heartbeat", uname_n(), static_cast<long>(::getpid())});
  logger.configure(log_destinations(v.config, o.foreground && !o.restart));
  struct ev_loop* loop = ev_default_loop(EVFLAG_AUTO);
  io::FileStore store(env.state_dir);
  io::RealClock clock;
  SystemMediaFactory media(loop);
  config::RealSystemProbe probe;
  DaemonSettings settings;
  settings.validation = std::move(v);
  settings.version = env.version;
  settings.debug = o.debug + settings.validation.config.debug;
  resource_settings(o, env, settings, logger);
  auto log_to = [&logger](log::Level level, const std::string& text) { logger.log(level, text); };
  io::EvScriptRunner scripts(loop);
  CheckCommand check{env.program, o.no_resources, kConfigCheckBudgetMs,
                     settings.validation.config.debugfile.value_or("")};
  SystemConfigDir config_dir(o.config_dir, probe, scripts, std::move(check));
  io::EvArpAnnouncer arp(loop, log_to);
  SystemHost host(loop, settings.validation.config.clients, settings.script_env,
                  settings.script_cwd, settings.reboot_command, log_to);
  if (auto notify = notify_settings(settings.validation, settings.script_env))
    host.enable_notify(std::move(*notify));
  long deadtime_s = (settings.validation.config.deadtime_ms.value_or(config::defaults::kDeadtimeMs) + 999) / 1000;
  DaemonExit exit_reason;
  std::string holdings;
  {
    bool realtime = settings.validation.config.realtime && !o.no_realtime;
    int rtprio = settings.validation.config.rtprio.value_or(config::defaults::kRtprio);
    Daemon daemon(loop, {logger, store, clock, media, config_dir, scripts, arp, host},
                  std::move(settings));
    SystemdLink systemd(loop, io::SdNotify::from_environment(::getenv),
                        io::watchdog_period_ms(::getenv, ::getpid()),
                        [&daemon] { return systemd_status(daemon.snapshot()); });
    SignalRelay signals(loop, [&daemon, &systemd](int signum) {
      if (signum == SIGTERM && !daemon.stopping()) systemd.stopping();
      daemon.on_signal(signum);
    });
    if (!daemon.start()) {
      report.failed("heartbeat could not start; see its log");
      return 1;
    }
    if (realtime)
      for (const auto& note : io::make_realtime(rtprio)) logger.log(note.level, note.text);
    io::FifoReader fifo(loop, env.state_dir + "/fifo",
                        [&daemon](wire::Message m) { daemon.on_fifo_message(std::move(m)); },
                        log_to);
    fifo.open();
    std::unique_ptr<control::Server> server;
    try {
      server = std::make_unique<control::Server>(loop, control::kDefaultSocketPath, daemon,
                                                 status_group(settings.validation));
    } catch (const std::exception& e) {
      // cl_status cannot answer, but the cluster keeps running.
      logger.error(e.what());
    }
    std::unique_ptr<control::MetricsHttp> metrics = metrics_listener(loop, settings.validation,
                                                                     daemon, logger);
    report.ready();
    systemd.ready();
    ev_run(loop, 0);
    exit_reason = daemon.exit_reason();
    holdings = daemon.holdings();
  }
  // A resource would not stop and the reboot did not happen: die at once.
  if (exit_reason == DaemonExit::Killed) ::_exit(1);
  stop_scripts(loop, scripts);
  if (exit_reason == DaemonExit::Restart) exec_self(env, restart_args(env.args, holdings), logger);
  if (exit_reason == DaemonExit::RestartFresh) {
    logger.info("Restarting heartbeat.");
    // As heartbeat: long enough for the peer to see us dead first.
    ::sleep(static_cast<unsigned>(deadtime_s + 1));
    exec_self(env, fresh_args(env.args), logger);
  }
  return exit_reason == DaemonExit::Stopped ? 0 : 1;
}

int start(const config::CliOptions& o, const RunEnv& env, std::ostream&) {
  log::Logger logger(log::Origin{"heartbeat", uname_n(), static_cast<long>(::getpid())});
  log::Destinations to_stderr;
  to_stderr.copy_to_stderr = !o.restart;
  logger.configure(to_stderr);
  config::Validation v = validate_and_log(o, env.version, logger);
  io::PidInfo running = io::read_pid_file(env.pid_file, processes_of(env));
  if (o.reload && running.state == io::PidState::Running) {
    std::string pid = std::to_string(running.pid);
    if (v.exit_code != config::kExitStarted) {
      logger.error("Config errors: Heartbeat pid " + pid + " NOT restarted");
      return v.exit_code;
    }
    logger.info("Signalling heartbeat pid " + pid + " to reread config files");
    if (::kill(static_cast<pid_t>(running.pid), SIGHUP) != 0) {
      logger.error("Could not signal pid " + pid + ": " + std::strerror(errno));
      return errno == EPERM ? 4 : 1;
    }
    return 0;
  }
  if (v.exit_code != config::kExitStarted) return v.exit_code;
  if (running.state == io::PidState::Running) {
    logger.info("heartbeat: already running [pid " + std::to_string(running.pid) + "].");
    return 0;
  }
  // Taken before the fork (the daemon inherits it), so that of two starts
  // at once only one goes on.
  io::PidFileLock pid_lock;
  std::string error;
  switch (pid_lock.acquire(env.pid_file, error)) {
    case io::PidFileLock::Outcome::Locked: break;
    case io::PidFileLock::Outcome::Busy:
      logger.info("heartbeat: already running (" + env.pid_file + " is locked).");
      return 0;
    case io::PidFileLock::Outcome::Failed: logger.error(error); return 1;
  }
  Detached d;  // in the foreground: nobody waits for a report
  if (!o.foreground && !o.restart) {
    d = detach();
    if (d.is_parent) {
      if (d.outcome.exit_code != 0) logger.error(d.outcome.error);
      return d.outcome.exit_code;
    }
  }
  StartupReport report(d.report_fd);
  return run_loop(o, env, std::move(v), pid_lock, report);
}

int stop(const RunEnv& env, std::ostream& err) {
  io::PidInfo info = io::read_pid_file(env.pid_file, processes_of(env));
  if (info.state != io::PidState::Running) {
    err << "INFO: Heartbeat already stopped.\n";
    return 0;
  }
  if (::kill(static_cast<pid_t>(info.pid), SIGTERM) != 0) {
    int e = errno;
    err << "ERROR: Could not kill pid " << info.pid << ": " << std::strerror(e) << "\n";
    return e == EPERM ? 4 : 1;
  }
  for (int i = 0; i < kStopWaitSeconds; ++i) {
    ::sleep(1);
    if (::kill(static_cast<pid_t>(info.pid), 0) != 0 && errno == ESRCH) return 0;
  }
  err << "ERROR: Heartbeat pid " << info.pid << " did not stop within " << kStopWaitSeconds
      << " seconds\n";
  return 1;
}

int status(const RunEnv& env, std::ostream& out) {
  io::PidInfo info = io::read_pid_file(env.pid_file, processes_of(env));
  switch (info.state) {
    case io::PidState::NoFile: out << "heartbeat is stopped. No process\n"; return 3;
    case io::PidState::Stale: out << "heartbeat is stopped. No process\n"; return 1;
    case io::PidState::Running: break;
  }
  std::string name = lower(uname_n());
  out << status_line(info.pid, name, name) << "\n";
  return 0;
}

}  // namespace

std::string status_line(long pid, const std::string& uname, const std::string& node) {
  return "heartbeat OK [pid " + std::to_string(pid) + " et al] is running on " + uname + " [" +
         node + "]...";
}

// Our own arguments without -R, -r and -C (with its value).
std::vector<std::string> fresh_args(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-C") {
      ++i;
      continue;
    }
    if (a == "-R" || a == "-r" || a.rfind("-C", 0) == 0) continue;
    out.push_back(a);
  }
  return out;
}

std::vector<std::string> restart_args(const std::vector<std::string>& args,
                                      const std::string& holdings) {
  std::vector<std::string> out = fresh_args(args);
  out.push_back("-R");
  if (!holdings.empty()) {
    out.push_back("-C");
    out.push_back(holdings);
  }
  return out;
}

int run_command(const config::CliOptions& o, const RunEnv& env, std::ostream& out,
                std::ostream& err) {
  switch (o.action) {
    case config::CliAction::Stop: return stop(env, err);
    case config::CliAction::Status: return status(env, out);
    case config::CliAction::Start: return start(o, env, out);
    default: return 1;
  }
}

}  // namespace hbd::daemon
