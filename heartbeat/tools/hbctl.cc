#include "tools/hbctl.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>

#include "tools/hbctl_check.h"
#include "tools/hbctl_metrics.h"
#include "tools/decode_command.h"
#include "tools/hbctl_monitor.h"

namespace hbd::tools {
namespace {

constexpr int kTimeoutMs = 5000;

const char* const kUsage =
    "Usage: hbctl status [--json]\n"
    "\tShow the nodes, their heartbeat links and the resource groups.\n"
    "\t--json\tthe same as one JSON object\n"
    "       hbctl check [--transition-warn SECONDS]\n"
    "\tOne Nagios/Icinga plugin line: exit 0 OK, 1 WARNING (a link or ping node\n"
    "\tdead, a group starting/stopping longer than SECONDS, default 60),\n"
    "\t2 CRITICAL (a peer dead, a group running nowhere or failed here),\n"
    "\t3 UNKNOWN (hbd not answering).\n"
    "       hbctl metrics\n"
    "\tThe status in Prometheus text format (hbd_up 0 and exit 1 when hbd\n"
    "\tdoes not answer).\n"
    "       hbctl cleanup [GROUP|RESOURCE]\n"
    "\tForget hbd.ini monitoring's fail counts (all without a name), so a group\n"
    "\trelocated after failures may come back; root only.\n"
    "       hbctl decode [--authkeys FILE] [--port N] [--serial] FILE|-\n"
    "\tPrint each heartbeat message of a tcpdump capture (pcap; --serial: a serial\n"
    "\tline's bytes or socat -x -v log) field by field, whether its auth verifies\n"
    "\tagainst FILE, and what a heartbeat 3.0.6 peer would reject.\n";

std::string pad(const std::string& text, std::size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

std::string resource_meaning(const std::string& rsc) {
  if (rsc == "none") return "none (or auto_failback legacy)";
  if (rsc == "transition") return "transition (changing hands)";
  return rsc;
}

std::string json_member(const char* name, const std::string& value) {
  return json_string(name) + ":" + json_string(value);
}

std::string json_links(const control::NodeState& node) {
  std::string out = "[";
  for (std::size_t i = 0; i < node.links.size(); ++i) {
    if (i) out += ",";
    out += "{" + json_member("name", node.links[i].name) + "," +
           json_member("status", node.links[i].status) + "}";
  }
  return out + "]";
}

std::string json_nodes(const control::Snapshot& s) {
  std::string out = "[";
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    const control::NodeState& node = s.nodes[i];
    if (i) out += ",";
    out += "{" + json_member("name", node.name) + "," + json_member("type", node.type) + "," +
           json_member("status", node.status) + ",\"weight\":" + std::to_string(node.weight) +
           ",\"heard_ms_ago\":" + std::to_string(node.heard_ms_ago) +
           "," + json_member("site", node.site) + ",\"links\":" + json_links(node) + "}";
  }
  return out + "]";
}

std::string duration_text(long ms) {
  if (ms < 0) return "-";
  if (ms < 10000) return std::to_string(ms) + " ms";
  long s = ms / 1000;
  if (s < 120) return std::to_string(s) + " s";
  if (s < 7200) return std::to_string(s / 60) + " min";
  return std::to_string(s / 3600) + " h";
}

std::string json_groups(const control::Snapshot& s) {
  std::string out = "[";
  for (std::size_t i = 0; i < s.groups.size(); ++i) {
    const control::GroupState& g = s.groups[i];
    if (i) out += ",";
    out += "{" + json_member("key", g.key) + "," + json_member("home", g.home) + "," +
           json_member("owner", g.owner) + "," + json_member("state", g.state) +
           ",\"state_age_ms\":" + std::to_string(g.age_ms) +
           ",\"last_transition_ms\":" + std::to_string(g.last_transition_ms) + "," +
           json_member("error", g.error) + "}";
  }
  return out + "]";
}

std::string groups_table(const control::Snapshot& s) {
  if (s.groups.empty()) return "";
  std::size_t width = 5;
  for (const auto& g : s.groups) width = std::max(width, g.key.size());
  std::string out = "\n" + pad("GROUP", width + 2) + pad("HOME", 10) + pad("OWNER", 10) +
                    "STATE HERE            LAST TRANSITION\n";
  for (const auto& g : s.groups) {
    std::string here = g.age_ms < 0 ? g.state : g.state + " (" + duration_text(g.age_ms) + ")";
    std::string line = pad(g.key, width + 2) + pad(g.home, 10) + pad(g.owner, 10) + pad(here, 22) +
                       duration_text(g.last_transition_ms);
    if (!g.error.empty()) line += "  " + g.error;
    out += line + "\n";
  }
  return out;
}

// A map as one JSON object; `value` renders each value.
template <typename Map, typename Render>
std::string json_object(const Map& map, Render value) {
  std::string out = "{";
  bool first = true;
  for (const auto& [name, v] : map) {
    if (!first) out += ",";
    first = false;
    out += json_string(name) + ":" + value(v);
  }
  return out + "}";
}

std::string json_parameters(const control::Snapshot& s) {
  return json_object(s.parameters, [](const std::string& v) { return json_string(v); });
}

std::string json_counters(const control::Snapshot& s) {
  return json_object(s.counters, [](unsigned long long v) { return std::to_string(v); });
}

std::string unreachable_reason(const control::FetchResult& r, const std::string& path) {
  using control::FetchStatus;
  switch (r.status) {
    case FetchStatus::NotRunning:
      return "hbd is not running (no answer on " + path + ": " + r.detail + ")";
    case FetchStatus::Refused:
      return "hbd refuses the connection on " + path + " (run hbctl as root)";
    case FetchStatus::TimedOut:
      return "hbd did not answer within 5 seconds";
    default:
      return "unreadable answer from hbd: " + r.detail;
  }
}

HbctlOutcome usage(bool asked) {
  HbctlOutcome o;
  (asked ? o.out : o.err) = kUsage;
  o.exit_code = asked ? 0 : 2;
  return o;
}

HbctlOutcome unreachable(const control::FetchResult& r, const std::string& path) {
  return {"", "hbctl: " + unreachable_reason(r, path) + "\n", 1};
}

using Fetch = std::function<control::FetchResult()>;

HbctlOutcome run_status(const std::vector<std::string>& args, const Fetch& fetch, const std::string& path) {
  bool json = args.size() == 1 && args[0] == "--json";
  if (!args.empty() && !json) return usage(false);
  control::FetchResult r = fetch();
  if (r.status != control::FetchStatus::Ok) return unreachable(r, path);
  return {json ? format_status_json(r.snapshot) : format_status_table(r.snapshot), "", 0};
}

// Plugin rules: the verdict on stdout, even for bad options (UNKNOWN).
HbctlOutcome run_check(const std::vector<std::string>& args, const Fetch& fetch, const std::string& path) {
  std::string error;
  std::optional<CheckOptions> options = parse_check_args(args, error);
  CheckVerdict v;
  if (!options) {
    v = unknown_verdict("hbctl check: " + error);
  } else {
    control::FetchResult r = fetch();
    v = r.status == control::FetchStatus::Ok ? judge_snapshot(r.snapshot, *options)
                                             : unknown_verdict(unreachable_reason(r, path));
  }
  return {v.line, options ? "" : kUsage, static_cast<int>(v.code)};
}

HbctlOutcome run_metrics(const std::vector<std::string>& args, const Fetch& fetch, const std::string& path) {
  if (!args.empty()) return usage(false);
  control::FetchResult r = fetch();
  if (r.status != control::FetchStatus::Ok) {
    HbctlOutcome o = unreachable(r, path);
    o.out = format_metrics_down();
    return o;
  }
  return {format_metrics(r.snapshot), "", 0};
}

}  // namespace

std::string format_status_table(const control::Snapshot& s) {
  std::string out = "Local node:  " + s.local_node + " (hbd " + s.version + ", pid " +
                    std::to_string(s.pid) + ")\n";
  out += "Comm:        " + std::string(s.comm_up ? "up" : "not up yet") + "\n";
  out += "Resources:   " + resource_meaning(s.rsc_status) + "\n\n";
  std::size_t width = 4;
  for (const auto& node : s.nodes) width = std::max(width, node.name.size());
  out += pad("NODE", width + 2) + pad("TYPE", 8) + pad("STATUS", 8) + pad("HEARD", 12) + "LINKS\n";
  for (const auto& node : s.nodes) {
    std::string links;
    for (const auto& link : node.links) links += (links.empty() ? "" : ", ") + link.name + " " + link.status;
    // For a ping node: its last echo reply.
    std::string heard = node.heard_ms_ago < 0 ? "-" : duration_text(node.heard_ms_ago) + " ago";
    out += pad(node.name, width + 2) + pad(node.type, 8) + pad(node.status, 8) + pad(heard, 12) +
           (links.empty() ? "-" : links) + "\n";
  }
  return out + groups_table(s) + monitoring_table(s);
}

std::string format_status_json(const control::Snapshot& s) {
  return "{" + json_member("version", s.version) + "," + json_member("local_node", s.local_node) +
         ",\"pid\":" + std::to_string(s.pid) + ",\"comm_up\":" + (s.comm_up ? "true" : "false") +
         "," + json_member("resources", s.rsc_status) + ",\"nodes\":" + json_nodes(s) +
         ",\"groups\":" + json_groups(s) + "," + json_member("resource_manager", s.rsc_detail) +
         ",\"monitoring\":" + monitoring_json(s) + ",\"parameters\":" + json_parameters(s) +
         ",\"counters\":" + json_counters(s) + "}\n";
}

HbctlOutcome run_hbctl(const std::vector<std::string>& args,
                       control::FetchResult (*fetch)(const std::string&, int),
                       const std::string& socket_path, SendCommand command) {
  if (args.size() == 1 && (args[0] == "-h" || args[0] == "--help")) return usage(true);
  if (args.empty()) return usage(false);
  std::vector<std::string> rest(args.begin() + 1, args.end());
  Fetch ask = [&] { return fetch(socket_path, kTimeoutMs); };
  if (args[0] == "status") return run_status(rest, ask, socket_path);
  if (args[0] == "check") return run_check(rest, ask, socket_path);
  if (args[0] == "metrics") return run_metrics(rest, ask, socket_path);
  if (args[0] == "decode") return run_decode(rest);
  if (args[0] == "cleanup") {
    CleanupOutcome c = run_cleanup(rest, command, socket_path);
    return {c.out, c.err, c.exit_code};
  }
  return usage(false);
}

}  // namespace hbd::tools
