#include "cluster/membership.h"
#include "cluster/ping.h"
#include "cluster/membership_test_support.h"

#include <catch2/catch.hpp>

using namespace hbd::cluster;
using hbd::log::Level;
using hbd::wire::Message;

using namespace hbd::cluster::testing;

TEST_CASE("membership: start sends init, up, up with dt = deadtime + 2 s", "[cluster]") {
  Fixture f;
  f.core.start(0);
  REQUIRE(f.sink.sent.size() == 3);
  CHECK(f.sink.sent[0].get_or("st", "") == "init");
  CHECK(f.sink.sent[1].get_or("st", "") == "up");
  CHECK(f.sink.sent[2].get_or("st", "") == "up");
  CHECK(f.sink.sent[0].get_or("dt", "") == "1388");  // 5000
  CHECK(f.sink.sent[0].get_or("protocol", "") == "1");
  CHECK(f.sink.sent[2].get_or("seq", "") == "3");
  CHECK(f.sink.logged("Local status now set to: 'up'"));
}

TEST_CASE("membership: a status every keepalive, and the real dt after 5 s", "[cluster]") {
  Fixture f;
  f.core.start(0);
  f.sink.clear();
  CHECK(f.core.next_deadline() <= 1000);
  f.run_until(4999);
  CHECK(f.sink.of_type("status").size() == 4);
  f.sink.clear();
  f.run_until(5000);
  auto statuses = f.sink.of_type("status");
  REQUIRE(statuses.size() == 2);
  CHECK(statuses[0].get_or("dt", "") == "1388");
  CHECK(statuses[1].get_or("dt", "") == "bb8");
}

TEST_CASE("membership: reqnodes once everyone is heard, comm up on repnodes", "[cluster]") {
  Fixture f;
  f.core.start(0);
  f.core.receive(status2(1, "init"), "eth0", 10);
  CHECK(f.sink.logged("Link node2:eth0 up."));
  CHECK(f.core.next_deadline() == 10);  // everyone heard: links up at once
  f.run_until(10);
  CHECK(f.sink.of_type("reqnodes").empty());
  CHECK(f.core.next_deadline() == 260);  // the first reqnodes 250 ms later
  f.run_until(260);
  auto req = f.sink.of_type("reqnodes");
  REQUIRE(req.size() == 1);
  CHECK(req[0].get_or("dest", "") == "node2");
  CHECK(req[0].get_or("destuuid", "") == kUuid2);  // announced by node2 itself
  f.run_until(1259);
  CHECK(f.sink.of_type("reqnodes").size() == 1);
  f.run_until(1260);
  CHECK(f.sink.of_type("reqnodes").size() == 2);  // repeated every second
  Message rep = from_node2("repnodes", 2);
  rep.add("dest", "node1");
  rep.add("nodelist", "node1 node2 ");
  rep.add("delnodelist", " ");
  f.core.receive(rep, "eth0", 1300);
  CHECK_FALSE(f.core.comm_up());  // acted on at the next heartbeat
  f.sink.clear();
  f.run_until(2000);
  CHECK(f.core.comm_up());
  auto statuses = f.sink.of_type("status");
  REQUIRE(statuses.size() == 2);
  CHECK(statuses[0].get_or("st", "") == "up");
  CHECK(statuses[1].get_or("st", "") == "active");
  CHECK(f.sink.logged("Comm_now_up(): updating status to active"));
  CHECK(f.sink.logged("Local status now set to: 'active'"));
  CHECK(f.sink.count(EventType::CommUp) == 1);
}

TEST_CASE("membership: reqnodes is answered with every normal node", "[cluster]") {
  Params p = two_nodes();
  p.ping_nodes = {"198.18.9.254"};
  Fixture f(p);
  f.core.start(0);
  Message req = from_node2("reqnodes", 1);
  req.add("dest", "node1");
  f.core.receive(req, "eth0", 10);
  auto rep = f.sink.of_type("repnodes");
  REQUIRE(rep.size() == 1);
  CHECK(rep[0].fields()[0].name == "dest");
  CHECK(rep[0].fields()[1].name == "t");
  CHECK(rep[0].get_or("dest", "") == "node2");
  CHECK(rep[0].get_or("nodelist", "") == "node1 node2 ");
  CHECK(rep[0].get_or("delnodelist", "") == " ");
}

TEST_CASE("membership: our status goes out just before the repnodes", "[cluster]") {
  Fixture f;
  f.core.start(0);
  std::size_t before = f.sink.sent.size();
  Message req = from_node2("reqnodes", 1);
  req.add("dest", "node1");
  f.core.receive(req, "eth0", 10);
  // A restarted 3.0.6 peer decides at comm up whether we are active.
  REQUIRE(f.sink.sent.size() >= before + 2);
  CHECK(f.sink.sent[before].get_or("t", "") == "status");
  CHECK(f.sink.sent[before + 1].get_or("t", "") == "repnodes");
}

