// The log writer: ha-log / ha-debug files in heartbeat's layouts and syslog
// (config-and-tools §6.1). Files stay open; a rename by logrotate is noticed
// at most once a minute, as heartbeat 3.0 does.
#pragma once
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "log/format.h"

namespace hbd::log {

struct Destinations {
  std::string logfile;        // messages above debug; empty or /dev/null = none
  std::string debugfile;      // every message, debug included
  int facility = -1;          // syslog facility (LOG_DAEMON, ...) or -1 for none
  bool syslogmsgfmt = true;   // file layout: true = 3.0's syslog-style, false = 2.1's classic
  bool copy_to_stderr = false;  // before daemonising heartbeat also prints to stderr
};

// `daemon`, `local0`, ... as in ha.cf's logfacility; -1 for `none` or an unknown name.
int facility_from_name(std::string_view name);

class LogFile;

class Logger {
 public:
  using WallClock = std::function<std::time_t()>;
  explicit Logger(Origin origin, WallClock wallclock = nullptr);
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  void configure(const Destinations& dest);
  void log(Level level, std::string_view text);

  void error(std::string_view t) { log(Level::Error, t); }
  void warn(std::string_view t) { log(Level::Warn, t); }
  void info(std::string_view t) { log(Level::Info, t); }
  void debug(std::string_view t) { log(Level::Debug, t); }

  const Destinations& destinations() const { return dest_; }
  // Reopens a log file that logrotate renamed away, now (SIGHUP) rather
  // than at the next line a second later.
  void reopen_rotated();

 private:
  std::string format_line(const std::tm& when, Level level, std::string_view text) const;
  void check_rotation(std::time_t now, bool now_please = false);

  Origin origin_;
  WallClock wallclock_;
  Destinations dest_;
  std::unique_ptr<LogFile> logfile_;
  std::unique_ptr<LogFile> debugfile_;
  bool syslog_open_ = false;
  std::time_t last_rotation_check_ = 0;
};

}  // namespace hbd::log
