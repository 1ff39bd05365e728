#include "config/cli.h"

#include <cstdlib>

#include "config/defaults.h"
#include "config/json_text.h"
#include "config/validate.h"

namespace hbd::config {

namespace {

constexpr const char* kHeartbeatVersion = "3.0.6";

// Applies one option letter; `value` is its argument for -c/-C.
void apply_letter(CliOptions& o, char letter, const std::string& value) {
  switch (letter) {
    case 't': o.action = CliAction::Check; break;
    case 'D': if (o.action != CliAction::Check) o.action = CliAction::Defaults; break;
    case 'V': o.action = CliAction::Version; break;
    case 'W': o.wiki = true; break;
    case 'c': o.config_dir = value; break;
    case 'M': o.no_resources = true; break;
    case 'f': o.foreground = true; break;
    case 'v': o.verbose = true; break;
    case 'l': o.no_realtime = true; break;
    case 'd': ++o.debug; break;
    case 'r': o.reload = true; break;
    case 'R': o.restart = true; break;
    case 'C':
      o.restart_state = true;
      o.restart_holdings = value;
      break;
    case 'n': o.as_node = value; break;
    case 'k': if (o.action == CliAction::Start) o.action = CliAction::Stop; break;
    case 's': if (o.action == CliAction::Start) o.action = CliAction::Status; break;
    default: break;
  }
}

bool takes_value(char letter) { return letter == 'c' || letter == 'C' || letter == 'n'; }

bool known_letter(char letter) {
  static const std::string kLetters = "tDVWcMfvldksrRCn";
  return kLetters.find(letter) != std::string::npos;
}

const char* level_word(Severity s) {
  switch (s) {
    case Severity::Error: return "ERROR";
    case Severity::Warning: return "WARN";
    case Severity::Info: return "info";
  }
  return "info";
}

std::string diagnostics_json(const Validation& v) {
  std::string out = "{\"exit_code\":" + std::to_string(v.exit_code) + ",\"diagnostics\":[";
  for (size_t i = 0; i < v.diagnostics.size(); ++i) {
    const Diagnostic& d = v.diagnostics[i];
    if (i) out += ",";
    out += "{\"file\":" + json_string(d.file) + ",\"line\":" + std::to_string(d.line) +
           ",\"level\":" + json_string(level_word(d.severity)) +
           ",\"message\":" + json_string(d.message) + "}";
  }
  return out + "]}";
}

int run_check(const CliOptions& o, const SystemProbe& host, std::ostream& out,
              std::ostream& err) {
  ValidateOptions vo;
  vo.dir = o.config_dir;
  vo.resources = !o.no_resources;
  vo.check_scripts = true;
  // The daemon's second script directory (daemon/resource_settings.h).
  if (const char* init = std::getenv("HBD_INIT_DIR"); init && *init) vo.init_dir = init;
  RenamedNodeProbe as_node(host, o.as_node);
  const SystemProbe& probe = o.as_node.empty() ? host : as_node;
  Validation v = validate_config(vo, probe);
  if (o.json) {
    out << diagnostics_json(v) << "\n";
  } else {
    for (const auto& d : v.diagnostics) err << format_diagnostic(d) << "\n";
  }
  return v.exit_code;
}

}  // namespace

CliOptions parse_cli(const std::vector<std::string>& args) {
  CliOptions o;
  auto invalid = [&o](std::string why) {
    o.action = CliAction::Usage;
    o.error = std::move(why);
    return o;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--json") {
      o.json = true;
      continue;
    }
    if (a.size() < 2 || a[0] != '-') return invalid("unexpected argument '" + a + "'");
    for (size_t j = 1; j < a.size(); ++j) {
      char letter = a[j];
      if (!known_letter(letter)) return invalid(std::string("invalid option -- '") + letter + "'");
      std::string value;
      if (takes_value(letter)) {
        if (j + 1 < a.size()) value = a.substr(j + 1);
        else if (i + 1 < args.size()) value = args[++i];
        else return invalid(std::string("option requires an argument -- '") + letter + "'");
        j = a.size();
        if (letter == 'c' && value.empty()) return invalid("-c needs a configuration directory");
        if (letter == 'n' && value.empty()) return invalid("-n needs a node name");
      }
      apply_letter(o, letter, value);
    }
  }
  if (o.restart_state && !o.restart)
    return invalid("-C only valid with -R");
  if (o.restart && o.reload) return invalid("-r is mutually exclusive with -R");
  if (!o.as_node.empty() && o.action != CliAction::Check) return invalid("-n only valid with -t");
  if (o.json && o.action != CliAction::Check) return invalid("--json only valid with -t");
  return o;
}

std::string usage_text(const std::string& program) {
  return "Usage: " + program + " [-dDkMrRsvWlVft] [-c config-dir] [-C Current-resource-state]\n"
         "       " + program + " -t [-M] [-c config-dir] [-n node] [--json]\n"
         "\t-t check the configuration in config-dir (default /etc/ha.d) and exit\n"
         "\t-n with -t: check it as node `node` would (its name in place of uname -n)\n"
         "\t--json with -t: the exit code and the diagnostics as one JSON object on stdout\n"
         "\t-C only valid with -R\n"
         "\t-r is mutually exclusive with -R\n";
}

std::string format_diagnostic(const Diagnostic& d) {
  std::string where = d.file.empty() ? "hbd" : d.file;
  if (d.line > 0) where += ":" + std::to_string(d.line);
  return where + ": " + level_word(d.severity) + ": " + d.message;
}

int run_cli(const CliOptions& o, const std::string& version, const SystemProbe& probe,
            std::ostream& out, std::ostream& err) {
  switch (o.action) {
    case CliAction::Usage:
      err << "hbd: " << o.error << "\n" << usage_text("hbd");
      return 2;
    case CliAction::Version:
      out << "hbd " << version << " (heartbeat " << kHeartbeatVersion << " compatible)\n";
      return 0;
    case CliAction::Defaults:
      out << (o.wiki ? format_defaults_wiki(kHeartbeatVersion) : format_defaults_table());
      return 0;
    case CliAction::Check:
      return run_check(o, probe, out, err);
    case CliAction::Start:
    case CliAction::Stop:
    case CliAction::Status:
      err << "hbd: the daemon actions are run by daemon::run_command\n";
      return 1;
  }
  return 1;
}

}  // namespace hbd::config
