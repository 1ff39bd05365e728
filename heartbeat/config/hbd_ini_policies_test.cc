#include <catch2/catch.hpp>

#include "config/defaults.h"
#include "config/hbd_ini_policies.h"

using namespace hbd::config;
using hbd::resources::OnFail;

namespace {

std::vector<ResourceGroup> groups() {
  return parse_haresources(
             "node1 198.18.1.200/24 Filesystem::/dev/sdb1::/srv/ha::ext4 httpd\n"
             "node2 IPaddr::198.18.1.201 Filesystem::/dev/sdc1::/srv/mq mq\n",
             "/etc/ha.d/haresources")
      .groups;
}

HbdIni ini(const std::string& text) {
  HbdIniResult r = parse_hbd_ini(text, "/etc/ha.d/hbd.ini");
  REQUIRE(r.diagnostics.empty());
  return r.ini;
}

}  // namespace

TEST_CASE("hbd.ini policies: nothing set, nothing monitored or fenced", "[config][hbd_ini]") {
  CHECK(monitor_policies(HbdIni{}, groups()).empty());
  CHECK(monitor_policies(ini("[monitor]\ntimeout = 5\non_fail = ignore\n"), groups()).empty());
  hbd::resources::FencePolicy f = fence_policy(HbdIni{});
  CHECK_FALSE(f.enabled());
  CHECK(f.required);
  CHECK(f.timeout_ms == defaults::kFenceTimeoutMs);
}

TEST_CASE("hbd.ini policies: [monitor] covers every resource, defaults fill in",
          "[config][hbd_ini]") {
  auto m = monitor_policies(ini("[monitor]\ninterval = 10\n"), groups());
  REQUIRE(m.size() == 2);
  REQUIRE(m.at("198.18.1.200/24").size() == 3);
  REQUIRE(m.at("IPaddr::198.18.1.201").size() == 3);
  for (const auto& [key, policies] : m) {
    for (const auto& p : policies) {
      CHECK(p.interval_ms == 10000);
      CHECK(p.timeout_ms == defaults::kMonitorTimeoutMs);
      CHECK(p.on_fail == OnFail::Restart);
      CHECK(p.max_restarts == defaults::kMonitorMaxRestarts);
      CHECK(p.restart_window_ms == defaults::kMonitorRestartWindowMs);
      CHECK(p.backoff_ms == defaults::kMonitorBackoffMs);
      CHECK(p.backoff_max_ms == defaults::kMonitorBackoffMaxMs);
    }
  }
}

TEST_CASE("hbd.ini policies: token > script > group > monitor", "[config][hbd_ini]") {
  auto m = monitor_policies(ini("[resource \"Filesystem::/dev/sdb1::/srv/ha::ext4\"]\n"
                                "interval = 1\n"
                                "[resource \"Filesystem\"]\n"
                                "interval = 2\n"
                                "timeout = 7\n"
                                "[group \"198.18.1.200/24\"]\n"
                                "interval = 3\n"
                                "timeout = 8\n"
                                "max_restarts = 9\n"
                                "[monitor]\n"
                                "interval = 4\n"
                                "timeout = 9\n"
                                "max_restarts = 1\n"
                                "on_fail = relocate\n"),
                            groups());
  const auto& web = m.at("198.18.1.200/24");
  REQUIRE(web.size() == 3);
  CHECK(web[0].interval_ms == 3000);  // the IP: from its group
  CHECK(web[0].timeout_ms == 8000);
  CHECK(web[1].interval_ms == 1000);  // its token
  CHECK(web[1].timeout_ms == 7000);   // its script
  CHECK(web[1].max_restarts == 9);    // its group
  CHECK(web[1].on_fail == OnFail::Relocate);  // [monitor]
  CHECK(web[2].interval_ms == 3000);  // httpd: its group
  const auto& mq = m.at("IPaddr::198.18.1.201");
  CHECK(mq[0].interval_ms == 4000);  // [monitor] only
  CHECK(mq[0].max_restarts == 1);
  CHECK(mq[1].interval_ms == 2000);  // the other Filesystem: by script name
  CHECK(mq[1].timeout_ms == 7000);
}

TEST_CASE("hbd.ini policies: only groups with a monitored resource", "[config][hbd_ini]") {
  auto m = monitor_policies(ini("[resource \"httpd\"]\ninterval = 10\n"), groups());
  REQUIRE(m.size() == 1);
  const auto& web = m.at("198.18.1.200/24");
  REQUIRE(web.size() == 3);
  CHECK_FALSE(web[0].enabled());
  CHECK_FALSE(web[1].enabled());
  CHECK(web[2].interval_ms == 10000);
  auto off = monitor_policies(ini("[monitor]\ninterval = 10\n[group \"IPaddr::198.18.1.201\"]\n"
                                  "interval = 0\n"),
                              groups());
  CHECK(off.size() == 1);
  CHECK(off.count("198.18.1.200/24") == 1);
}

TEST_CASE("hbd.ini policies: [fence]", "[config][hbd_ini]") {
  auto f = fence_policy(ini("[fence]\ncommand = /usr/sbin/fence-test node2\ntimeout = 5\n"));
  CHECK(f.enabled());
  CHECK(f.command == std::vector<std::string>{"/usr/sbin/fence-test", "node2"});
  CHECK(f.required);  // the default once a command is set
  CHECK(f.timeout_ms == 5000);
  CHECK(f.retry_ms == defaults::kFenceRetryMs);
  CHECK(f.retry_max_ms == defaults::kFenceRetryMaxMs);
  auto optional = fence_policy(ini("[fence]\ncommand = /f\nrequired = no\nretry = 1\n"
                                   "retry_max = 10\n"));
  CHECK_FALSE(optional.required);
  CHECK(optional.retry_ms == 1000);
  CHECK(optional.retry_max_ms == 10000);
}