TEST_CASE("membership: our own copies from the network are duplicates", "[cluster]") {
  Fixture f;
  f.core.start(0);
  int delivered = f.sink.count(EventType::Delivered);
  CHECK(delivered == 3);  // loopback, once each
  f.core.receive(f.sink.sent[2], "eth0", 5);
  f.core.receive(f.sink.sent[0], "eth0", 6);
  CHECK(f.sink.count(EventType::Delivered) == delivered);
  CHECK(f.sink.logged("Link node1:eth0 up."));
}

TEST_CASE("membership: a gap is logged, requested after a delay and repeated", "[cluster]") {
  Fixture f;
  f.bring_up();
  f.feed(4, 8, 1000);
  f.sink.clear();
  f.core.receive(status2(10, "active"), "eth0", 1100);
  CHECK(f.sink.logged("1 lost packet(s) for [node2] [8:10]"));
  CHECK(f.core.next_deadline() == 1150);
  f.run_until(1150);
  auto req = f.sink.of_type("NS_rexmit");
  REQUIRE(req.size() == 1);
  CHECK(req[0].get_or("dest", "") == "node2");
  CHECK(req[0].get_or("firstseq", "") == "9");
  CHECK(req[0].get_or("lastseq", "") == "9");
  CHECK_FALSE(req[0].has("seq"));
  f.run_until(1400);
  CHECK(f.sink.of_type("NS_rexmit").size() == 2);
  f.core.receive(status2(9, "active"), "eth0", 1450);
  CHECK(f.sink.logged("No pkts missing from node2!"));
  auto acks = f.sink.of_type("NS_ackmsg");
  REQUIRE(acks.size() == 1);
  CHECK(acks[0].get_or("ackseq", "") == "a");
  f.run_until(2000);
  CHECK(f.sink.of_type("NS_rexmit").size() == 2);
}

TEST_CASE("membership: in-order seqs matching the ack trigger are acked", "[cluster]") {
  Fixture f;
  f.bring_up();
  f.sink.clear();
  for (uint64_t seq = 4; seq <= 20; ++seq) f.core.receive(status2(seq, "active"), "eth0", 1000);
  auto acks = f.sink.of_type("NS_ackmsg");
  std::vector<std::string> acked;
  for (const auto& a : acks) {
    if (a.get_or("dest", "") == "node2") acked.push_back(a.get_or("ackseq", ""));
  }
  CHECK(acked == std::vector<std::string>{"a", "14"});  // trigger 0: seq 10, 20
}

TEST_CASE("membership: NS_rexmit is served with the stored message or a NAK", "[cluster]") {
  Fixture f;
  f.bring_up();
  Message original = f.sink.sent[1];  // our seq 2
  REQUIRE(original.get_or("seq", "") == "2");
  f.sink.clear();
  Message req = rexmit_request("2", "2");
  f.core.receive(req, "eth0", 1000);
  REQUIRE(f.sink.sent.size() == 1);
  CHECK(f.sink.kinds[0] == SendKind::Retransmission);
  CHECK(f.sink.sent[0] == original);
  f.core.receive(req, "eth0", 1100);  // asked again too soon
  CHECK(f.sink.sent.size() == 1);
  Message beyond = req;
  beyond.set("firstseq", "9999");
  beyond.set("lastseq", "9999");
  f.core.receive(beyond, "eth0", 1200);
  CHECK(f.sink.sent.size() == 1);
}

TEST_CASE("membership: seqs that fell out of history are NAKed in hex", "[cluster]") {
  Fixture f;
  f.bring_up();
  for (int i = 0; i < 600; ++i) {
    Message m;
    m.add("t", "resource");
    f.core.send(m, 1000);
  }
  f.sink.clear();
  Message req = rexmit_request("26", "26");
  f.core.receive(req, "eth0", 1000);
  auto naks = f.sink.of_type("NS_nak_rexmit");
  REQUIRE(naks.size() == 1);
  CHECK(naks[0].get_or("firstseq", "") == "1a");
  CHECK(naks[0].get_or("dest", "") == "node2");
  CHECK(naks[0].get_or("info", "") == "seqno too low");
}

