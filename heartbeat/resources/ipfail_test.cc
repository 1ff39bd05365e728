#include "resources/ipfail.h"

#include <algorithm>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

using hbd::resources::Ipfail;
using hbd::resources::IpfailAction;
using hbd::resources::IpfailActions;
using hbd::resources::IpfailSettings;
using hbd::wire::Message;
using Kind = IpfailAction::Kind;
using Fields = std::vector<std::pair<std::string, std::string>>;
using S = std::vector<std::string>;

namespace {

IpfailSettings settings(const std::string& me, const std::string& peer, int64_t keepalive = 1000,
                        bool auto_failback = true) {
  return IpfailSettings{me, peer, keepalive, auto_failback, /*legacy=*/false,
                        /*has_resources=*/true};
}

Message msg(const Fields& fields) {
  Message m;
  for (const auto& [name, value] : fields) m.add(name, value);
  return m;
}

Fields fields(const Message& m) {
  Fields out;
  for (const auto& f : m.fields()) out.emplace_back(f.name, f.value);
  return out;
}

std::vector<Message> sent(const IpfailActions& acts) {
  std::vector<Message> out;
  for (const auto& a : acts)
    if (a.kind == Kind::Send) out.push_back(a.message);
  return out;
}

// Sends: the message types; GiveUp: the holds; Log: the lines above debug.
S pick(const IpfailActions& acts, Kind kind) {
  S out;
  for (const auto& a : acts) {
    if (a.kind != kind || (kind == Kind::Log && a.level == hbd::log::Level::Debug)) continue;
    out.push_back(kind == Kind::Send ? a.message.get_or("t", "?")
                                     : kind == Kind::GiveUp ? a.hold : a.text);
  }
  return out;
}
S types(const IpfailActions& acts) { return pick(acts, Kind::Send); }
S giveups(const IpfailActions& acts) { return pick(acts, Kind::GiveUp); }
S lines(const IpfailActions& acts) { return pick(acts, Kind::Log); }
bool logged(const IpfailActions& acts, const std::string& text) {
  S l = lines(acts);
  return std::count(l.begin(), l.end(), text) > 0;
}
std::string num_ping(const IpfailActions& acts) {  // of the last message sent
  auto out = sent(acts);
  return out.empty() ? "(none)" : out.back().get_or("num_ping", "(none)");
}

// What node2's ipfail sends node1 (src added as the peer's daemon does).
Message from_peer(const std::string& type, Fields extra = {}) {
  Fields f{{"t", type}, {"src", "node2"}};
  f.insert(f.end(), extra.begin(), extra.end());
  f.insert(f.end(), {{"dest", "node1"}, {"from_id", "ipfail"}, {"to_id", "ipfail"},
                     {"client_gen", "0"}});
  return msg(f);
}
Message count_msg(const std::string& n) { return from_peer("num_ping_nodes", {{"num_ping", n}}); }

// node1 after comm up, seeing `up` ping nodes.
Ipfail node1(int up, IpfailSettings s = settings("node1", "node2")) {
  Ipfail f(std::move(s));
  for (int i = 0; i < up; ++i) f.on_node_status(0, "198.18.9." + std::to_string(i), "ping", true);
  f.on_comm_up(0);
  return f;
}

// Two ipfails wired together: a sent message reaches the other at once.
struct Pair {
  Ipfail a, b;  // node1, node2, each seeing "pinghost"
  IpfailActions a_all, b_all;
  int64_t now = 0;

