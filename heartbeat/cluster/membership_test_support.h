// The membership core's test fixture: a recording sink, a fixed random
// source and node2's messages, shared by the membership test files.
#pragma once
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cluster/membership.h"

namespace hbd::cluster::testing {

using hbd::log::Level;
using hbd::wire::Message;

struct LowRandom : Random {  // ack_trigger 0, first rexmit delay 50 ms
  int64_t between(int64_t lo, int64_t) override { return lo; }
};

struct RecordingSink : Sink {
  std::vector<Message> sent;
  std::vector<SendKind> kinds;
  std::vector<std::string> logs;
  std::vector<Event> events;
  void send(const Message& m, SendKind kind) override {
    sent.push_back(m);
    kinds.push_back(kind);
  }
  void log(Level, const std::string& text) override { logs.push_back(text); }
  void event(const Event& e) override {
    events.push_back(e);
    events.back().message = nullptr;
  }
  bool logged(const std::string& text) const {
    return std::find(logs.begin(), logs.end(), text) != logs.end();
  }
  int count(EventType type) const {
    return static_cast<int>(std::count_if(events.begin(), events.end(),
                                          [&](const Event& e) { return e.type == type; }));
  }
  std::vector<Message> of_type(const std::string& t) const {
    std::vector<Message> out;
    for (const auto& m : sent) {
      if (m.get_or("t", "") == t) out.push_back(m);
    }
    return out;
  }
  void clear() {
    sent.clear();
    kinds.clear();
    logs.clear();
    events.clear();
  }
};

inline const std::string kUuid2(16, '\x22');

inline Params two_nodes() {
  Params p;
  p.local_node = "node1";
  p.nodes = {"node1", "node2"};
  p.keepalive_ms = 1000;
  p.deadtime_ms = 3000;
  p.warntime_ms = 2000;
  p.initdead_ms = 10000;
  p.generation = 0x100;
  p.uuid = std::string(16, '\x11');
  return p;
}

// A message as node2 (generation 0x200) would send it.
inline Message from_node2(const std::string& type, uint64_t seq, uint64_t hg = 0x200) {
  Message m;
  m.add("t", type);
  m.add("src", "node2");
  m.add("srcuuid", kUuid2, hbd::wire::FieldType::Binary);
  if (seq) m.add("seq", to_hex(seq));
  m.add("hg", to_hex(hg));
  m.add("ts", "6b020c99");
  return m;
}

inline Message status2(uint64_t seq, const std::string& st = "up", uint64_t hg = 0x200) {
  Message m = from_node2("status", seq, hg);
  m.add("st", st);
  m.add("dt", "bb8");
  m.add("protocol", "1");
  return m;
}

// node2 asks us for our seqs [first, last] (decimal, as on the wire).
inline Message rexmit_request(const std::string& first, const std::string& last) {
  Message req = from_node2("NS_rexmit", 0);
  req.add("dest", "node1");
  req.add("firstseq", first);
  req.add("lastseq", last);
  return req;
}

struct Fixture {
  LowRandom rng;
  RecordingSink sink;
  Membership core;
  explicit Fixture(Params p = two_nodes())
      : core(std::move(p), sink, rng, [] { return int64_t{0x6b020c99}; }) {}

  // Runs ticks at every deadline up to `until`.
  void run_until(int64_t until) {
    for (int64_t t = core.next_deadline(); t <= until; t = core.next_deadline()) core.tick(t);
  }
  // Starts, hears node2, answers its reqnodes handshake: both active at ~2 s.
  void bring_up() {
    core.start(0);
    core.receive(status2(1, "init"), "eth0", 10);
    core.receive(status2(2), "eth0", 11);
    run_until(300);
    Message rep = from_node2("repnodes", 3);
    rep.add("dest", "node1");
    rep.add("nodelist", "node1 node2 ");
    core.receive(rep, "eth0", 400);
    run_until(1000);
    REQUIRE(core.comm_up());
  }
  // After bring_up: node2's status seq 5 at 1 s, then silence until it is dead.
  void kill_node2() {
    core.receive(status2(5, "active"), "eth0", 1000);
    run_until(4500);
    REQUIRE(core.nodes().find("node2")->status == "dead");
  }
  // node2's statuses [first, last] in order.
  void feed(uint64_t first, uint64_t last, int64_t now) {
    for (uint64_t seq = first; seq <= last; ++seq) core.receive(status2(seq, "active"), "eth0", now);
  }
};

}  // namespace hbd::cluster::testing