TEST_CASE("membership: a NAK gives up the missing seq", "[cluster]") {
  Fixture f;
  f.bring_up();
  f.feed(4, 8, 1000);
  f.core.receive(status2(10, "active"), "eth0", 1001);
  Message nak = from_node2("NS_nak_rexmit", 0);
  nak.add("firstseq", "9");
  nak.add("dest", "node1");
  nak.add("info", "seqno not found");
  f.core.receive(nak, "eth0", 1020);
  CHECK(f.sink.logged("Irretrievably lost packet: node node2 seq 9"));
  CHECK(f.sink.count(EventType::Lost) == 1);
  f.sink.clear();
  f.run_until(2000);
  CHECK(f.sink.of_type("NS_rexmit").empty());
}

TEST_CASE("membership: a silent peer is dead after its advertised dt", "[cluster]") {
  Fixture f;
  f.bring_up();
  f.core.receive(status2(5, "active"), "eth0", 1000);  // dt bb8 = 3000
  f.run_until(4000);
  CHECK(f.sink.count(EventType::NodeDead) == 0);
  f.run_until(4250);
  CHECK(f.sink.logged("node node2: is dead"));
  CHECK(f.sink.logged("Link node2:eth0 dead."));
  CHECK(f.core.nodes().find("node2")->status == "dead");
}

// Silence longer than the deadtime (3000 ms) kills: the core wakes at the
// first ms where that holds, not on heartbeat's 250 ms check grid.
TEST_CASE("membership: a silent peer is dead at exactly its last status + dt + 1 ms",
          "[cluster]") {
  Fixture f;
  f.bring_up();
  f.core.receive(status2(4, "active"), "eth0", 1000);  // no gap: no rexmit requests
  f.run_until(4000);  // our heartbeats at 2, 3 and 4 s
  CHECK(f.core.nodes().find("node2")->status == "active");
  CHECK(f.core.next_deadline() == 4001);
  f.core.tick(4001);
  CHECK(f.core.nodes().find("node2")->status == "dead");
  CHECK(f.sink.logged("node node2: is dead"));
  CHECK(f.sink.logged("Link node2:eth0 dead."));
  CHECK(f.core.next_deadline() == 5000);  // our next heartbeat; nothing else is due
}

TEST_CASE("membership: a link of a live node expires at its own deadline", "[cluster]") {
  Fixture f;
  f.bring_up();
  f.core.receive(status2(4, "active"), "eth1", 1000);
  f.core.receive(status2(5, "active"), "eth0", 1700);  // eth1 silent from 1000
  f.run_until(4000);
  CHECK(f.core.next_deadline() == 4001);
  f.core.tick(4001);
  CHECK(f.sink.logged("Link node2:eth1 dead."));
  CHECK_FALSE(f.sink.logged("Link node2:eth0 dead."));
  CHECK(f.core.nodes().find("node2")->status == "active");
  CHECK(f.core.next_deadline() == 4701);  // node2 and eth0: 1700 + 3000 + 1
}

TEST_CASE("membership: before comm up, initdead applies", "[cluster]") {
  Fixture f;
  f.core.start(0);
  f.run_until(10000);
  CHECK(f.sink.count(EventType::NodeDead) == 0);
  f.run_until(10250);
  CHECK(f.sink.logged("node node2: is dead"));
  f.run_until(11000);
  CHECK(f.core.comm_up());  // nobody left to ask
}

TEST_CASE("membership: late heartbeats warn, and past deadtime revive", "[cluster]") {
  Fixture f;
  f.bring_up();
  f.core.receive(status2(5, "active"), "eth0", 1000);
  f.core.receive(status2(6, "active"), "eth0", 3500);
  CHECK(f.sink.logged("Late heartbeat: Node node2: interval 2500 ms"));
  f.core.receive(status2(7, "active"), "eth0", 6600);  // no tick in between
  CHECK(f.sink.logged("Late heartbeat: Node node2: interval 3100 ms (> deadtime)"));
  CHECK(f.sink.logged("node node2: is dead"));
  CHECK(f.core.nodes().find("node2")->status == "active");
  // Dead and back at once: the resource manager heals it as a partition.
  CHECK(f.sink.count(EventType::NodeDead) == 1);
  CHECK(f.sink.count(EventType::PartitionReturn) == 1);
  CHECK_FALSE(f.sink.logged("Cluster node node2 returning after partition."));
}

TEST_CASE("membership: generations: replay dropped, restart reset", "[cluster]") {
  Fixture f;
  f.bring_up();
  f.core.receive(status2(5, "active"), "eth0", 1000);
  f.core.receive(status2(6, "active", 0x1ff), "eth0", 1100);
  CHECK(f.sink.logged("should_drop_message: attempted replay attack [node2]? [gen = 511, curgen = 512]"));
  f.core.receive(status2(1, "init", 0x201), "eth0", 1200);
  CHECK(f.sink.logged("Heartbeat restart on node node2"));
  CHECK(f.sink.logged("Status update for node node2: status init"));
  CHECK(f.sink.count(EventType::Restart) == 1);
  CHECK(*f.core.nodes().find("node2")->seqs.last() == 1);
}

