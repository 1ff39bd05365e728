#include "daemon/snapshot.h"

#include <catch2/catch.hpp>

#include "resources/test_support.h"

using namespace hbd;
using namespace hbd::daemon;

namespace {

struct NullSink : cluster::Sink {
  void send(const wire::Message&, cluster::SendKind) override {}
  void log(log::Level, const std::string&) override {}
  void event(const cluster::Event&) override {}
};
struct LowRandom : cluster::Random {
  int64_t between(int64_t lo, int64_t) override { return lo; }
};

cluster::Params params() {
  cluster::Params p;
  p.local_node = "node1";
  p.nodes = {"node1", "node2"};
  p.ping_nodes = {"198.18.0.254"};
  p.generation = 7;
  return p;
}

wire::Message status2(uint64_t seq) {
  wire::Message m;
  m.add("t", "status");
  m.add("src", "node2");
  m.add("seq", cluster::to_hex(seq));
  m.add("hg", "200");
  m.add("ts", "6b020c99");
  m.add("st", "up");
  m.add("protocol", "1");
  return m;
}

const SnapshotBase kBase{"9.9", "node1", 4242, {{"keepalive", "1000ms"}}};

}  // namespace

TEST_CASE("snapshot: before the core runs only the settings are reported", "[daemon][snapshot]") {
  control::Snapshot s = make_snapshot(kBase, {"eth0"}, nullptr);
  CHECK(s.version == "9.9");
  CHECK(s.local_node == "node1");
  CHECK(s.pid == 4242);
  CHECK(s.parameters.at("keepalive") == "1000ms");
  CHECK(s.nodes.empty());
  CHECK_FALSE(s.comm_up);
  CHECK(s.rsc_status == "none");
}

TEST_CASE("snapshot: nodes in the core's order with a link per medium", "[daemon][snapshot]") {
  NullSink sink;
  LowRandom rng;
  cluster::Membership core(params(), sink, rng, [] { return int64_t{0x6b020c99}; });
  core.start(0);
  core.receive(status2(1), "eth1", 10);
  control::Snapshot s = make_snapshot(kBase, {"eth0", "eth1", "/dev/ttyS0"}, &core);
  REQUIRE(s.nodes.size() == 3);
  CHECK(s.nodes[0].name == "node1");
  CHECK(s.nodes[0].type == "normal");
  CHECK(s.nodes[0].status == "up");  // our own status, as the core keeps it
  CHECK(s.nodes[0].status == core.local_status());
  CHECK(s.nodes[1].name == "node2");
  CHECK(s.nodes[1].status == "up");
  REQUIRE(s.nodes[1].links.size() == 3);
  CHECK(s.nodes[1].links[0].name == "eth0");
  CHECK(s.nodes[1].links[0].status == "dead");
  CHECK(s.nodes[1].links[1].name == "eth1");
  CHECK(s.nodes[1].links[1].status == "up");
  CHECK(s.nodes[1].links[2].name == "/dev/ttyS0");
  CHECK(s.nodes[1].links[2].status == "dead");
  CHECK(s.nodes[2].name == "198.18.0.254");
  CHECK(s.nodes[2].type == "ping");
  CHECK(s.comm_up == core.comm_up());
  CHECK(s.pid == 4242);
}

TEST_CASE("snapshot: exact counts of taken and dropped packets", "[daemon][snapshot]") {
  NullSink sink;
  LowRandom rng;
  cluster::Membership core(params(), sink, rng, [] { return int64_t{0x6b020c99}; });
  core.start(0);
  wire::Message ack;
  ack.add("t", "NS_ackmsg");
  ack.add("src", "node2");
  ack.add("dest", "node1");
  ack.add("ackseq", "ffff");
  core.receive(ack, "eth0", 10);
  IntakeCounters intake;
  intake.accepted = 7;
  intake.rejected = 2;
  intake.by_reason[static_cast<size_t>(wire::Reject::BadDigest)] = 2;
  control::Snapshot s = make_snapshot(kBase, {"eth0"}, &core);
  add_counters(s, intake, &core);
  CHECK(s.counters.at("packets accepted") == 7);
  CHECK(s.counters.at("packets rejected") == 2);
  CHECK(s.counters.at("rejected: bad digest") == 2);
  CHECK(s.counters.at("rejected: unknown auth index") == 0);
  CHECK(s.counters.count("rejected: accepted") == 0);
  CHECK(s.counters.at("dropped: ack beyond our last seq") == 1);
  CHECK(s.counters.at("dropped: replayed after death") == 0);
}

TEST_CASE("snapshot: fail counts of the watched groups only, with their age", "[daemon][snapshot]") {
  using namespace resources::testing;
  resources::Settings settings = settings_for("node1", resources::Mode::On);
  resources::MonitorPolicy p;
  p.interval_ms = 5000;
  p.on_fail = resources::OnFail::Ignore;
  settings.monitors["IPaddr::198.18.1.200/24/eth0"] = {p, p};  // the third is not watched
  Harness h(settings);
  settle(h);
  h.scripts.running["LabRes app1"] = false;
  h.advance(5000);
  control::Snapshot s;
  add_resources(s, h.rm, h.now + 1500);
  REQUIRE(s.monitoring.size() == 1);
  const control::GroupMonitor& g = s.monitoring.at("IPaddr::198.18.1.200/24/eth0");
  REQUIRE(g.resources.size() == 3);
  CHECK(g.resources[0].count == 0);
  CHECK(g.resources[0].last_failure_ms_ago == -1);
  CHECK(g.resources[1].resource == "LabRes::app1");
  CHECK(g.resources[1].count == 1);
  CHECK(g.resources[1].last_failure_ms_ago == 1500);
  CHECK(g.resources[1].reason == "status: output 'LabRes app1 is stopped', exit 0");
  CHECK_FALSE(g.resources[2].watched);
  CHECK_FALSE(g.failed_both);
}