  Pair() : a(settings("node1", "node2")), b(settings("node2", "node1")) {
    a.on_node_status(0, "pinghost", "ping", true);
    b.on_node_status(0, "pinghost", "ping", true);
    run({{true, a.on_comm_up(0)}, {false, b.on_comm_up(0)}});
  }
  void run(std::deque<std::pair<bool, IpfailActions>> q) {
    while (!q.empty()) {
      auto [from_a, acts] = std::move(q.front());
      q.pop_front();
      for (auto& act : acts) {
        (from_a ? a_all : b_all).push_back(act);
        if (act.kind != Kind::Send) continue;
        Message m = act.message;
        if (!m.has("src")) m.add("src", from_a ? "node1" : "node2");
        q.emplace_back(!from_a, (from_a ? b : a).on_message(now, m));
      }
    }
  }
  void status(bool on_a, const std::string& status) {
    run({{on_a, (on_a ? a : b).on_node_status(now, "pinghost", status, true)}});
  }
  void advance(int64_t to) {
    for (int64_t next; (next = std::min(a.next_deadline(), b.next_deadline())) <= to;) {
      now = next;
      run({{true, a.on_deadline(now)}, {false, b.on_deadline(now)}});
    }
    now = to;
  }
};

}  // namespace

TEST_CASE("ipfail: comm up sends the join and our count; a join is answered", "[ipfail]") {
  Ipfail f(settings("node1", "node2"));
  f.on_node_status(0, "10.0.0.1", "ping", true);
  auto acts = f.on_comm_up(5);
  auto out = sent(acts);
  REQUIRE(out.size() == 2);
  CHECK(fields(out[0]) == Fields{{"t", "hbapi-clstat"}, {"st", "join"}, {"from_id", "ipfail"},
                                 {"to_id", "ipfail"}, {"src", "node1"}, {"info", "signon"},
                                 {"client_gen", "0"}});
  CHECK(fields(out[1]) == Fields{{"t", "num_ping_nodes"}, {"src", "node1"}, {"num_ping", "1"},
                                 {"dest", "node2"}, {"from_id", "ipfail"}, {"to_id", "ipfail"},
                                 {"client_gen", "0"}});
  CHECK(lines(acts) == S{"Asking other side for ping node count."});
  CHECK(f.on_comm_up(6).empty());  // once

  f.on_node_status(7, "10.0.0.2", "ping", true);
  Fields join{{"t", "hbapi-clstat"}, {"st", "join"}, {"from_id", "ipfail"}, {"to_id", "ipfail"},
              {"src", "node2"}, {"info", "signon"}, {"client_gen", "0"}};
  acts = f.on_message(10, msg(join));
  REQUIRE(types(acts) == S{"num_ping_nodes"});
  CHECK(num_ping(acts) == "2");
  join[1].second = "leave";  // a leave, or another client's join, is not answered
  CHECK(sent(f.on_message(11, msg(join))).empty());
  join[1].second = "join";
  join[2].second = "ipfail2";
  CHECK(sent(f.on_message(12, msg(join))).empty());
}

TEST_CASE("ipfail: more: you_are_dead; fewer: give up all after 2 x keepalive", "[ipfail]") {
  Ipfail f = node1(1, settings("node1", "node2", 2000));
  auto acts = f.on_message(10, count_msg("0"));
  CHECK(fields(sent(acts).at(0)) == Fields{{"t", "you_are_dead"}, {"dest", "node2"},
                                           {"from_id", "ipfail"}, {"to_id", "ipfail"},
                                           {"client_gen", "0"}});
  CHECK(lines(acts) == S{"Telling other node that we have more visible ping nodes."});
  CHECK(f.next_deadline() == Ipfail::kNever);

  acts = f.on_message(1000, count_msg("2"));
  CHECK(sent(acts).empty());
  CHECK(lines(acts) ==
        S{"Giving up because we have less visible ping nodes.", "Delayed giveup in 4 seconds."});
  CHECK(f.next_deadline() == 5000);
  CHECK(f.pending_hold() == "all");
  CHECK(f.on_deadline(4999).empty());
  auto due = f.on_deadline(5000);
  CHECK(lines(due) == S{"giveup() called (timeout worked)"});
  CHECK(giveups(due) == S{"all"});
  CHECK(f.on_deadline(9000).empty());  // once per schedule
}

