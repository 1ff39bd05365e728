#include "log/format.h"

#include <syslog.h>

#include <cstdio>

namespace hbd::log {

const char* level_label(Level level) {
  switch (level) {
    case Level::Emerg: return "EMERG";
    case Level::Alert: return "ALERT";
    case Level::Crit: return "CRIT";
    case Level::Error: return "ERROR";
    case Level::Warn: return "WARN";
    case Level::Notice: return "notice";
    case Level::Info: return "info";
    case Level::Debug: return "debug";
  }
  return "info";
}

int syslog_priority(Level level) {
  switch (level) {
    case Level::Emerg: return LOG_EMERG;
    case Level::Alert: return LOG_ALERT;
    case Level::Crit: return LOG_CRIT;
    case Level::Error: return LOG_ERR;
    case Level::Warn: return LOG_WARNING;
    case Level::Notice: return LOG_NOTICE;
    case Level::Info: return LOG_INFO;
    case Level::Debug: return LOG_DEBUG;
  }
  return LOG_INFO;
}

namespace {

std::string prefixed_text(Level level, std::string_view text) {
  std::string out = level_label(level);
  out += ": ";
  out += text;
  return out;
}

}  // namespace

std::string format_classic(const Origin& origin, const std::tm& when, Level level,
                           std::string_view text) {
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "[%ld]: %04d/%02d/%02d_%02d:%02d:%02d ", origin.pid,
                when.tm_year + 1900, when.tm_mon + 1, when.tm_mday, when.tm_hour, when.tm_min,
                when.tm_sec);
  return origin.entity + stamp + prefixed_text(level, text) + '\n';
}

std::string format_syslog_file(const Origin& origin, const std::tm& when, Level level,
                               std::string_view text) {
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const char* month = (when.tm_mon >= 0 && when.tm_mon < 12) ? kMonths[when.tm_mon] : "???";
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "%s %02d %02d:%02d:%02d ", month, when.tm_mday,
                when.tm_hour, when.tm_min, when.tm_sec);
  return stamp + origin.hostname + " " + origin.entity + ": " +
         format_syslog_message(origin, level, text) + '\n';
}

std::string format_syslog_message(const Origin& origin, Level level, std::string_view text) {
  return "[" + std::to_string(origin.pid) + "]: " + prefixed_text(level, text);
}

std::string printable(std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (c >= 0x20 && c != 0x7f && c != '\\') {
      out += static_cast<char>(c);
      continue;
    }
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

}  // namespace hbd::log
