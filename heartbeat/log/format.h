// heartbeat 3.0.6's log line layouts (config-and-tools §6.2). Pure: the time
// arrives already broken down, so tests need no clock and no time zone.
#pragma once
#include <ctime>
#include <string>
#include <string_view>

namespace hbd::log {

enum class Level { Emerg, Alert, Crit, Error, Warn, Notice, Info, Debug };

// The label heartbeat prints: EMERG ALERT CRIT ERROR WARN notice info debug.
const char* level_label(Level level);
// The syslog(3) priority for a level.
int syslog_priority(Level level);

struct Origin {
  std::string entity = "heartbeat";  // process name in the line
  std::string hostname;              // uname -n as-is (syslog-style file lines)
  long pid = 0;
};

// syslogmsgfmt false (2.1's default):
//   heartbeat[14341]: 2009/12/01_14:52:00 info: Link node2:eth0 up.
std::string format_classic(const Origin& origin, const std::tm& when, Level level,
                           std::string_view text);
// syslogmsgfmt true (3.0's default):
//   Nov 21 21:01:10 nodea heartbeat: [16158]: WARN: node nodeb: is dead
std::string format_syslog_file(const Origin& origin, const std::tm& when, Level level,
                               std::string_view text);
// The text handed to syslog(3), whose daemon adds date, host and ident:
//   [5554]: info: Configuration validated. Starting heartbeat 3.0.6
std::string format_syslog_message(const Origin& origin, Level level, std::string_view text);

// `text` with control characters (below 0x20, and 0x7f) and backslashes as
// \xNN, so that a peer's string cannot forge or break log lines.
std::string printable(std::string_view text);

}  // namespace hbd::log
