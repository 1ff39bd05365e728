#include <catch2/catch.hpp>

#include <map>

#include "daemon/resource_settings.h"

using namespace hbd;
using namespace hbd::daemon;

namespace {

config::Validation validation(const std::string& ini_text = "") {
  config::Validation v;
  v.local_node = "node1";
  v.config.nodes = {"node1", "node2"};
  v.groups = config::parse_haresources("node1 198.18.1.200/24 httpd\n", "/etc/ha.d/haresources")
                 .groups;
  if (!ini_text.empty()) {
    config::HbdIniResult r = config::parse_hbd_ini(ini_text, "/etc/ha.d/hbd.ini");
    REQUIRE(r.diagnostics.empty());
    v.hbd_ini = r.ini;
  }
  return v;
}

ResourceTuning tuning(const std::map<std::string, std::string>& env = {}) {
  return read_tuning([&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

resources::Settings settings(const config::Validation& v, const ResourceTuning& t = tuning()) {
  return make_resource_settings(v, script_places("/etc/ha.d", t), t, ResourceStart{});
}

}  // namespace

TEST_CASE("resource settings: no hbd.ini, heartbeat's settings", "[daemon][hbd_ini]") {
  resources::Settings s = settings(validation());
  CHECK(s.monitors.empty());
  CHECK_FALSE(s.fence.enabled());
  CHECK(s.timeouts.start_ms == config::defaults::kStartTimeoutMs);
  CHECK(s.timeouts.stop_ms == config::defaults::kStopTimeoutMs);
  CHECK(s.timeouts.status_ms == config::defaults::kStatusTimeoutMs);
  auto env = settings(validation(), tuning({{"HBD_STOP_TIMEOUT", "7"}}));
  CHECK(env.timeouts.stop_ms == 7000);
}

TEST_CASE("resource settings: hbd.ini's policies reach the resource manager",
          "[daemon][hbd_ini]") {
  resources::Settings s =
      settings(validation("[resource \"httpd\"]\ninterval = 10\n[fence]\ncommand = /f node\n"));
  REQUIRE(s.monitors.count("198.18.1.200/24") == 1);
  const auto& web = s.monitors.at("198.18.1.200/24");
  REQUIRE(web.size() == 2);
  CHECK_FALSE(web[0].enabled());
  CHECK(web[1].interval_ms == 10000);
  CHECK(s.fence.command == std::vector<std::string>{"/f", "node"});
  CHECK(s.fence.required);
}

TEST_CASE("resource settings: [timeouts] wins over the environment, one by one",
          "[daemon][hbd_ini]") {
  auto env = tuning({{"HBD_START_TIMEOUT", "1"}, {"HBD_STOP_TIMEOUT", "2"},
                     {"HBD_STATUS_TIMEOUT", "3"}});
  resources::Settings s = settings(validation("[timeouts]\nstart = 100\nstatus = 0\n"), env);
  CHECK(s.timeouts.start_ms == 100000);  // hbd.ini
  CHECK(s.timeouts.stop_ms == 2000);     // not in hbd.ini: the environment
  CHECK(s.timeouts.status_ms == 0);      // hbd.ini: no timeout
  resources::Settings defaults = settings(validation("[timeouts]\nstop = 30s\n"));
  CHECK(defaults.timeouts.start_ms == config::defaults::kStartTimeoutMs);
  CHECK(defaults.timeouts.stop_ms == 30000);
}
