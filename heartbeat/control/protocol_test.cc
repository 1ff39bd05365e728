#include "control/protocol.h"

#include <catch2/catch.hpp>

using namespace hbd::control;

namespace {

Snapshot sample() {
  Snapshot s;
  s.version = "0.1.0";
  s.local_node = "nodea";
  s.pid = 4242;
  s.rsc_status = "local";
  s.comm_up = true;
  s.nodes.push_back(NodeState{"nodea", "normal", "active", {{"eth0", "up"}, {"/dev/ttyS0", "dead"}}});
  s.nodes.push_back(NodeState{"nodeb", "normal", "dead", {{"eth0", "dead"}}, 50, "north"});
  s.nodes.push_back(NodeState{"198.18.0.254", "ping", "ping", {{"198.18.0.254", "up"}}});
  s.parameters["keepalive"] = "1";
  s.parameters["deadping"] = "6000ms";
  s.parameters["respawn"] = "hacluster /usr/lib/heartbeat/ipfail";
  s.parameters["odd"] = "100% \t\n\x7f";
  s.parameters["empty"] = "";
  s.counters["rejected: bad digest"] = 18446744073709551615ull;
  s.counters["packets accepted"] = 0;
  return s;
}

bool same(const Snapshot& a, const Snapshot& b) {
  if (a.version != b.version || a.local_node != b.local_node || a.pid != b.pid ||
      a.rsc_status != b.rsc_status || a.comm_up != b.comm_up || a.parameters != b.parameters || a.counters != b.counters ||
      a.nodes.size() != b.nodes.size())
    return false;
  for (std::size_t i = 0; i < a.nodes.size(); ++i) {
    const NodeState &x = a.nodes[i], &y = b.nodes[i];
    if (x.name != y.name || x.type != y.type || x.status != y.status || x.weight != y.weight || x.heard_ms_ago != y.heard_ms_ago ||
        x.site != y.site || x.links.size() != y.links.size())
      return false;
    for (std::size_t k = 0; k < x.links.size(); ++k)
      if (x.links[k].name != y.links[k].name || x.links[k].status != y.links[k].status) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("fields are percent-escaped and round-trip", "[control]") {
  CHECK(escape_field("eth0") == "eth0");
  CHECK(escape_field("a b") == "a%20b");
  CHECK(escape_field("100%") == "100%25");
  CHECK(escape_field("x\ny") == "x%0Ay");
  CHECK(escape_field("") == "%");
  CHECK(unescape_field("%") == std::string());
  CHECK(unescape_field("a%20b") == std::string("a b"));
  CHECK(unescape_field("a%2") == std::nullopt);
  CHECK(unescape_field("a%zz") == std::nullopt);
  CHECK(unescape_field("%%") == std::nullopt);
  std::string all;
  for (int c = 1; c < 256; ++c) all += static_cast<char>(c);
  CHECK(unescape_field(escape_field(all)) == all);
  CHECK(escape_field(all).find(' ') == std::string::npos);
  CHECK(escape_field(all).find('\n') == std::string::npos);
}

TEST_CASE("a snapshot survives encode and decode", "[control]") {
  Snapshot s = sample();
  std::string text = encode_snapshot(s);
  CHECK(text.rfind("hbd-snapshot 1\n", 0) == 0);
  CHECK(text.size() > 5);
  CHECK(text.substr(text.size() - 4) == "end\n");
  DecodeResult r = decode_response(text);
  REQUIRE(r.snapshot);
  CHECK(r.complete);
  CHECK(same(*r.snapshot, s));
}

TEST_CASE("monitoring fail counts round-trip; none without hbd.ini", "[control]") {
  Snapshot s = sample();
  CHECK(encode_snapshot(s).find("failcount") == std::string::npos);
  GroupMonitor& g = s.monitoring["rec::B1"];
  g.failed_both = true;
  ResourceFailures r;
  r.resource = "rec::B1";
  r.watched = true;
  r.count = 3;
  r.last_failure_ms_ago = 1500;
  r.reason = "status: timed out after 3.0 s";
  g.resources.push_back(r);
  g.resources.push_back(ResourceFailures{});
  g.resources.back().resource = "rec::B2";
  std::string text = encode_snapshot(s);
  CHECK(text.find("monitor rec::B1 0 1\nfailcount rec::B1 rec::B1 1 3 1500 "
                  "status:%20timed%20out%20after%203.0%20s\nfailcount rec::B1 rec::B2 0 0 -1 %\n") !=
        std::string::npos);
  DecodeResult d = decode_response(text);
  REQUIRE(d.snapshot);
  REQUIRE(d.snapshot->monitoring.count("rec::B1"));
  const GroupMonitor& back = d.snapshot->monitoring.at("rec::B1");
  CHECK(back.failed_both);
  CHECK_FALSE(back.relocated_away);
  REQUIRE(back.resources.size() == 2);
  CHECK(back.resources[0].watched);
  CHECK(back.resources[0].count == 3);
  CHECK(back.resources[0].last_failure_ms_ago == 1500);
  CHECK(back.resources[0].reason == r.reason);
  CHECK(back.resources[1].resource == "rec::B2");
  CHECK_FALSE(back.resources[1].watched);
  CHECK(back.resources[1].last_failure_ms_ago == -1);
  CHECK(decode_response("hbd-snapshot 1\nfailcount g r 1 x 1 y\nend\n").error.find("bad failcount") !=
        std::string::npos);
}

TEST_CASE("the empty snapshot round-trips", "[control]") {
  DecodeResult r = decode_response(encode_snapshot(Snapshot{}));
  REQUIRE(r.snapshot);
  CHECK(same(*r.snapshot, Snapshot{}));
}

TEST_CASE("damaged responses are rejected with a reason", "[control]") {
  std::string good = encode_snapshot(sample());
  SECTION("truncated anywhere") {
    for (std::size_t cut = 0; cut < good.size(); ++cut) {
      DecodeResult r = decode_response(good.substr(0, cut));
      INFO("cut at " << cut);
      CHECK_FALSE(r.snapshot);
      CHECK_FALSE(r.error.empty());
    }
  }
  SECTION("wrong header") { CHECK(decode_response("HTTP/1.0 200 OK\nend\n").error == "not a snapshot response"); }
  SECTION("link before node") {
    DecodeResult r = decode_response("hbd-snapshot 1\nlink eth0 up\nend\n");
    CHECK_FALSE(r.snapshot);
    CHECK(r.error == "line 2: link record before any node");
  }
  SECTION("bad numbers") {
    CHECK_FALSE(decode_response("hbd-snapshot 1\npid 12x\nend\n").snapshot);
    CHECK_FALSE(decode_response("hbd-snapshot 1\ncomm_up yes\nend\n").snapshot);
    CHECK_FALSE(decode_response("hbd-snapshot 1\nnode a normal up x %\nend\n").snapshot);
    CHECK_FALSE(decode_response("hbd-snapshot 1\ncounter a -1\nend\n").snapshot);
    CHECK_FALSE(decode_response("hbd-snapshot 1\ncounter a 18446744073709551616\nend\n").snapshot);
  }
  SECTION("wrong field count") {
    DecodeResult r = decode_response("hbd-snapshot 1\nnode a normal\nend\n");
    CHECK(r.error == "line 2: wrong number of fields in 'node' record");
  }
  SECTION("bad escape") { CHECK_FALSE(decode_response("hbd-snapshot 1\nversion 1%\nend\n").snapshot); }
  SECTION("data after end") { CHECK(decode_response("hbd-snapshot 1\nend\nversion 2\n").error == "data after end of response"); }
}

TEST_CASE("unknown record kinds from a newer daemon are skipped", "[control]") {
  DecodeResult r = decode_response("hbd-snapshot 1\nversion 9\nquorum yes\nend\n");
  REQUIRE(r.snapshot);
  CHECK(r.snapshot->version == "9");
}

TEST_CASE("error replies carry the server's reason", "[control]") {
  std::string text = encode_error("unknown request 'x\ny'");
  CHECK(text == "error unknown request 'x y'\n");
  DecodeResult r = decode_response(text);
  CHECK_FALSE(r.snapshot);
  CHECK(r.error == "unknown request 'x y'");
}

TEST_CASE("request lines lose their line ending", "[control]") {
  CHECK(parse_request_line("snapshot\n") == "snapshot");
  CHECK(parse_request_line("snapshot\r\n") == "snapshot");
  CHECK(parse_request_line("snap shot\n") == "snap shot");
}

TEST_CASE("transition histograms round-trip; older tools skip the record", "[control]") {
  Snapshot s = sample();
  CHECK(encode_snapshot(s).find("transitions") == std::string::npos);
  s.transitions.push_back(TransitionCounts{"rec::B1", "stop", {100, 500}, {2, 5}, 6, 4100});
  std::string text = encode_snapshot(s);
  CHECK(text.find("transitions rec::B1 stop 6 4100 100 2 500 5\n") != std::string::npos);
  DecodeResult d = decode_response(text);
  REQUIRE(d.snapshot);
  REQUIRE(d.snapshot->transitions.size() == 1);
  const TransitionCounts& t = d.snapshot->transitions[0];
  CHECK(t.group == "rec::B1");
  CHECK(t.kind == "stop");
  CHECK(t.le_ms == std::vector<long>{100, 500});
  CHECK(t.le == std::vector<unsigned long long>{2, 5});
  CHECK(t.count == 6);
  CHECK(t.sum_ms == 4100);
  CHECK_FALSE(decode_response("hbd-snapshot 1\ntransitions g stop x 1\nend\n").snapshot);
}
