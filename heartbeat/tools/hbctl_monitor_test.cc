#include "tools/hbctl_monitor.h"

#include <catch2/catch.hpp>

#include "tools/hbctl.h"
#include "tools/hbctl_metrics.h"

using namespace hbd;
using namespace hbd::tools;

namespace {

control::Snapshot watched_snapshot() {
  control::Snapshot s;
  control::GroupMonitor m;
  m.relocated_away = true;
  m.resources.push_back({"198.18.1.200/24", false, 0, -1, ""});
  m.resources.push_back({"httpd", true, 2, 5000, "status: exit 7"});
  s.monitoring["198.18.1.200/24"] = m;
  return s;
}

std::string last_command;
control::CommandResult accept_command(const std::string&, const std::string& command, int) {
  last_command = command;
  return {control::FetchStatus::Ok, ""};
}
control::CommandResult refuse_command(const std::string&, const std::string& command, int) {
  last_command = command;
  return {control::FetchStatus::BadResponse, "no resource group or resource named 'x' in haresources"};
}

}  // namespace

TEST_CASE("hbctl status: fail counts of watched resources, nothing without hbd.ini",
          "[tools][hbctl]") {
  CHECK(monitoring_table(control::Snapshot()).empty());
  CHECK(monitoring_json(control::Snapshot()) == "{}");
  control::Snapshot s = watched_snapshot();
  std::string table = monitoring_table(s);
  CHECK(table.find("group 198.18.1.200/24  (relocated after failures: not taken back until hbctl "
                   "cleanup)\n") != std::string::npos);
  CHECK(table.find("  httpd                                2         5 s ago        status: exit 7\n") !=
        std::string::npos);
  CHECK(table.find("  198.18.1.200/24 (not watched)        0         -              -\n") !=
        std::string::npos);
  CHECK(monitoring_json(s) ==
        "{\"198.18.1.200/24\":{\"relocated_away\":true,\"failed_both\":false,\"resources\":["
        "{\"resource\":\"198.18.1.200/24\",\"watched\":false,\"failures\":0,"
        "\"last_failure_ms_ago\":-1,\"reason\":\"\"},"
        "{\"resource\":\"httpd\",\"watched\":true,\"failures\":2,\"last_failure_ms_ago\":5000,"
        "\"reason\":\"status: exit 7\"}]}}");
  CHECK(format_status_json(s).find(",\"monitoring\":{\"198.18.1.200/24\":") != std::string::npos);
  std::string metrics = format_metrics(s);
  CHECK(metrics.find("hbd_resource_failures{group=\"198.18.1.200/24\",resource=\"httpd\"} 2\n") !=
        std::string::npos);
  CHECK(metrics.find("hbd_group_relocated_away{group=\"198.18.1.200/24\"} 1\n") != std::string::npos);
  CHECK(format_metrics(control::Snapshot()).find("hbd_resource_failures") == std::string::npos);
}

TEST_CASE("hbctl cleanup: sends the request, says what it did or why not", "[tools][hbctl]") {
  CleanupOutcome all = run_cleanup({}, accept_command, "/run/x.sock");
  CHECK(last_command == "cleanup");
  CHECK(all.exit_code == 0);
  CHECK(all.out == "all fail counts cleaned up\n");
  CleanupOutcome one = run_cleanup({"httpd"}, accept_command, "/run/x.sock");
  CHECK(last_command == "cleanup httpd");
  CHECK(one.out == "the fail counts of httpd cleaned up\n");
  CleanupOutcome refused = run_cleanup({"x"}, refuse_command, "/run/x.sock");
  CHECK(refused.exit_code == 1);
  CHECK(refused.err == "hbctl: cleanup: no resource group or resource named 'x' in haresources\n");
  CHECK(run_cleanup({"a", "b"}, accept_command, "/run/x.sock").exit_code == 2);
  CHECK(run_cleanup({"a\nsnapshot"}, accept_command, "/run/x.sock").exit_code == 2);
  HbctlOutcome via_main = run_hbctl({"cleanup", "httpd"}, nullptr, "/run/x.sock", accept_command);
  CHECK(via_main.exit_code == 0);
  CHECK(last_command == "cleanup httpd");
}

TEST_CASE("hbctl metrics: start and stop durations as Prometheus histograms", "[tools][hbctl]") {
  control::Snapshot s;
  control::TransitionCounts t;
  t.group = "198.18.1.200/24";
  t.kind = "start";
  t.le_ms = {100, 1000};
  t.le = {1, 3};
  t.count = 4;
  t.sum_ms = 7250;
  s.transitions.push_back(t);
  std::string m = format_metrics(s);
  CHECK(m.find("# TYPE hbd_group_transition_seconds histogram\n") != std::string::npos);
  CHECK(m.find("hbd_group_transition_seconds_bucket{group=\"198.18.1.200/24\",kind=\"start\","
               "le=\"0.100\"} 1\n") != std::string::npos);
  CHECK(m.find("le=\"1.000\"} 3\n") != std::string::npos);
  CHECK(m.find("le=\"+Inf\"} 4\n") != std::string::npos);
  CHECK(m.find("hbd_group_transition_seconds_sum{group=\"198.18.1.200/24\",kind=\"start\"} 7.250\n") !=
        std::string::npos);
  CHECK(m.find("hbd_group_transition_seconds_count{group=\"198.18.1.200/24\",kind=\"start\"} 4\n") !=
        std::string::npos);
  CHECK(format_metrics(control::Snapshot()).find("transition_seconds_bucket") == std::string::npos);
}
