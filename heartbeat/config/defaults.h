// heartbeat 3.0.6's defaults in one place: the values ha.cf falls back to
// (parser, validation, daemon settings, media, membership Params) and the
// table `heartbeat -D` prints, which is built from the same constants.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace hbd::config {

namespace defaults {

inline constexpr int kUdpPort = 694;           // udpport; /etc/services ha-cluster first
inline constexpr int kBaud = 19200;            // baud
inline constexpr long kKeepaliveMs = 1000;     // keepalive
inline constexpr long kDeadtimeMs = 30000;     // deadtime
inline constexpr int kHopfudge = 1;            // hopfudge
inline constexpr int kMaxRexmitDelayMs = 250;  // max_rexmit_delay
inline constexpr long kConnLogdTimeMs = 60000; // conn_logd_time (-D shows seconds)
inline constexpr int kRtprio = 1;              // rtprio: the lowest realtime priority
inline constexpr long kMemreserveKb = 6500;    // memreserve
inline constexpr const char* kClusterName = "linux-ha";
inline constexpr const char* kHbgenmethod = "file";
inline constexpr const char* kUuidfrom = "file";
inline constexpr const char* kAutojoin = "none";
// Limits of heartbeat's tables: MAXNODE nodes (ha.cf node lines and the node
// lists peers send), names up to HOSTLENG.
inline constexpr size_t kMaxNodes = 100;
inline constexpr size_t kMaxNodeName = 100;

// The times heartbeat derives from deadtime when ha.cf leaves them out.
constexpr long warntime_for(long deadtime_ms) { return deadtime_ms / 2; }
constexpr long initdead_for(long deadtime_ms) {
  if (deadtime_ms > 10000) return deadtime_ms;
  if (deadtime_ms < 6000) return 12000;
  return 2 * deadtime_ms;
}
constexpr long deadping_for(long deadtime_ms) { return deadtime_ms; }

// Resource scripts (hbd only: heartbeat waits for ever; the environment
// overrides them, see daemon/resource_settings.h).
inline constexpr long kStartTimeoutMs = 15 * 60 * 1000;  // HBD_START_TIMEOUT
inline constexpr long kStopTimeoutMs = 10 * 60 * 1000;   // HBD_STOP_TIMEOUT
inline constexpr long kStatusTimeoutMs = 2 * 60 * 1000;  // HBD_STATUS_TIMEOUT
inline constexpr int kStopRetries = 10;                  // HA_STOPRETRYMAX (heartbeat's)
inline constexpr const char* kRebootCommand = "reboot -nf || init 6";
inline constexpr const char* kInitDir = "/etc/init.d";
inline constexpr const char* kCoreDir = "/var/lib/heartbeat/cores/root";  // scripts' cwd

// Where heartbeat's logging daemon (ha_logd) writes without /etc/logd.cf:
// hbd's destinations when ha.cf names none (hbd has no logd client).
inline constexpr const char* kLogdLogfile = "/var/log/ha-log";
inline constexpr const char* kLogdDebugfile = "/var/log/ha-debug";
inline constexpr const char* kLogdFacility = "daemon";

// hbd.ini (hbd only; with no hbd.ini nothing is monitored and nothing fenced,
// as in heartbeat). Monitoring, per resource unless a section overrides it:
inline constexpr const char* kHbdIniFile = "hbd.ini";        // in the config directory
inline constexpr long kMonitorTimeoutMs = 60 * 1000;         // a status slower than this failed
inline constexpr int kMonitorMaxRestarts = 3;                // restarts in place per window
inline constexpr long kMonitorRestartWindowMs = 10 * 60 * 1000;
inline constexpr long kMonitorBackoffMs = 2000;              // first restart's delay, doubled
inline constexpr long kMonitorBackoffMaxMs = 60 * 1000;
// Fencing, once [fence] command is set:
inline constexpr long kFenceTimeoutMs = 60 * 1000;           // one run of the command
inline constexpr long kFenceRetryMs = 5000;                  // first retry's delay, doubled
inline constexpr long kFenceRetryMaxMs = 60 * 1000;
// [notify] hooks: one run's limit.
inline constexpr long kNotifyTimeoutMs = 10 * 1000;

}  // namespace defaults

struct DirectiveDefault {
  std::string name;
  std::string value;
  std::string description;
};

// The directives with fixed defaults, as `heartbeat -D` lists them.
const std::vector<DirectiveDefault>& directive_defaults();

// The -D table: three left-aligned columns, a dashed rule, one row each.
std::string format_defaults_table();

// The -D -W form: a wiki table with a link per directive.
std::string format_defaults_wiki(const std::string& version);

}  // namespace hbd::config
