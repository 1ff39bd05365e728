#include "config/defaults.h"

namespace hbd::config {

namespace {

using namespace defaults;

std::string ms(long value) { return std::to_string(value) + "ms"; }

std::string pad(const std::string& s, size_t width) {
  return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

// "enable_config_writes" -> "EnableConfigWrites", heartbeat's wiki page name.
std::string camel_case(const std::string& name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c) : c;
    upper = false;
  }
  return out;
}

}  // namespace

const std::vector<DirectiveDefault>& directive_defaults() {
  static const std::vector<DirectiveDefault> kDefaults = {
      {"cluster", kClusterName, "the name of cluster"},
      {"hopfudge", std::to_string(kHopfudge), "# of hops above cluster size"},
      {"keepalive", ms(kKeepaliveMs), "keepalive time"},
      {"deadtime", ms(kDeadtimeMs), "node deadtime"},
      {"baud", std::to_string(kBaud), "baud rate"},
      {"auto_failback", "legacy", "auto failback"},
      {"hbgenmethod", kHbgenmethod, "protocol generation computation method"},
      {"realtime", "true", "enable realtime behavior?"},
      {"msgfmt", "classic", "message format in the wire"},
      {"conn_logd_time", std::to_string(kConnLogdTimeMs / 1000),
       "the interval to reconnect to logd"},
      {"log_badpack", "true", "warn about bad packets"},
      {"syslogmsgfmt", "true", "log to files in syslog format"},
      {"coredumps", "true", "enable Linux-HA core dumps"},
      {"pacemaker", "false", "enable Pacemaker resource management"},
      {"autojoin", kAutojoin, "set automatic join mode/style"},
      {"uuidfrom", kUuidfrom, "set the source for uuid"},
      {"compression", "zlib", "set compression module"},
      {"compression_threshold", "2", "set compression threshold"},
      {"traditional_compression", "no", "set traditional_compression"},
      {"max_rexmit_delay", std::to_string(kMaxRexmitDelayMs), "set the maximum rexmit delay time"},
      {"record_config_changes", "on",
       "record changes to the cib (valid only with: pacemaker on)"},
      {"record_pengine_inputs", "on",
       "record the input used by the policy engine (valid only with: pacemaker on)"},
      {"enable_config_writes", "on",
       "write configuration changes to disk (valid only with: pacemaker on)"},
      {"memreserve", std::to_string(kMemreserveKb), "number of kbytes to preallocate in heartbeat"},
  };
  return kDefaults;
}

std::string format_defaults_table() {
  std::string out = pad("Directive", 25) + pad("Default", 10) + "Description\n";
  out += std::string(80, '-') + "\n";
  for (const auto& d : directive_defaults())
    out += pad(d.name, 25) + pad(d.value, 10) + d.description + "\n";
  return out;
}

std::string format_defaults_wiki(const std::string& version) {
  std::string out = "##Put this output in the ha.cf/DefaultValues page\n";
  out += "The [wiki:ha.cf ha.cf] directives with default values are shown below - along with a "
         "brief description.\n";
  out += "This was produced by {{{heartbeat -DW}}} ''# (version " + version + ")''\n\n";
  out += "||''Directive''||''Default''||''Description''||\n";
  for (const auto& d : directive_defaults())
    out += "||[wiki:ha.cf/" + camel_case(d.name) + "Directive " + d.name + "]||" + d.value +
           "||" + d.description + "||\n";
  return out;
}

}  // namespace hbd::config
