#include "tools/hbctl_metrics.h"

#include <cstdio>
#include <map>
#include <utility>
#include <vector>

#include "tools/hbctl_check.h"

namespace hbd::tools {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

// The states a group can be in here; each gets a series (1 for the current
// one) so a change shows without waiting for a series to go stale.
const char* const kGroupStates[] = {"stopped", "starting", "running", "stopping", "failed"};

// HELP text escapes only backslash and newline.
std::string help_text(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string family(const std::string& name, const char* type, std::string_view help) {
  return "# HELP " + name + " " + help_text(help) + "\n# TYPE " + name + " " + type + "\n";
}

std::string sample(const std::string& name, const Labels& labels, const std::string& value) {
  std::string out = name;
  if (!labels.empty()) {
    out += "{";
    for (std::size_t i = 0; i < labels.size(); ++i)
      out += (i ? "," : "") + labels[i].first + "=\"" + prometheus_label_value(labels[i].second) + "\"";
    out += "}";
  }
  return out + " " + value + "\n";
}

// Milliseconds as seconds, exact to the millisecond.
std::string seconds(long ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld.%03ld", ms / 1000, ms % 1000);
  return buf;
}

std::string flag(bool on) { return on ? "1" : "0"; }

std::string up_metric(bool up) {
  return family("hbd_up", "gauge", "1 when hbd answered on its control socket") + sample("hbd_up", {}, flag(up));
}

// ASCII only: the locale must not decide what a metric name may hold.
bool name_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string node_metrics(const control::Snapshot& s) {
  std::string up = family("hbd_node_up", "gauge", "1 while the node is up (a ping node: answering)");
  std::string heard = family("hbd_node_heard_seconds_ago", "gauge",
                             "Seconds since the node's last heartbeat (a ping node: last echo reply)");
  std::string links = family("hbd_link_up", "gauge", "1 while the node is heard on the link");
  for (const auto& n : s.nodes) {
    up += sample("hbd_node_up", {{"node", n.name}, {"type", n.type}}, flag(node_up(n)));
    if (n.heard_ms_ago >= 0)
      heard += sample("hbd_node_heard_seconds_ago", {{"node", n.name}, {"type", n.type}},
                      seconds(n.heard_ms_ago));
    for (const auto& l : n.links)
      links += sample("hbd_link_up", {{"node", n.name}, {"link", l.name}}, flag(l.status == "up"));
  }
  return up + heard + links;
}

// Counters named by their keys. Two keys that sanitise alike (none do today)
// are added up: a name may appear in one family only.
std::string counter_metrics(const control::Snapshot& s) {
  std::map<std::string, std::pair<std::string, unsigned long long>> by_name;  // name -> keys, sum
  for (const auto& [key, value] : s.counters) {
    auto& entry = by_name["hbd_" + prometheus_name_part(key) + "_total"];
    entry.first += (entry.first.empty() ? "" : ", ") + key;
    entry.second += value;
  }
  std::string out;
  for (const auto& [name, entry] : by_name)
    out += family(name, "counter", "hbd counter '" + entry.first + "'") +
           sample(name, {}, std::to_string(entry.second));
  return out;
}

std::string group_metrics(const control::Snapshot& s) {
  std::string owned = family("hbd_group_owned", "gauge",
                             "1 for the node that runs the group as far as this node knows (none, unknown)");
  std::string state = family("hbd_group_state", "gauge", "1 for the group's state on this node");
  std::string age = family("hbd_group_state_seconds", "gauge", "Seconds the group has been in its state here");
  std::string took = family("hbd_group_last_transition_seconds", "gauge",
                            "How long the group's last start or stop here took");
  for (const auto& g : s.groups) {
    owned += sample("hbd_group_owned", {{"group", g.key}, {"home", g.home}, {"owner", g.owner}}, "1");
    bool known = false;
    for (const char* st : kGroupStates) {
      known = known || g.state == st;
      state += sample("hbd_group_state", {{"group", g.key}, {"state", st}}, flag(g.state == st));
    }
    if (!known) state += sample("hbd_group_state", {{"group", g.key}, {"state", g.state}}, "1");
    if (g.age_ms >= 0) age += sample("hbd_group_state_seconds", {{"group", g.key}}, seconds(g.age_ms));
    if (g.last_transition_ms >= 0)
      took += sample("hbd_group_last_transition_seconds", {{"group", g.key}}, seconds(g.last_transition_ms));
  }
  return owned + state + age + took;
}

// How long starts and stops took here: a Prometheus histogram per group and
// kind, buckets in seconds, cumulative as the format wants.
std::string transition_metrics(const control::Snapshot& s) {
  if (s.transitions.empty()) return "";
  const std::string name = "hbd_group_transition_seconds";
  std::string out = family(name, "histogram", "How long the group's starts and stops here took");
  for (const auto& t : s.transitions) {
    Labels base = {{"group", t.group}, {"kind", t.kind}};
    for (std::size_t i = 0; i < t.le.size() && i < t.le_ms.size(); ++i) {
      Labels with_le = base;
      with_le.push_back({"le", seconds(t.le_ms[i])});
      out += sample(name + "_bucket", with_le, std::to_string(t.le[i]));
    }
    Labels inf = base;
    inf.push_back({"le", "+Inf"});
    out += sample(name + "_bucket", inf, std::to_string(t.count));
    out += sample(name + "_sum", base, seconds(t.sum_ms));
    out += sample(name + "_count", base, std::to_string(t.count));
  }
  return out;
}

// hbd.ini monitoring: failures per watched resource since the last cleanup
// (a gauge: hbctl cleanup sets it back to 0).
std::string monitor_metrics(const control::Snapshot& s) {
  if (s.monitoring.empty()) return "";
  std::string out = family("hbd_resource_failures", "gauge",
                           "Failed periodic statuses of the resource since the last hbctl cleanup");
  std::string away = family("hbd_group_relocated_away", "gauge",
                            "1 while the group was handed to the peer after failures and is not taken back");
  for (const auto& [key, m] : s.monitoring) {
    for (const auto& r : m.resources)
      out += sample("hbd_resource_failures", {{"group", key}, {"resource", r.resource}},
                    std::to_string(r.count));
    away += sample("hbd_group_relocated_away", {{"group", key}}, flag(m.relocated_away));
  }
  return out + away;
}

}  // namespace

std::string prometheus_label_value(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string prometheus_name_part(std::string_view key) {
  std::string out;
  bool gap = false;
  for (unsigned char c : key) {
    if (name_char(c)) {
      if (gap && !out.empty()) out += '_';
      gap = false;
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else {
      gap = true;
    }
  }
  while (!out.empty() && out.front() == '_') out.erase(out.begin());
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "unnamed" : out;
}

std::string format_metrics(const control::Snapshot& s) {
  return up_metric(true) + family("hbd_info", "gauge", "hbd's version and node name") +
         sample("hbd_info", {{"version", s.version}, {"node", s.local_node}}, "1") +
         family("hbd_comm_up", "gauge", "1 once communication is up (after initdead)") +
         sample("hbd_comm_up", {}, flag(s.comm_up)) + node_metrics(s) + counter_metrics(s) +
         group_metrics(s) + transition_metrics(s) + monitor_metrics(s);
}

std::string format_metrics_down() { return up_metric(false); }

}  // namespace hbd::tools
