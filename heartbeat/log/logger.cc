#include "log/logger.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <cstdio>
#include <utility>

namespace hbd::log {

// One append-only log file that notices when logrotate renamed it away.
class LogFile {
 public:
  explicit LogFile(std::string path) : path_(std::move(path)) { open_file(); }
  ~LogFile() { close_file(); }
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;

  const std::string& path() const { return path_; }

  void append(const std::string& line) {
    if (fd_ < 0) open_file();
    if (fd_ < 0) return;  // nowhere to log the failure to log: drop, as heartbeat does
    ssize_t ignored = ::write(fd_, line.data(), line.size());
    (void)ignored;
  }

  // True when the path now names another file (or none): the file was rotated.
  bool rotated() const {
    struct stat st;
    if (::stat(path_.c_str(), &st) != 0) return true;
    return st.st_ino != inode_ || st.st_dev != device_;
  }

  void reopen() {
    close_file();
    open_file();
  }

 private:
  void open_file() {
    mode_t old = ::umask(022);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    ::umask(old);
    struct stat st;
    if (fd_ >= 0 && ::fstat(fd_, &st) == 0) {
      inode_ = st.st_ino;
      device_ = st.st_dev;
    }
  }
  void close_file() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  std::string path_;
  int fd_ = -1;
  ino_t inode_ = 0;
  dev_t device_ = 0;
};

namespace {

// A rename by logrotate is noticed at the first line written a second or
// more after the last look (one stat per file, at most once a second), so
// no postrotate signal is needed; SIGHUP looks at once (reopen_rotated).
constexpr std::time_t kRotationCheckSeconds = 1;

bool names_a_file(const std::string& path) { return !path.empty() && path != "/dev/null"; }

struct FacilityName {
  const char* name;
  int value;
};

const FacilityName kFacilities[] = {
    {"auth", LOG_AUTH},     {"authpriv", LOG_AUTHPRIV}, {"cron", LOG_CRON},
    {"daemon", LOG_DAEMON}, {"ftp", LOG_FTP},           {"kern", LOG_KERN},
    {"lpr", LOG_LPR},       {"mail", LOG_MAIL},         {"mark", LOG_NFACILITIES << 3},
    {"news", LOG_NEWS},     {"security", LOG_AUTH},     {"syslog", LOG_SYSLOG},
    {"user", LOG_USER},     {"uucp", LOG_UUCP},         {"local0", LOG_LOCAL0},
    {"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2},     {"local3", LOG_LOCAL3},
    {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},     {"local6", LOG_LOCAL6},
    {"local7", LOG_LOCAL7},
};

}  // namespace

int facility_from_name(std::string_view name) {
  for (const auto& f : kFacilities)
    if (name == f.name) return f.value;
  return -1;
}

Logger::Logger(Origin origin, WallClock wallclock)
    : origin_(std::move(origin)), wallclock_(std::move(wallclock)) {
  if (!wallclock_) wallclock_ = [] { return std::time(nullptr); };
}

Logger::~Logger() {
  if (syslog_open_) ::closelog();
}

void Logger::configure(const Destinations& dest) {
  dest_ = dest;
  logfile_.reset(names_a_file(dest.logfile) ? new LogFile(dest.logfile) : nullptr);
  debugfile_.reset(names_a_file(dest.debugfile) ? new LogFile(dest.debugfile) : nullptr);
  if (syslog_open_) ::closelog();
  syslog_open_ = dest.facility >= 0;
  // openlog keeps the ident pointer: origin_.entity lives as long as this Logger.
  if (syslog_open_) ::openlog(origin_.entity.c_str(), LOG_NDELAY, dest.facility);
}

std::string Logger::format_line(const std::tm& when, Level level, std::string_view text) const {
  return dest_.syslogmsgfmt ? format_syslog_file(origin_, when, level, text)
                            : format_classic(origin_, when, level, text);
}

void Logger::log(Level level, std::string_view raw) {
  // Lines carry peers' strings (node names, statuses): never raw control bytes.
  std::string text = printable(raw);
  std::time_t now = wallclock_();
  check_rotation(now);
  std::tm when{};
  ::localtime_r(&now, &when);
  std::string line = format_line(when, level, text);
  bool is_debug = level == Level::Debug;
  if (logfile_ && !is_debug) logfile_->append(line);
  if (debugfile_) debugfile_->append(line);
  if (dest_.copy_to_stderr && !is_debug) std::fputs(line.c_str(), stderr);
  if (syslog_open_)
    ::syslog(syslog_priority(level), "%s", format_syslog_message(origin_, level, text).c_str());
}

void Logger::reopen_rotated() { check_rotation(wallclock_(), true); }

void Logger::check_rotation(std::time_t now, bool now_please) {
  if (!now_please && now - last_rotation_check_ < kRotationCheckSeconds) return;
  last_rotation_check_ = now;
  for (LogFile* f : {logfile_.get(), debugfile_.get()}) {
    if (f && f->rotated()) {
      f->reopen();
      log(Level::Info, "log-rotate detected on logfile " + f->path());
    }
  }
}

}  // namespace hbd::log
