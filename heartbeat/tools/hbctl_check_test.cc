#include "tools/hbctl_check.h"

#include <catch2/catch.hpp>

#include "control/test_support.h"

using namespace hbd::tools;
using hbd::control::Snapshot;

namespace {

// Both nodes active on both links, the ping node answering, one group here
// and one on the peer.
Snapshot healthy() {
  Snapshot s = hbd::control::testing::two_node_snapshot();
  s.nodes[1].status = "active";
  s.nodes[1].links[0].status = "up";
  s.groups.push_back({"198.18.0.200/24/eth0", "nodea", "nodea", "running", 65000, 1250, ""});
  s.groups.push_back({"rec::B1", "nodeb", "nodeb", "stopped", 65000, -1, ""});
  s.counters["packets accepted"] = 12;
  return s;
}

CheckVerdict judge(const Snapshot& s) { return judge_snapshot(s, CheckOptions{}); }

// The plugin text, without "HBD CODE - " and perfdata.
std::string text_of(const CheckVerdict& v) {
  std::size_t start = v.line.find(" - ") + 3;
  return v.line.substr(start, v.line.find(" | ") - start);
}

}  // namespace

TEST_CASE("hbctl check: a healthy cluster is OK, with perfdata", "[tools][check]") {
  CheckVerdict v = judge(healthy());
  CHECK(v.code == CheckCode::Ok);
  CHECK(v.line ==
        "HBD OK - 2/2 nodes up, 1/1 ping nodes up, 2 groups (1 here, 1 elsewhere) | "
        "nodes_up=2;;;0;2 links_dead=0 ping_nodes_up=1;;;0;1 groups_here=1 groups_unowned=0 "
        "groups_failed=0 groups_in_transition=0 packets_accepted=12c\n");
}

TEST_CASE("hbctl check: a dead peer is CRITICAL, its links are not listed too", "[tools][check]") {
  Snapshot s = healthy();
  s.nodes[1].status = "dead";
  s.nodes[1].links[0].status = "dead";
  s.nodes[1].links[1].status = "dead";
  s.groups[1].owner = "nodea";  // taken over: only the node is the problem
  s.groups[1].state = "running";
  CheckVerdict v = judge(s);
  CHECK(v.code == CheckCode::Critical);
  CHECK(v.line.rfind("HBD CRITICAL - node nodeb dead | nodes_up=1;;;0;2 links_dead=0 ", 0) == 0);
}

TEST_CASE("hbctl check: a group running nowhere is CRITICAL once things settle", "[tools][check]") {
  Snapshot s = healthy();
  s.groups[1].owner = "none";
  CheckVerdict v = judge(s);
  CHECK(v.code == CheckCode::Critical);
  CHECK(text_of(v) == "group rec::B1 not running anywhere");
  CHECK(v.line.find("groups_unowned=1") != std::string::npos);

  SECTION("not while resources change hands") {
    s.rsc_status = "transition";
    CHECK(judge(s).code == CheckCode::Ok);
  }
  SECTION("not before communication is up (initdead): a warning for that") {
    s.comm_up = false;
    CheckVerdict early = judge(s);
    CHECK(early.code == CheckCode::Warning);
    CHECK(text_of(early) == "communication not up yet");
  }
}

TEST_CASE("hbctl check: a group failed here is CRITICAL with its error", "[tools][check]") {
  Snapshot s = healthy();
  s.groups[0].state = "failed";
  s.groups[0].owner = "none";
  s.groups[0].error = "start of IPaddr2 failed (exit 1)";
  CheckVerdict v = judge(s);
  CHECK(v.code == CheckCode::Critical);
  CHECK(text_of(v) == "group 198.18.0.200/24/eth0 failed here: start of IPaddr2 failed (exit 1)");
  CHECK(v.line.find("groups_failed=1") != std::string::npos);
}

TEST_CASE("hbctl check: a dead link to a live peer is a WARNING", "[tools][check]") {
  Snapshot s = healthy();
  s.nodes[1].links[1].status = "dead";
  CheckVerdict v = judge(s);
  CHECK(v.code == CheckCode::Warning);
  CHECK(text_of(v) == "link eth1 to nodeb dead");
  CHECK(v.line.find("links_dead=1") != std::string::npos);
}

