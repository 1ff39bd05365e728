#include "tools/hbctl_check.h"

#include <cerrno>
#include <cstdlib>
#include <utility>

namespace hbd::tools {
namespace {

struct Problems {
  std::vector<std::string> critical;
  std::vector<std::string> warning;
};

bool is_ping(const control::NodeState& n) { return n.type == "ping"; }
bool in_transition(const control::GroupState& g) {
  return g.state == "starting" || g.state == "stopping";
}

// A monitoring system reads up to '|' as text and one line only: names and
// error texts from the daemon must not cut the line or fake perfdata.
std::string plugin_text(std::string text) {
  for (char& c : text) {
    if (c == '|') c = '/';
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

void judge_nodes(const control::Snapshot& s, Problems& p) {
  if (!s.comm_up) p.warning.push_back("communication not up yet");
  for (const auto& n : s.nodes) {
    if (n.name == s.local_node) continue;  // our own links never expire
    if (is_ping(n)) {
      if (n.status == "dead") p.warning.push_back("ping node " + n.name + " dead");
    } else if (n.status == "dead") {
      p.critical.push_back("node " + n.name + " dead");
    } else if (node_up(n)) {
      for (const auto& link : n.links)
        if (link.status != "up") p.warning.push_back("link " + link.name + " to " + n.name + " dead");
    }
  }
}

void judge_groups(const control::Snapshot& s, const CheckOptions& o, Problems& p) {
  // Before communication is up (initdead) and while resources change hands,
  // "none" is the normal passing state, not an outage.
  bool settled = s.comm_up && s.rsc_status != "transition";
  for (const auto& g : s.groups) {
    if (g.state == "failed") {
      p.critical.push_back("group " + g.key + " failed here" + (g.error.empty() ? "" : ": " + g.error));
    } else if (in_transition(g) && g.age_ms > o.transition_warn_s * 1000) {
      p.warning.push_back("group " + g.key + " " + g.state + " for " +
                          std::to_string(g.age_ms / 1000) + " s");
    } else if (g.owner == "none" && settled) {
      p.critical.push_back("group " + g.key + " not running anywhere");
    }
  }
}

struct Tally {
  int nodes = 0, nodes_up = 0, pings = 0, pings_up = 0, links_dead = 0;
  int groups_here = 0, groups_elsewhere = 0, groups_unowned = 0, groups_failed = 0,
      groups_in_transition = 0;
};

Tally tally(const control::Snapshot& s) {
  Tally t;
  for (const auto& n : s.nodes) {
    bool ping = is_ping(n);
    (ping ? t.pings : t.nodes) += 1;
    if (node_up(n)) (ping ? t.pings_up : t.nodes_up) += 1;
    if (n.name == s.local_node || ping || !node_up(n)) continue;
    for (const auto& link : n.links) t.links_dead += link.status != "up";
  }
  for (const auto& g : s.groups) {
    if (g.owner == s.local_node) ++t.groups_here;
    else if (g.owner == "none") ++t.groups_unowned;
    else ++t.groups_elsewhere;
    t.groups_failed += g.state == "failed";
    t.groups_in_transition += in_transition(g);
  }
  return t;
}

std::string perfdata(const control::Snapshot& s, const Tally& t) {
  std::string out = "nodes_up=" + std::to_string(t.nodes_up) + ";;;0;" + std::to_string(t.nodes) +
                    " links_dead=" + std::to_string(t.links_dead) +
                    " ping_nodes_up=" + std::to_string(t.pings_up) + ";;;0;" + std::to_string(t.pings) +
                    " groups_here=" + std::to_string(t.groups_here) +
                    " groups_unowned=" + std::to_string(t.groups_unowned) +
                    " groups_failed=" + std::to_string(t.groups_failed) +
                    " groups_in_transition=" + std::to_string(t.groups_in_transition);
  static const std::pair<const char*, const char*> kCounters[] = {
      {"packets accepted", "packets_accepted"}, {"packets rejected", "packets_rejected"}};
  for (const auto& [key, label] : kCounters) {
    auto it = s.counters.find(key);
    if (it != s.counters.end()) out += std::string(" ") + label + "=" + std::to_string(it->second) + "c";
  }
  return out;
}

std::string summary(const Tally& t) {
  std::string out = std::to_string(t.nodes_up) + "/" + std::to_string(t.nodes) + " nodes up";
  if (t.pings) out += ", " + std::to_string(t.pings_up) + "/" + std::to_string(t.pings) + " ping nodes up";
  int groups = t.groups_here + t.groups_elsewhere + t.groups_unowned;
  if (groups)
    out += ", " + std::to_string(groups) + " groups (" + std::to_string(t.groups_here) + " here, " +
           std::to_string(t.groups_elsewhere) + " elsewhere)";
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : "; ") + part;
  return out;
}

const char* code_name(CheckCode code) {
  switch (code) {
    case CheckCode::Ok: return "OK";
    case CheckCode::Warning: return "WARNING";
    case CheckCode::Critical: return "CRITICAL";
    case CheckCode::Unknown: break;
  }
  return "UNKNOWN";
}

CheckVerdict verdict(CheckCode code, const std::string& text, const std::string& perf) {
  std::string line = std::string("HBD ") + code_name(code) + " - " + plugin_text(text);
  if (!perf.empty()) line += " | " + perf;
  return {code, line + "\n"};
}

}  // namespace

CheckVerdict judge_snapshot(const control::Snapshot& s, const CheckOptions& o) {
  Problems p;
  judge_nodes(s, p);
  judge_groups(s, o, p);
  Tally t = tally(s);
  std::vector<std::string> all = p.critical;
  all.insert(all.end(), p.warning.begin(), p.warning.end());
  CheckCode code = !p.critical.empty() ? CheckCode::Critical
                   : !p.warning.empty() ? CheckCode::Warning
                                        : CheckCode::Ok;
  std::string text = all.empty() ? summary(t) : join(all);
  return verdict(code, text, perfdata(s, t));
}

bool node_up(const control::NodeState& n) {
  if (is_ping(n)) return n.status == "ping";
  return n.status == "up" || n.status == "active";
}

CheckVerdict unknown_verdict(const std::string& why) { return verdict(CheckCode::Unknown, why, ""); }

std::optional<CheckOptions> parse_check_args(const std::vector<std::string>& args, std::string& error) {
  CheckOptions o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] != "--transition-warn") {
      error = "unknown option '" + args[i] + "'";
      return std::nullopt;
    }
    if (i + 1 == args.size()) {
      error = "--transition-warn needs a number of seconds";
      return std::nullopt;
    }
    const std::string& value = args[++i];
    char* end = nullptr;
    errno = 0;
    long seconds = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || value[0] < '0' || value[0] > '9' || *end != '\0' || errno == ERANGE || seconds < 0 || seconds > 86400 * 365) {
      error = "--transition-warn: '" + value + "' is not a number of seconds";
      return std::nullopt;
    }
    o.transition_warn_s = seconds;
  }
  return o;
}

}  // namespace hbd::tools