TEST_CASE("ipfail: balanced with auto_failback gives foreign groups back", "[ipfail]") {
  Ipfail f = node1(1);
  f.set_resources(true, true);
  auto acts = f.on_message(100, count_msg("1"));
  CHECK(types(acts) == S{"abort_giveup"});
  CHECK(lines(acts) == S{"Ping node count is balanced.",
                         "Giving up foreign resources (auto_failback).",
                         "Delayed giveup in 2 seconds."});
  CHECK(f.on_deadline(2099).empty());
  CHECK(giveups(f.on_deadline(2100)) == S{"foreign"});

  // Not while unstable, nor without foreign groups, nor with auto_failback off.
  Ipfail g = node1(1);
  bool stable = GENERATE(true, false), foreign = GENERATE(true, false), on = GENERATE(true, false);
  if (stable && foreign && on) return;
  if (!on) g = node1(1, settings("node1", "node2", 1000, false));
  g.set_resources(stable, foreign);
  acts = g.on_message(100, count_msg("1"));
  CHECK(types(acts) == S{"abort_giveup"});
  CHECK(lines(acts) == S{"Ping node count is balanced."});
  CHECK(g.next_deadline() == Ipfail::kNever);
}

TEST_CASE("ipfail: you_are_dead gives up all; abort_giveup or balance cancels", "[ipfail]") {
  Ipfail f = node1(0, settings("node1", "node2", 750));
  CHECK(lines(f.on_message(0, from_peer("abort_giveup"))) == S{"No giveup timer to abort."});
  CHECK(lines(f.on_message(0, from_peer("you_are_dead"))) ==
        S{"Giving up because we were told that we have less ping nodes.",
          "Delayed giveup in 1 seconds."});  // 1500 ms, as heartbeat divides
  f.on_message(1000, from_peer("you_are_dead"));  // schedule 2 replaces 1: due at 2500
  SECTION("replaced") {
    CHECK(f.on_deadline(2499).empty());
    CHECK(giveups(f.on_deadline(2500)) == S{"all"});
    CHECK(f.on_deadline(99999).empty());
  }
  SECTION("aborted") {
    auto acts = f.on_message(1600, from_peer("abort_giveup"));
    CHECK(lines(acts) == S{"Aborted delayed giveup (2)"});
    CHECK(sent(acts).empty());
  }
  SECTION("balanced") {
    auto acts = f.on_message(1600, count_msg("0"));
    CHECK(fields(sent(acts).at(0)) == Fields{{"t", "abort_giveup"}, {"src", "node1"},
                                             {"dest", "node2"}, {"from_id", "ipfail"},
                                             {"to_id", "ipfail"}, {"client_gen", "0"}});
    CHECK(lines(acts) == S{"Ping node count is balanced.", "Aborted delayed giveup (2)"});
  }
  CHECK(f.on_deadline(99999).empty());
  CHECK(f.next_deadline() == Ipfail::kNever);
}

TEST_CASE("ipfail: unstable at the deadline waits for the peer, then recounts", "[ipfail]") {
  Ipfail f = node1(1);
  f.on_message(0, from_peer("you_are_dead"));
  f.set_resources(false, false);
  auto due = f.on_deadline(2000);
  CHECK(lines(due) == S{"giveup() called (timeout worked)"});
  CHECK(giveups(due).empty());
  CHECK(f.giveup_deferred());
  CHECK(f.next_deadline() == Ipfail::kNever);
  f.set_resources(true, false);
  CHECK(f.on_deadline(50000).empty());  // stability alone does not resume it
  // Not the peer's plain stability report: nothing.
  for (Fields r : {Fields{{"src", "node2"}, {"isstable", "1"}, {"info", "me"}},
                   Fields{{"src", "node2"}, {"isstable", "0"}},
                   Fields{{"src", "node3"}, {"isstable", "1"}}}) {
    r.insert(r.begin(), {"t", "resource"});
    CHECK(sent(f.on_message(60000, msg(r))).empty());
  }
  CHECK(f.next_deadline() == Ipfail::kNever);

  SECTION("through on_peer_stable") { CHECK(sent(f.on_peer_stable(60000)).empty()); }
  SECTION("through the peer's resource message") {
    Fields r{{"t", "resource"}, {"rsc_hold", "all"}, {"src", "node2"}, {"isstable", "1"}};
    CHECK(sent(f.on_message(60000, msg(r))).empty());
  }
  CHECK_FALSE(f.giveup_deferred());
  CHECK(f.next_deadline() == 70000);
  CHECK(sent(f.on_peer_stable(65000)).empty());  // no second recount
  CHECK(f.next_deadline() == 70000);
  CHECK(sent(f.on_deadline(69999)).empty());
  auto re = f.on_deadline(70000);
  REQUIRE(types(re) == S{"num_ping_nodes"});
  CHECK(num_ping(re) == "1");
  CHECK(f.next_deadline() == Ipfail::kNever);
}