TEST_CASE("hbctl check: a dead ping node is a WARNING", "[tools][check]") {
  Snapshot s = healthy();
  s.nodes[2].status = "dead";
  CheckVerdict v = judge(s);
  CHECK(v.code == CheckCode::Warning);
  CHECK(text_of(v) == "ping node 198.18.0.254 dead");
  CHECK(v.line.find("ping_nodes_up=0;;;0;1") != std::string::npos);
}

TEST_CASE("hbctl check: nodes still starting are not counted up, nor a problem", "[tools][check]") {
  Snapshot s = healthy();
  s.nodes[1].status = "init";  // the peer's hbd is starting
  s.nodes[2].status = "init";  // no echo reply yet
  CheckVerdict v = judge(s);
  CHECK(v.code == CheckCode::Ok);
  CHECK(v.line.rfind("HBD OK - 1/2 nodes up, 0/1 ping nodes up, ", 0) == 0);
  CHECK(node_up(s.nodes[0]));
  CHECK_FALSE(node_up(s.nodes[2]));
  s.nodes[2].status = "ping";
  CHECK(node_up(s.nodes[2]));
}

TEST_CASE("hbctl check: a group in transition too long is a WARNING", "[tools][check]") {
  Snapshot s = healthy();
  s.groups[0].state = "starting";
  s.groups[0].age_ms = 60000;
  CHECK(judge(s).code == CheckCode::Ok);  // the limit itself is fine
  s.groups[0].age_ms = 61000;
  CheckVerdict v = judge(s);
  CHECK(v.code == CheckCode::Warning);
  CHECK(text_of(v) == "group 198.18.0.200/24/eth0 starting for 61 s");
  CHECK(judge_snapshot(s, CheckOptions{120}).code == CheckCode::Ok);
  s.groups[0].state = "stopping";
  CHECK(judge(s).code == CheckCode::Warning);
}

TEST_CASE("hbctl check: every problem is named, the critical ones first", "[tools][check]") {
  Snapshot s = healthy();
  s.nodes[2].status = "dead";
  s.nodes[1].status = "dead";
  CheckVerdict v = judge(s);
  CHECK(v.code == CheckCode::Critical);
  CHECK(text_of(v) == "node nodeb dead; ping node 198.18.0.254 dead");
}

TEST_CASE("hbctl check: daemon texts cannot break the plugin line", "[tools][check]") {
  Snapshot s = healthy();
  s.groups[0].state = "failed";
  s.groups[0].error = "exit 1 | x=3\nsecond line";
  CheckVerdict v = judge(s);
  CHECK(text_of(v) == "group 198.18.0.200/24/eth0 failed here: exit 1 / x=3 second line");
  CHECK(v.line.find('|') == v.line.rfind('|'));
  CHECK(v.line.find('\n') == v.line.size() - 1);
}

TEST_CASE("hbctl check: UNKNOWN and its options", "[tools][check]") {
  CheckVerdict v = unknown_verdict("hbd is not running");
  CHECK(v.code == CheckCode::Unknown);
  CHECK(v.line == "HBD UNKNOWN - hbd is not running\n");
  std::string error;
  CHECK(parse_check_args({}, error)->transition_warn_s == 60);
  CHECK(parse_check_args({"--transition-warn", "5"}, error)->transition_warn_s == 5);
  CHECK_FALSE(parse_check_args({"--transition-warn"}, error));
  CHECK(error == "--transition-warn needs a number of seconds");
  for (const char* bad : {"x", "-1", "5s", " 5", ""}) {
    CHECK_FALSE(parse_check_args({"--transition-warn", bad}, error));
    CHECK(error == "--transition-warn: '" + std::string(bad) + "' is not a number of seconds");
  }
  CHECK_FALSE(parse_check_args({"--warn"}, error));
  CHECK(error == "unknown option '--warn'");
}
