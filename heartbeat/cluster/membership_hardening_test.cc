// Authenticated but hostile or broken input (issue 13): replays, floods,
// absurd values and a second node with our name must neither crash, grow
// memory, flap a node nor flood the log.
#include "cluster/membership.h"
#include "cluster/membership_test_support.h"

#include <catch2/catch.hpp>

using namespace hbd::cluster;
using namespace hbd::cluster::testing;

namespace {

int logged_containing(const RecordingSink& sink, const std::string& part) {
  return static_cast<int>(std::count_if(sink.logs.begin(), sink.logs.end(), [&](const auto& l) {
    return l.find(part) != std::string::npos;
  }));
}

Message status_with_dt(uint64_t seq, const std::string& dt) {
  Message m = status2(seq, "active");
  m.set("dt", dt);
  return m;
}

// A packet with our name, as another machine (a clone) would send it.
Message from_our_name(uint64_t seq, uint64_t hg, const std::string& ts = "6b020c99") {
  Message m;
  m.add("t", "status");
  m.add("src", "node1");
  m.add("seq", to_hex(seq));
  m.add("hg", to_hex(hg));
  m.add("ts", ts);
  m.add("st", "active");
  return m;
}

}  // namespace

TEST_CASE("hardening: a replayed status does not bring a dead node back", "[cluster]") {
  Fixture f;
  f.bring_up();
  f.kill_node2();
  f.sink.clear();
  f.core.receive(status2(5, "active"), "eth0", 4600);
  f.core.receive(status2(3, "active"), "eth0", 4700);
  CHECK(f.core.nodes().find("node2")->status == "dead");
  CHECK_FALSE(f.sink.logged("Cluster node node2 returning after partition."));
  CHECK(f.sink.count(EventType::PartitionReturn) == 0);
  CHECK(f.core.drops().replayed_after_death == 2);
  CHECK(logged_containing(f.sink, "Dropped a replayed packet from node2") == 1);
  // Higher seqs of the same generation: it really returns.
  f.core.receive(status2(6, "active"), "eth0", 4800);
  CHECK(f.sink.logged("Cluster node node2 returning after partition."));
  CHECK(f.core.nodes().find("node2")->status == "active");
}

TEST_CASE("hardening: a node restarted after its death is accepted from seq 1", "[cluster]") {
  Fixture f;
  f.bring_up();
  f.kill_node2();
  f.core.receive(status2(1, "init", 0x201), "eth0", 4600);
  CHECK(f.sink.logged("Heartbeat restart on node node2"));
  CHECK(f.core.nodes().find("node2")->status == "init");
  f.core.receive(status2(2, "up", 0x201), "eth0", 4700);
  CHECK(f.core.nodes().find("node2")->status == "up");
  CHECK(f.core.drops().replayed_after_death == 0);
}

TEST_CASE("hardening: a request for every seq gets at most 50 replies", "[cluster]") {
  Fixture f;
  f.bring_up();
  Message m;
  m.add("t", "resource");
  for (int i = 0; i < 100000; ++i) {
    f.core.send(m, 1000);
    if (i % 1000 == 0) f.sink.clear();
  }
  f.sink.clear();
  Message req = rexmit_request("1", "18446744073709551615");
  f.core.receive(req, "eth0", 1000);
  CHECK(f.sink.sent.size() == 50);  // NAKs for seqs long gone: the cap holds
  CHECK(f.sink.of_type("NS_nak_rexmit").size() == 50);
  CHECK(f.core.drops().rexmit_replies_capped == 1);
}

TEST_CASE("hardening: repnodes adds at most 100 nodes of sane names, says so once",
          "[cluster]") {
  Fixture f;
  f.bring_up();
  std::string list = "node1 node2 " + std::string(101, 'x') + " ";
  for (int i = 0; i < 150; ++i) list += "n" + std::to_string(i) + " ";
  Message rep = from_node2("repnodes", 4);
  rep.add("dest", "node1");
  rep.add("nodelist", list);
  f.core.receive(rep, "eth0", 1100);
  CHECK(f.core.nodes().all().size() == 100);
  CHECK(f.core.nodes().find(std::string(101, 'x')) == nullptr);
  CHECK(f.core.nodes().find("node2") != nullptr);
  CHECK(f.core.drops().repnodes_refused == 53);  // the long name and 52 beyond 100
  rep.set("seq", "5");
  f.core.receive(rep, "eth0", 1200);
  CHECK(logged_containing(f.sink, "Refused") == 1);
  CHECK(f.core.drops().repnodes_refused == 106);
}

TEST_CASE("hardening: an absurd advertised deadtime is clamped, no flapping", "[cluster]") {
  Fixture f;
  f.bring_up();
  const Node& node2 = *f.core.nodes().find("node2");
  f.sink.clear();
  for (uint64_t seq = 4; seq < 14; ++seq) {  // one a second
    int64_t now = 1000 * static_cast<int64_t>(seq - 2);
    f.core.receive(status_with_dt(seq, "1"), "eth0", now);
    f.run_until(now + 999);
  }
  CHECK(node2.dt_ms == 2001);  // twice our keepalive, and then some
  CHECK(f.sink.count(EventType::NodeDead) == 0);
  CHECK(node2.status == "active");
  CHECK(logged_containing(f.sink, "node node2 advertises a deadtime of 1 ms: using 2001 ms") == 1);
  f.core.receive(status_with_dt(14, "ffffffffffffffff"), "eth0", 12000);
  CHECK(node2.dt_ms == kMaxAdvertisedDeadtimeMs);
  f.core.receive(status_with_dt(15, "0"), "eth0", 12100);
  CHECK(node2.dt_ms == 2001);
  CHECK(f.core.drops().deadtime_clamped == 12);
}

TEST_CASE("hardening: an ack beyond our last seq is refused", "[cluster]") {
  Fixture f;
  f.bring_up();
  Message ack = from_node2("NS_ackmsg", 0);
  ack.add("dest", "node1");
  ack.add("ackseq", "ffffff");
  f.core.receive(ack, "eth0", 1000);
  CHECK(f.core.nodes().find("node2")->acked < 0xffffff);
  CHECK(f.core.drops().ack_beyond_sent == 1);
  // Our seq 2 is still served on request.
  f.sink.clear();
  Message req = rexmit_request("2", "2");
  f.core.receive(req, "eth0", 1100);
  CHECK(f.sink.sent.size() == 1);
}

TEST_CASE("hardening: another node with our name is dropped, our echoes are not",
          "[cluster]") {
  Fixture f;
  f.bring_up();
  f.sink.clear();
  f.core.receive(from_our_name(1, 0x101), "eth0", 1100);            // a higher generation
  f.core.receive(from_our_name(1, 0x100, "5"), "eth0", 1200);       // ours, not our packet
  f.core.receive(from_our_name(f.core.last_sent_seq() + 1, 0x100), "eth0", 1300);
  CHECK(*f.core.nodes().find("node1")->generation == 0x100);
  CHECK(f.sink.count(EventType::Restart) == 0);
  CHECK_FALSE(f.sink.logged("Heartbeat restart on node node1"));
  CHECK(f.core.drops().own_name_foreign == 3);
  CHECK(logged_containing(f.sink, "Another node uses our name node1") == 1);
  // The minute since the first line is over: summarised at the next tick
  // (our heartbeat at 62 s; no timer of its own).
  f.run_until(62000);
  CHECK(f.sink.logged("own name on eth0: 2 more suppressed"));
  CHECK(f.core.local_status() == "active");
}
