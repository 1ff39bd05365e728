#include <catch2/catch.hpp>

#include <syslog.h>

#include "config/fake_system_probe.h"
#include "config/validate.h"
#include "daemon/settings.h"

using namespace hbd;
using namespace hbd::daemon;

namespace {

config::HaConfig parse(const std::string& text) {
  config::FakeSystemProbe probe;
  config::HaCfResult r = config::parse_hacf(text, "/etc/ha.d/ha.cf", probe);
  REQUIRE(r.errors == 0);
  config::apply_defaults(r.config);
  return r.config;
}

}  // namespace

TEST_CASE("settings: ha.cf timers, nodes and ping nodes become Params", "[daemon]") {
  config::HaConfig cfg = parse(
      "logfile /var/log/ha-log\nkeepalive 200ms\ndeadtime 3\ninitdead 12\nwarntime 2\n"
      "bcast eth0\nnode NODE1 Node2\nping 198.18.0.254\nping_group grp 198.18.0.1 198.18.0.2\n"
      "max_rexmit_delay 100\n");
  cluster::Params p = make_params(cfg, "Node1", 77, std::string(16, 'u'));
  CHECK(p.local_node == "node1");
  CHECK(p.nodes == std::vector<std::string>{"node1", "node2"});
  CHECK(p.ping_nodes == std::vector<std::string>{"198.18.0.254", "grp"});
  CHECK(p.keepalive_ms == 200);
  CHECK(p.deadtime_ms == 3000);
  CHECK(p.warntime_ms == 2000);
  CHECK(p.initdead_ms == 12000);
  CHECK(p.deadping_ms == 3000);
  CHECK(p.max_rexmit_delay_ms == 100);
  CHECK(p.generation == 77);
  CHECK(p.uuid == std::string(16, 'u'));
  CHECK(p.flow_control);
}

TEST_CASE("settings: defaults give heartbeat's derived times", "[daemon]") {
  config::HaConfig cfg = parse("logfile /l\nbcast eth0\nnode node1 node2\n");
  cluster::Params p = make_params(cfg, "node1", 1, "");
  CHECK(p.keepalive_ms == 1000);
  CHECK(p.deadtime_ms == 30000);
  CHECK(p.warntime_ms == 15000);
  CHECK(p.initdead_ms == 30000);
}

TEST_CASE("settings: media in file order with udpport latched", "[daemon]") {
  config::HaConfig cfg = parse(
      "logfile /l\nudpport 1694\nbcast eth0\nucast eth0 node2\n"
      "mcast eth0 239.18.0.1 1695 2 1\nserial /dev/ttyS0\nnode node1 node2\n");
  MediaPlan plan = plan_media(cfg);
  REQUIRE(plan.udp.size() == 3);
  CHECK(plan.udp[0].kind == io::UdpKind::Bcast);
  CHECK(plan.udp[0].dev == "eth0");
  CHECK(plan.udp[0].port == 1694);
  CHECK(plan.udp[1].kind == io::UdpKind::Ucast);
  CHECK(plan.udp[1].peer == "node2");
  CHECK(plan.udp[1].port == 1694);
  CHECK(plan.udp[2].kind == io::UdpKind::Mcast);
  CHECK(plan.udp[2].group == "239.18.0.1");
  CHECK(plan.udp[2].port == 1695);
  CHECK(plan.udp[2].ttl == 2);
  CHECK(plan.udp[2].loop == 1);
  CHECK(plan.unsupported.empty());
  CHECK(describe(plan.udp[1]) == "ucast eth0 node2");
}

TEST_CASE("settings: serial lines take the baud set before them", "[daemon]") {
  MediaPlan plan = plan_media(parse("logfile /l\nserial /dev/ttyS0\nbcast eth0\nnode node1 node2\n"));
  REQUIRE(plan.serial.size() == 1);
  CHECK(plan.serial[0].path == "/dev/ttyS0");
  CHECK(plan.serial[0].baud == 19200);  // heartbeat's default
  CHECK(plan.udp.size() == 1);
  plan = plan_media(parse("logfile /l\nbaud 115200\nserial /dev/ttyS0\nnode node1 node2\n"));
  REQUIRE(plan.serial.size() == 1);
  CHECK(plan.serial[0].baud == 115200);
}

TEST_CASE("settings: log destinations", "[daemon]") {
  log::Destinations files = log_destinations(
      parse("logfile /var/log/ha-log\ndebugfile /var/log/ha-debug\nsyslogmsgfmt false\n"
            "bcast eth0\nnode node1 node2\n"),
      true);
  CHECK(files.logfile == "/var/log/ha-log");
  CHECK(files.debugfile == "/var/log/ha-debug");
  CHECK(files.facility == -1);
  CHECK_FALSE(files.syslogmsgfmt);
  CHECK(files.copy_to_stderr);
  log::Destinations sys = log_destinations(parse("logfacility local0\nbcast eth0\nnode node1 node2\n"), false);
  CHECK(sys.facility == LOG_LOCAL0);
  CHECK(sys.logfile == "/dev/null");
  CHECK(sys.syslogmsgfmt);
  // Nothing in ha.cf: heartbeat would use ha_logd; hbd writes where logd
  // writes by default instead of nowhere.
  log::Destinations logd = log_destinations(parse("bcast eth0\nnode node1 node2\n"), false);
  CHECK(logd.logfile == "/var/log/ha-log");
  CHECK(logd.debugfile == "/var/log/ha-debug");
  CHECK(logd.facility == LOG_DAEMON);
  log::Destinations none = log_destinations(parse("logfacility none\nbcast eth0\nnode node1 node2\n"), false);
  CHECK(none.logfile == "/var/log/ha-log");
}