TEST_CASE("membership: same generation back from the dead is a partition", "[cluster]") {
  Fixture f;
  f.bring_up();
  f.kill_node2();
  f.core.receive(status2(9, "active"), "eth0", 4600);
  CHECK(f.sink.logged("Cluster node node2 returning after partition."));
  CHECK(f.sink.count(EventType::PartitionReturn) == 1);
  CHECK(f.core.nodes().find("node2")->status == "active");
  CHECK(f.sink.logged("Link node2:eth0 up."));
}

TEST_CASE("membership: messages for others are sequenced, not delivered", "[cluster]") {
  Fixture f;
  f.bring_up();
  f.core.receive(status2(5, "active"), "eth0", 1000);
  f.sink.clear();
  Message other = from_node2("resource", 6);
  other.add("dest", "node3");
  f.core.receive(other, "eth0", 1001);
  Message wrong_uuid = from_node2("resource", 7);
  wrong_uuid.add("dest", "node1");
  wrong_uuid.add("destuuid", std::string(16, '\x33'), hbd::wire::FieldType::Binary);
  f.core.receive(wrong_uuid, "eth0", 1002);
  CHECK(f.sink.count(EventType::Delivered) == 0);
  CHECK(*f.core.nodes().find("node2")->seqs.last() == 7);
  f.core.receive(status2(8, "active"), "eth0", 1003);
  CHECK(f.sink.logs.empty());  // no gap
}

TEST_CASE("membership: uuid changes are adopted, unknown nodes rejected", "[cluster]") {
  Fixture f;
  f.bring_up();
  Message m = status2(5, "active");
  m.set("srcuuid", std::string(16, '\x44'), hbd::wire::FieldType::Binary);
  f.core.receive(m, "eth0", 1000);
  CHECK(f.core.nodes().find("node2")->uuid == std::string(16, '\x44'));
  CHECK(f.sink.logged("node node2 changed its uuid to "
                      "44444444-4444-4444-4444-444444444444"));
  Message stranger = status2(1);
  stranger.set("src", "node9");
  f.core.receive(stranger, "eth0", 1001);
  CHECK(f.sink.logged("process_status_message: bad node [node9] in message"));
}

TEST_CASE("membership: a peer without protocol turns flow control off", "[cluster]") {
  Fixture f;
  f.core.start(0);
  Message old_peer = status2(1);
  old_peer.remove("protocol");
  f.core.receive(old_peer, "eth0", 10);
  CHECK(f.sink.logged("flow control disabled due to different version heartbeat"));
  f.run_until(1000);
  CHECK(f.sink.of_type("reqnodes").empty());
  CHECK(f.core.comm_up());
}

TEST_CASE("membership: a ping node's echoed NS_st makes it `ping`, deadping of silence `dead`",
          "[cluster][ping]") {
  Params p = two_nodes();
  p.ping_nodes = {"198.18.9.254"};
  p.deadping_ms = 2000;
  Fixture f(p);
  f.core.start(0);
  Message echoed = ping_status_message("198.18.9.254", false, "6b020c99");
  CHECK(echoed.get_or("t", "") == "NS_st");
  CHECK(echoed.get_or("info", "") == "ping");
  f.core.receive(echoed, "198.18.9.254", 100);
  const Node* ping = f.core.nodes().find("198.18.9.254");
  REQUIRE(ping);
  CHECK(ping->type == NodeType::Ping);
  CHECK(ping->status == "ping");
  CHECK(f.sink.logged("Link 198.18.9.254:198.18.9.254 up."));
  CHECK(f.sink.logged("Status update for node 198.18.9.254: status ping"));
  f.core.receive(ping_status_message("198.18.9.254", false, "6b020c9a"), "198.18.9.254", 1100);
  f.run_until(3000);
  CHECK(ping->status == "ping");  // 1.9 s of silence: not yet
  f.run_until(3400);  // the next timeout check after 3.1 s
  CHECK(ping->status == "dead");
  CHECK(f.sink.logged("node 198.18.9.254: is dead"));
  CHECK(f.sink.logged("Link 198.18.9.254:198.18.9.254 dead."));
}

TEST_CASE("membership: ping_group's message says ping_group", "[cluster][ping]") {
  Message m = ping_status_message("routers", true, "1");
  std::vector<std::string> names;
  for (const auto& field : m.fields()) names.push_back(field.name);
  CHECK(names == std::vector<std::string>{"t", "st", "info", "src", "ts"});
  CHECK(m.get_or("info", "") == "ping_group");
  CHECK(m.get_or("src", "") == "routers");
}
