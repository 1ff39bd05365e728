// ha.cf option directives: one handler per directive, called once per value.
// Messages in quotes are heartbeat 3.0.6's; where heartbeat fails silently
// we say what is wrong instead.
#include <cstdint>
#include <cstring>

#include "config/defaults.h"
#include "config/hacf_directives.h"
#include "config/timeval.h"

namespace hbd::config::hacf {

namespace {

using defaults::kMaxNodeName;
using defaults::kMaxNodes;

bool bad_time(Context& c, const char* name, const std::string& v) {
  return c.fail("Invalid " + std::string(name) + " value [" + v +
                "]: expected seconds, or a number with unit ms or us");
}

// Sets *out from a time value that must be > 0 (or >= 0 when zero_ok).
bool set_time(Context& c, const char* name, const std::string& v,
              std::optional<long>* out, bool zero_ok) {
  auto ms = parse_time_ms(v);
  if (!ms) return bad_time(c, name, v);
  if (*ms == 0 && !zero_ok)
    return c.fail(std::string(name) + " must be greater than zero [" + v + "]");
  *out = *ms;
  return true;
}

// heartbeat reads these integers with atoi: "5x" is 5, "abc" is 0. Sets
// *out and returns true when that number is within lo..hi; warns when an
// accepted value is not what was written.
bool atoi_in_range(Context& c, const char* name, const std::string& v, long lo, long hi,
                   long* out) {
  LaxInt n = parse_lax_int(v);
  *out = n.value;
  bool ok = n.value >= lo && n.value <= hi;
  if (ok && !n.clean) c.warn(std::string(name) + " [" + v + "] is read as " + std::to_string(n.value));
  return ok;
}

bool bad_bool(Context& c, const char* name, const std::string& v) {
  return c.fail("Invalid " + std::string(name) + " value [" + v +
                "]: expected on/off, yes/no, true/false, y/n or 1/0");
}

bool set_bool(Context& c, const char* name, const std::string& v, bool* out) {
  auto b = parse_bool(v);
  if (!b) return bad_bool(c, name, v);
  *out = *b;
  return true;
}

bool on_node(Context& c, const std::string& v) {
  std::string name = to_lower(v);
  // heartbeat 3.0.6 accepts it; no host can have such a name, though.
  if (name.size() > kMaxNodeName)
    c.warn("Node name [" + v + "] is longer than 100 characters: it cannot match any host");
  for (const auto& n : c.cfg.nodes) {
    if (n == name) {
      c.warn("Node [" + name + "] is declared more than once");
      return true;
    }
  }
  if (c.cfg.nodes.size() >= kMaxNodes) return c.fail("Too many nodes: at most 100 are supported");
  c.cfg.nodes.push_back(name);
  return true;
}

bool on_keepalive(Context& c, const std::string& v) {
  return set_time(c, "keepalive", v, &c.cfg.keepalive_ms, false);
}
bool on_deadtime(Context& c, const std::string& v) {
  return set_time(c, "deadtime", v, &c.cfg.deadtime_ms, true);
}
bool on_initdead(Context& c, const std::string& v) {
  return set_time(c, "initdead", v, &c.cfg.initdead_ms, true);
}
bool on_deadping(Context& c, const std::string& v) {
  return set_time(c, "deadping", v, &c.cfg.deadping_ms, true);
}
bool on_warntime(Context& c, const std::string& v) {
  auto ms = parse_time_ms(v);
  if (!ms || *ms == 0) return c.fail("Warn time [" + v + "] is invalid.");
  c.cfg.warntime_ms = *ms;
  return true;
}
bool on_conn_logd_time(Context& c, const std::string& v) {
  std::optional<long> ms;
  if (!set_time(c, "conn_logd_time", v, &ms, false)) return false;
  c.cfg.conn_logd_time_ms = *ms;
  return true;
}

bool has_udp_medium(const HaConfig& cfg) {
  for (const auto& m : cfg.media)
    if (m.kind == MediumKind::Bcast || m.kind == MediumKind::Ucast) return true;
  return false;
}

bool on_udpport(Context& c, const std::string& v) {
  // heartbeat reads the number with atoi, refuses only <= 0 and keeps 16
  // bits of it (65536 becomes 0: any free port, which no peer listens on).
  LaxInt n = parse_lax_int(v);
  std::optional<long> port = n.value & 0xffff;
  if (n.value <= 0) return c.fail("heartbeat: invalid port [" + v + "] specified.");
  if (!n.clean || *port != n.value) c.warn("udpport [" + v + "] is read as " + std::to_string(*port));
  auto service = c.probe.udp_service_name(static_cast<int>(*port));
  if (service && *service != "ha-cluster")
    c.warn("heartbeat: udp port " + std::to_string(*port) + " reserved for service \"" +
           *service + "\".");
  if (has_udp_medium(c.cfg))
    c.warn("udpport setting must precede media statements: bcast/ucast above keep port " +
           std::to_string(c.cfg.udpport.value_or(defaults::kUdpPort)));
  c.cfg.udpport = static_cast<int>(*port);
  return true;
}

bool on_baud(Context& c, const std::string& v) {
  static const long kRates[] = {9600, 19200, 38400, 57600, 115200, 230400, 460800};
  if (c.cfg.baud) return c.fail("heartbeat: Baudrate multiply specified.");
  auto rate = parse_uint(v, 10000000);
  bool known = false;
  for (long r : kRates) known = known || (rate && *rate == r);
  if (!known) {
    c.cfg.baud = 0;  // heartbeat counts a bad value as given: a second one is "multiply specified"
    return c.fail("heartbeat: invalid baudrate [" + v + "] specified.");
  }
  for (const auto& m : c.cfg.media)
    if (m.kind == MediumKind::Serial)
      c.warn("baudrate setting must precede media statements: serial above keeps " +
             std::to_string(defaults::kBaud));
  c.cfg.baud = static_cast<int>(*rate);
  return true;
}

bool on_hopfudge(Context& c, const std::string& v) {
  long n = 0;
  if (!atoi_in_range(c, "hopfudge", v, 0, 255, &n))
    return c.fail("Invalid hopfudge [" + v + "]: expected an integer 0..255");
  c.cfg.hopfudge = static_cast<int>(n);
  return true;
}

bool on_auto_failback(Context& c, const std::string& v) {
  if (iequals(v, "legacy")) {
    c.cfg.auto_failback = AutoFailback::Legacy;
    return true;
  }
  auto b = parse_bool(v);
  if (!b) return c.fail("Invalid auto_failback value [" + v + "]: expected on, off or legacy");
  c.cfg.auto_failback = *b ? AutoFailback::On : AutoFailback::Off;
  return true;
}

// Heartbeat prints these at ERROR level but starts anyway: hbd reports them
// as warnings so that -t's verdict and its levels agree. What heartbeat
// 3.0.6 makes of it depends not on the value (any boolean) but on whether an
// on/off auto_failback came before (corpus: gen-nice-failback-*).
bool on_nice_failback(Context& c, const std::string& v) {
  c.warn("nice_failback flag is obsolete.. Use auto_failback {on, off, legacy} instead.");
  auto b = parse_bool(v);
  bool on_off_before = c.cfg.auto_failback && *c.cfg.auto_failback != AutoFailback::Legacy;
  if (b && on_off_before) {
    c.warn("'nice_failback " + v + "' has been changed to 'auto_failback off'");
    c.cfg.auto_failback = AutoFailback::Off;
  } else if (b) {
    c.warn("nice_failback " + v + " has been strictly interpreted as 'auto_failback legacy'");
    c.warn("Consider converting to 'auto_failback on'.");
    c.warn("When you do, then you can use ipfail, and hb_standby");
    c.cfg.auto_failback = AutoFailback::Legacy;
  }
  c.warn("See documentation for details.");
  if (!b) return bad_bool(c, "nice_failback", v);
  return true;
}

bool on_logfile(Context& c, const std::string& v) {
  c.cfg.logfile = v;
  return true;
}
bool on_debugfile(Context& c, const std::string& v) {
  c.cfg.debugfile = v;
  return true;
}
bool on_logfacility(Context& c, const std::string& v) {
  if (!is_facility_name(v)) return c.fail("Log facility(" + v + ") not valid");
  c.cfg.logfacility = v;
  return true;
}

bool on_use_logd(Context& c, const std::string& v) {
  auto b = parse_bool(v);
  if (!b) return bad_bool(c, "use_logd", v);
  c.cfg.use_logd = *b;
  if (*b) {
    c.info("Enabling logging daemon ");
    c.info("logfile and debug file are those specified in logd config file (default /etc/logd.cf)");
  } else {
    c.warn("Logging daemon is disabled --enabling logging daemon is recommended");
  }
  return true;
}

bool on_syslogmsgfmt(Context& c, const std::string& v) {
  bool b = false;
  if (!set_bool(c, "syslogmsgfmt", v, &b)) return false;
  c.cfg.syslogmsgfmt = b;
  return true;
}
bool on_realtime(Context& c, const std::string& v) {
  return set_bool(c, "realtime", v, &c.cfg.realtime);
}
bool on_coredumps(Context& c, const std::string& v) {
  return set_bool(c, "coredumps", v, &c.cfg.coredumps);
}
template <const char* Name>
bool on_plain_bool(Context& c, const std::string& v) {
  bool ignored = false;
  return set_bool(c, Name, v, &ignored);
}
constexpr char kLogBadpack[] = "log_badpack";
constexpr char kUseApphbd[] = "use_apphbd";

// The crm-only booleans, with heartbeat's message for a bad value.
bool on_crm_bool(Context& c, const std::string& v) {
  if (!parse_bool(v)) return c.fail("ha_config_check_boolean:Invalid directive value " + v);
  return true;
}
bool on_traditional_compression(Context& c, const std::string& v) {
  if (!parse_bool(v)) return c.fail("set_traditional_compression:Invalid directive value " + v);
  return true;
}

bool on_debug(Context& c, const std::string& v) {
  long n = 0;
  if (!atoi_in_range(c, "debug", v, 0, 255, &n))
    return c.fail("Invalid debug level [" + v + "]: expected an integer 0..255");
  c.cfg.debug = static_cast<int>(n);
  return true;
}

bool on_rtprio(Context& c, const std::string& v) {
  long n = 0;
  if (!atoi_in_range(c, "rtprio", v, 1, 99, &n)) return c.fail("Illegal realtime priority [" + v + "]");
  c.cfg.rtprio = static_cast<int>(n);
  return true;
}

bool on_watchdog(Context& c, const std::string& v) {
  if (c.cfg.watchdog) return c.fail("heartbeat: Watchdog device multiply specified.");
  c.cfg.watchdog = v;
  return true;
}

bool on_hbgenmethod(Context& c, const std::string& v) {
  if (v != "file" && v != "time") return c.fail("Illegal hb generation method [" + v + "]");
  c.cfg.hbgenmethod = v;
  return true;
}
bool on_uuidfrom(Context& c, const std::string& v) {
  if (v != "file" && v != "nodename") return c.fail("Invalid uuidfrom directive [" + v + "]");
  c.cfg.uuidfrom = v;
  return true;
}
bool on_autojoin(Context& c, const std::string& v) {
  std::string mode = to_lower(v);
  if (mode != "none" && mode != "other" && mode != "any")
    return c.fail("Invalid autojoin directive [" + v + "]");
  c.cfg.autojoin = mode;
  return true;
}

bool on_pacemaker(Context& c, const std::string& v) {
  if (c.cfg.pacemaker) return c.fail("pacemaker/crm directive used multiple times!");
  auto b = parse_bool(v);
  static const char* const kModes[] = {"respawn", "minimal", "manual", "valgrind", "ccm-only"};
  bool mode = false;
  for (const char* m : kModes) mode = mode || iequals(v, m);
  if (!b && !mode)
    return c.fail("Invalid pacemaker value [" + v +
                  "]: expected a boolean, respawn, minimal, manual, valgrind or ccm-only");
  c.cfg.pacemaker = v;
  c.cfg.pacemaker_enabled = mode || *b;
  return true;
}

// heartbeat 3.0.6 rejects every crm_daemon_dir value (a bug); it is
// meaningless without pacemaker anyway.
bool on_crm_daemon_dir(Context& c, const std::string& v) {
  return c.fail("crm_daemon_dir [" + v + "] is not accepted (heartbeat 3.0.6 rejects it too)");
}

bool on_any_string(Context&, const std::string&) { return true; }

bool on_compression(Context& c, const std::string& v) {
  if (v != "zlib" && v != "bz2") return c.fail("Compression module(" + v + ") not found");
  return true;
}
bool on_compression_threshold(Context& c, const std::string& v) {
  long n = 0;
  if (!atoi_in_range(c, "compression_threshold", v, 1, INT32_MAX, &n))
    return c.fail("set_compression_threshold: compress_threshhold(" + v + ") invalid");
  return true;
}
bool on_msgfmt(Context& c, const std::string& v) {
  if (v != "classic" && v != "netstring")
    return c.fail("Invalid msgfmt [" + v + "]: expected classic or netstring");
  c.cfg.msgfmt_netstring = v == "netstring";
  return true;
}
bool on_max_rexmit_delay(Context& c, const std::string& v) {
  long n = 0;
  if (!atoi_in_range(c, "max_rexmit_delay", v, 1, INT32_MAX, &n))
    return c.fail("Invalid max_rexmit_delay time(" + v + ")");
  c.cfg.max_rexmit_delay_ms = static_cast<int>(n);
  return true;
}
bool on_memreserve(Context& c, const std::string& v) {
  long n = 0;
  if (!atoi_in_range(c, "memreserve", v, 1, INT32_MAX, &n))
    return c.fail("Invalid memreserve [" + v + "]: expected kilobytes > 0");
  return true;
}
// heartbeat accepts a missing core directory at start; say so anyway.
bool on_coreroot(Context& c, const std::string& v) {
  if (!c.probe.is_directory(v)) c.warn("Invalid core directory [" + v + "]");
  c.cfg.coreroot = v;
  return true;
}
bool on_env(Context& c, const std::string& v) {
  auto eq = v.find('=');
  if (eq == 0) return c.fail("set_env: invalid nvpair(" + v + ")");
  if (eq == std::string::npos) {
    c.warn("env [" + v + "] is not NAME=value; ignored");
    return true;
  }
  c.cfg.env.emplace_back(v.substr(0, eq), v.substr(eq + 1));
  return true;
}

// Heartbeat's option directives, in its own order (the order of -D).
const OptionDirective kOptions[] = {
    {"cluster", on_any_string, "cluster"},
    {"node", on_node, nullptr},
    {"hopfudge", on_hopfudge, "hopfudge"},
    {"keepalive", on_keepalive, "keepalive"},
    {"deadtime", on_deadtime, "deadtime"},
    {"deadping", on_deadping, "deadping"},
    {"initdead", on_initdead, "initdead"},
    {"warntime", on_warntime, "warntime"},
    {"watchdog", on_watchdog, "watchdog"},
    {"baud", on_baud, "baud"},
    {"udpport", on_udpport, "udpport"},
    {"logfacility", on_logfacility, "logfacility"},
    {"logfile", on_logfile, "logfile"},
    {"debugfile", on_debugfile, "debugfile"},
    {"nice_failback", on_nice_failback, nullptr},
    {"auto_failback", on_auto_failback, "auto_failback"},
    {"rtprio", on_rtprio, "rtprio"},
    {"hbgenmethod", on_hbgenmethod, "hbgenmethod"},
    {"realtime", on_realtime, "realtime"},
    {"debug", on_debug, "debug"},
    {"msgfmt", on_msgfmt, "msgfmt"},
    {"use_logd", on_use_logd, "use_logd"},
    {"conn_logd_time", on_conn_logd_time, "conn_logd_time"},
    {"use_apphbd", on_plain_bool<kUseApphbd>, "use_apphbd"},
    {"log_badpack", on_plain_bool<kLogBadpack>, "log_badpack"},
    {"syslogmsgfmt", on_syslogmsgfmt, "syslogmsgfmt"},
    {"coredumps", on_coredumps, "coredumps"},
    {"coreroot", on_coreroot, "coreroot"},
    {"crm_daemon_dir", on_crm_daemon_dir, nullptr},
    {"crmd_spawns_pengine", on_crm_bool, "crmd_spawns_pengine"},
    {"crm", on_pacemaker, "pacemaker"},
    {"pacemaker", on_pacemaker, "pacemaker"},
    {"autojoin", on_autojoin, "autojoin"},
    {"uuidfrom", on_uuidfrom, "uuidfrom"},
    {"compression", on_compression, "compression"},
    {"compression_threshold", on_compression_threshold, "compression_threshold"},
    {"traditional_compression", on_traditional_compression, "traditional_compression"},
    {"env", on_env, "env"},
    {"max_rexmit_delay", on_max_rexmit_delay, "max_rexmit_delay"},
    {"record_config_changes", on_crm_bool, "record_config_changes"},
    {"record_pengine_inputs", on_crm_bool, "record_pengine_inputs"},
    {"enable_config_writes", on_crm_bool, "enable_config_writes"},
    {"memreserve", on_memreserve, "memreserve"},
    {"quorum_server", on_any_string, "quorum_server"},
};

}  // namespace

const OptionDirective* find_option(const std::string& name) {
  for (const auto& d : kOptions)
    if (name == d.name) return &d;
  return nullptr;
}

}  // namespace hbd::config::hacf
