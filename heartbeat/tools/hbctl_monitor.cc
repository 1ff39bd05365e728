#include "tools/hbctl_monitor.h"

#include "config/json_text.h"

namespace hbd::tools {
namespace {

using config::json_string;

std::string ago(long ms) {
  if (ms < 0) return "-";
  if (ms < 120000) return std::to_string(ms / 1000) + " s ago";
  if (ms < 7200000) return std::to_string(ms / 60000) + " min ago";
  return std::to_string(ms / 3600000) + " h ago";
}

std::string flags(const control::GroupMonitor& m) {
  if (m.failed_both) return "  (failed on both nodes: stopped until hbctl cleanup)";
  if (m.relocated_away) return "  (relocated after failures: not taken back until hbctl cleanup)";
  return "";
}

}  // namespace

std::string monitoring_table(const control::Snapshot& s) {
  if (s.monitoring.empty()) return "";
  std::string out = "\nMONITORED RESOURCE                     FAILURES  LAST FAILURE   REASON\n";
  for (const auto& [key, m] : s.monitoring) {
    out += "group " + key + flags(m) + "\n";
    for (const auto& r : m.resources) {
      std::string name = "  " + r.resource + (r.watched ? "" : " (not watched)");
      if (name.size() < 39) name += std::string(39 - name.size(), ' ');
      std::string count = std::to_string(r.count);
      count += std::string(count.size() < 10 ? 10 - count.size() : 1, ' ');
      std::string when = ago(r.last_failure_ms_ago);
      when += std::string(when.size() < 15 ? 15 - when.size() : 1, ' ');
      out += name + count + when + (r.reason.empty() ? "-" : r.reason) + "\n";
    }
  }
  return out;
}

std::string monitoring_json(const control::Snapshot& s) {
  std::string out = "{";
  bool first_group = true;
  for (const auto& [key, m] : s.monitoring) {
    if (!first_group) out += ",";
    first_group = false;
    out += json_string(key) + ":{\"relocated_away\":" + (m.relocated_away ? "true" : "false") +
           ",\"failed_both\":" + (m.failed_both ? "true" : "false") + ",\"resources\":[";
    for (std::size_t i = 0; i < m.resources.size(); ++i) {
      const control::ResourceFailures& r = m.resources[i];
      if (i) out += ",";
      out += "{\"resource\":" + json_string(r.resource) + ",\"watched\":" +
             (r.watched ? "true" : "false") + ",\"failures\":" + std::to_string(r.count) +
             ",\"last_failure_ms_ago\":" + std::to_string(r.last_failure_ms_ago) +
             ",\"reason\":" + json_string(r.reason) + "}";
    }
    out += "]}";
  }
  return out + "}";
}

CleanupOutcome run_cleanup(const std::vector<std::string>& args, SendCommand send,
                           const std::string& socket_path) {
  if (args.size() > 1) return {"", "Usage: hbctl cleanup [GROUP|RESOURCE]\n", 2};
  std::string target = args.empty() ? "" : args[0];
  if (target.find_first_of("\n\r") != std::string::npos)
    return {"", "hbctl: cleanup: a name cannot hold a line break\n", 2};
  control::CommandResult r = send(socket_path, target.empty() ? "cleanup" : "cleanup " + target, 5000);
  if (r.status == control::FetchStatus::Ok)
    return {(target.empty() ? std::string("all fail counts") : "the fail counts of " + target) +
                " cleaned up\n",
            "", 0};
  return {"", "hbctl: cleanup: " + r.detail + "\n", 1};
}

}  // namespace hbd::tools