TEST_CASE("ipfail: counting, and a ping node's death and return", "[ipfail]") {
  Ipfail g(settings("node1", "node2"));  // before comm up: counted, nothing said
  for (auto [node, status] : Fields{{"10.0.0.1", "ping"}, {"group1", "ping"}, {"10.0.0.9", "dead"}})
    CHECK(g.on_node_status(0, node, status, true).empty());
  CHECK(g.on_node_status(0, "node2", "active", false).empty());
  CHECK(g.count() == 2);  // a ping_group is one node
  CHECK(num_ping(g.on_comm_up(0)) == "2");
  CHECK(num_ping(g.on_node_status(0, "group1", "dead", true)) == "1");

  Ipfail f = node1(1);
  CHECK(f.on_node_status(0, "198.18.9.0", "ping", true).empty());  // no change
  auto dead = f.on_node_status(10, "198.18.9.0", "dead", true);
  CHECK(lines(dead) == S{"Status update: Node 198.18.9.0 now has status dead",
                         "NS: We are dead. :<",
                         "Link Status update: Link 198.18.9.0/198.18.9.0 now has status dead",
                         "We are dead. :<", "Asking other side for ping node count."});
  CHECK(types(dead) == S{"num_ping_nodes"});
  CHECK(num_ping(dead) == "0");
  auto up = f.on_node_status(20, "198.18.9.0", "ping", true);
  CHECK(lines(up) == S{"Status update: Node 198.18.9.0 now has status ping",
                       "A ping node just came up.", "Asking other side for ping node count."});
  CHECK(num_ping(up) == "1");
  f.on_node_status(30, "10.9.9.9", "ping", true);
  auto one_left = f.on_node_status(40, "10.9.9.9", "dead", true);
  CHECK(lines(one_left)[1] == "NS: We are still alive!");
  CHECK(lines(one_left).back() == "Checking remote count of ping nodes.");
  CHECK(num_ping(one_left) == "1");
}

TEST_CASE("ipfail: the peer's death cancels; its return recounts", "[ipfail]") {
  Ipfail f = node1(1);
  f.on_node_status(0, "node2", "active", false);
  f.on_message(0, from_peer("you_are_dead"));
  auto dead = f.on_node_status(100, "node2", "dead", false);
  CHECK(sent(dead).empty());
  CHECK(lines(dead) ==
        S{"Status update: Node node2 now has status dead", "NS: We are still alive!"});
  CHECK(f.next_deadline() == Ipfail::kNever);
  CHECK(f.on_deadline(10000).empty());
  CHECK(types(f.on_node_status(200, "node2", "up", false)) == S{"num_ping_nodes"});
  CHECK(sent(f.on_node_status(300, "node2", "active", false)).empty());  // only once
}

TEST_CASE("ipfail: node1 loses its ping node and gives up; its return fails back", "[ipfail]") {
  Pair p;
  p.now = 1000;
  p.status(true, "dead");
  CHECK(types(p.b_all).back() == "you_are_dead");
  p.advance(2999);
  CHECK(giveups(p.a_all).empty());
  p.advance(3000);
  CHECK(giveups(p.a_all) == S{"all"});
  CHECK(giveups(p.b_all).empty());

  p.b.set_resources(true, true);  // node2 took node1's groups
  p.now = 20000;
  p.status(true, "ping");
  CHECK(logged(p.b_all, "Giving up foreign resources (auto_failback)."));
  CHECK(logged(p.a_all, "No giveup timer to abort."));
  p.advance(21999);
  CHECK(giveups(p.b_all).empty());
  p.advance(22000);
  CHECK(giveups(p.b_all) == S{"foreign"});
  CHECK(giveups(p.a_all) == S{"all"});
}

TEST_CASE("ipfail: both nodes lose the ping node, nothing moves", "[ipfail]") {
  Pair p;
  p.now = 1000;
  SECTION("one after the other") {
    p.status(true, "dead");
    p.status(false, "dead");
  }
  SECTION("at the same moment") {
    p.run({{true, p.a.on_node_status(1000, "pinghost", "dead", true)},
           {false, p.b.on_node_status(1000, "pinghost", "dead", true)}});
  }
  p.advance(100000);
  CHECK(giveups(p.a_all).empty());
  CHECK(giveups(p.b_all).empty());
  CHECK(p.a.next_deadline() == Ipfail::kNever);
  CHECK(p.b.next_deadline() == Ipfail::kNever);
}

TEST_CASE("ipfail: flapping gives up at most once, as the last exchange says", "[ipfail]") {
  Pair p;
  for (int64_t t : {1000, 1400, 1800, 2200}) {  // dead, up, dead, up
    p.now = t;
    p.status(true, (t / 400) % 2 ? "ping" : "dead");
  }
  int64_t last = 2200;
  SECTION("ends up: nothing") {}
  SECTION("ends dead: one give-up of all") {
    p.now = last = 2600;
    p.status(true, "dead");
  }
  p.advance(last + 1999);
  CHECK(giveups(p.a_all).empty());
  p.advance(100000);
  CHECK(giveups(p.a_all) == (last == 2600 ? S{"all"} : S{}));
  CHECK(giveups(p.b_all).empty());
}

TEST_CASE("ipfail: legacy, no resources or no peer: disabled, logs once", "[ipfail]") {
  auto s = settings("node1", "node2");
  std::string reason =
      GENERATE(as<std::string>{}, "auto_failback set to incompatible legacy option.",
               "No managed resources", "ipfail needs exactly one other normal node");
  s.legacy = reason[0] == 'a';
  s.has_resources = reason[0] != 'N';
  if (reason[0] == 'i') s.peer = "";
  Ipfail f(s);
  CHECK_FALSE(f.enabled());
  auto first = f.on_node_status(0, "10.0.0.1", "ping", true);
  REQUIRE(first.size() == 2);
  CHECK(first[0].level == hbd::log::Level::Error);
  CHECK(first[0].text == reason);
  CHECK(first[1].text == "ipfail exiting (exit code 100, not respawned)");
  CHECK(f.on_comm_up(0).empty());
  CHECK(f.on_message(0, from_peer("you_are_dead")).empty());
  CHECK(f.on_message(0, count_msg("5")).empty());
  CHECK(f.on_peer_stable(0).empty());
  CHECK(f.on_deadline(1000000).empty());
  CHECK(f.next_deadline() == Ipfail::kNever);
}

TEST_CASE("ipfail: only the peer's messages to ipfail count", "[ipfail]") {
  Ipfail f = node1(1);
  for (const Fields& bad : {
           Fields{{"t", "you_are_dead"}, {"dest", "node1"}, {"to_id", "ipfail"}, {"src", "node3"}},
           Fields{{"t", "you_are_dead"}, {"dest", "node1"}, {"src", "node2"}},
           Fields{{"t", "you_are_dead"}, {"dest", "node1"}, {"to_id", "other"}, {"src", "node2"}},
           Fields{{"t", "you_are_dead"}, {"dest", "node3"}, {"to_id", "ipfail"}, {"src", "node2"}},
           Fields{{"t", "you_are_dead"}, {"to_id", "ipfail"}, {"src", "node1"}},  // our own
           Fields{{"t", "you_are_dead"}, {"to_id", "ipfail"}},
       })
    CHECK(f.on_message(0, msg(bad)).empty());
  CHECK(f.next_deadline() == Ipfail::kNever);
  // Names compare without case, as heartbeat's lowercased ones do.
  f.on_message(0, msg({{"t", "you_are_dead"}, {"dest", "NODE1"}, {"to_id", "ipfail"},
                       {"src", "Node2"}}));
  CHECK(f.next_deadline() == 2000);
}

TEST_CASE("ipfail: num_ping is parsed defensively", "[ipfail]") {
  Ipfail f = node1(1);
  for (std::string bad : {"", "x", "-1", "+1", "1a", " 1", "1234567890", "99999999999999999999"}) {
    auto acts = f.on_message(0, count_msg(bad));  // one warning, nothing else
    CHECK((acts.size() == 1 && acts[0].level == hbd::log::Level::Warn));
  }
  CHECK(sent(f.on_message(0, from_peer("num_ping_nodes"))).empty());  // missing
  CHECK(f.malformed() == 9);
  CHECK(f.next_deadline() == Ipfail::kNever);
  CHECK(types(f.on_message(0, count_msg("000000000"))) == S{"you_are_dead"});
  f.on_message(0, count_msg("999999999"));
  CHECK(f.pending_hold() == "all");
}

TEST_CASE("ipfail: our own ping node coming back cancels a give-up decided on the old count",
          "[ipfail]") {
  // The uplink returns to both nodes, node2's ping node answers first: node1
  // (count 0) is told it has less; then its own ping node answers. Its
  // give-up rests on a stale count and must not fire while the new exchange
  // (balanced) is on its way.
  Ipfail f(settings("node1", "node2"));
  f.on_node_status(0, "198.18.0.254", "ping", true);
  f.on_comm_up(0);
  f.on_node_status(100, "198.18.0.254", "dead", true);
  f.on_message(200, count_msg("1"));
  REQUIRE(f.pending_hold() == "all");
  auto back = f.on_node_status(300, "198.18.0.254", "ping", true);
  CHECK(f.pending_hold().empty());
  CHECK(f.next_deadline() == Ipfail::kNever);
  CHECK(types(back) == S{"num_ping_nodes"});
  CHECK(num_ping(back) == "1");
  CHECK(giveups(f.on_deadline(2200)).empty());
}

TEST_CASE("ipfail: a you_are_dead older than the peer's balanced count is stale", "[ipfail]") {
  // Both nodes lose the ping node a few ms apart: node2 (still seeing it)
  // answers node1's count 0 with you_are_dead, then loses it too and sends
  // its own count 0. If that count reaches node1 first, node1 has concluded
  // "balanced" when the older you_are_dead arrives: it must not give up.
  Ipfail f(settings("node1", "node2", 200));
  f.on_node_status(0, "198.18.0.254", "ping", true);
  f.on_comm_up(0);
  f.on_node_status(100, "198.18.0.254", "dead", true);
  f.on_message(115, count_msg("0"));  // node2's newer count: balanced
  CHECK(f.pending_hold().empty());
  auto late = f.on_message(127, from_peer("you_are_dead"));  // sent at 105
  CHECK(f.pending_hold().empty());
  CHECK(types(late) == S{"num_ping_nodes"});
  // Without a newer count from the peer, you_are_dead is believed.
  Ipfail g(settings("node1", "node2", 200));
  g.on_node_status(0, "198.18.0.254", "ping", true);
  g.on_comm_up(0);
  g.on_node_status(100, "198.18.0.254", "dead", true);
  g.on_message(110, from_peer("you_are_dead"));
  CHECK(g.pending_hold() == "all");
}
