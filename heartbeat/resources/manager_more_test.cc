// Legacy mode, failing scripts, split brain and rc.d hooks.
#include "resources/manager.h"

#include <catch2/catch.hpp>

#include "resources/test_support.h"

using namespace hbd::resources;
using namespace hbd::resources::testing;
using Lines = std::vector<std::string>;

namespace {

// ip-request-resp ok=OK weown=yes for `dest`, as a node answers an ip-request.
hbd::wire::Message granted(const std::string& dest, const std::string& key) {
  return msg("ip-request-resp", {{"dest", dest}, {"ipaddr", key}, {"weown", "yes"}, {"ok", "OK"}});
}

bool sent(const Harness& h, const std::string& line) {
  auto lines = h.sent_lines();
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

}  // namespace

TEST_CASE("legacy: with a live peer each group is asked for, taken on OK", "[resources]") {
  Harness h(settings_for("node2", Mode::Legacy));
  h.peer_status("active");
  h.comm_up();
  CHECK(h.sent_lines() == Lines{"ip-request ipaddr=rec::B1"});
  CHECK(h.scripts.calls == Lines{"rec B1 status"});
  CHECK_FALSE(h.runs("rec B1"));
  h.clear();
  h.from_peer(granted("node2", "rec::B1"));
  CHECK(h.logged("received ip-request-resp rec::B1 OK yes"));
  CHECK(h.runs("rec B1"));
  CHECK(h.logged("Initial resource acquisition complete (ip-request-resp)"));
  CHECK(h.rm.rsc_status() == "none");  // legacy never tracks holdings
}

TEST_CASE("legacy: alone, our groups are taken directly; the dead peer's too", "[resources]") {
  Harness h(settings_for("node1", Mode::Legacy));
  h.peer_dead();
  h.comm_up();
  CHECK(h.sent_lines() == Lines{"stonith node=node2 result=n_stnth"});
  CHECK(h.runs("rec B1"));
  CHECK(h.runs("LabRes app1"));
  CHECK(h.logged("Initial resource acquisition complete (status)"));
}

TEST_CASE("legacy: a peer's ip-request: we give the group up if we run it", "[resources]") {
  Harness h(settings_for("node1", Mode::Legacy));
  h.peer_dead();
  h.comm_up();
  h.peer_restart();
  h.peer_status("active");
  h.clear();
  h.from_peer(msg("ip-request", {{"ipaddr", "rec::B1"}}));
  CHECK(h.logged("Releasing resource group: node2 rec::B1"));
  CHECK_FALSE(h.runs("rec B1"));
  CHECK(h.sent_lines() ==
        Lines{"ip-request-resp dest=node2 ipaddr=rec::B1 weown=yes ok=OK"});
  h.clear();
  h.from_peer(msg("ip-request", {{"ipaddr", "rec::B1"}}));
  CHECK(h.sent_lines() == Lines{"ip-request-resp dest=node2 ipaddr=rec::B1 weown=no ok=OK"});
  h.clear();
  h.from_peer(msg("ip-request", {{"ipaddr", "nosuchkey"}}));
  CHECK(h.sent_lines() == Lines{"ip-request-resp dest=node2 ipaddr=nosuchkey weown=no ok=OK"});
}

TEST_CASE("legacy: a peer that granted itself its group without asking: we give it up",
          "[resources]") {
  Harness h(settings_for("node1", Mode::Legacy));
  h.peer_dead();
  h.comm_up();
  REQUIRE(h.runs("rec B1"));
  // node2 (heartbeat) came back within our deadtime: at its comm up it had
  // not seen us active, so it answered its own ip-request.
  h.peer_restart();
  h.clear();
  h.from_peer(granted("node2", "rec::B1"));
  CHECK(h.logged("node2 took its group rec::B1 without asking us: giving it up"));
  CHECK_FALSE(h.runs("rec B1"));
  CHECK(h.runs("LabRes app1"));
  CHECK(h.sent.empty());
  h.clear();
  SECTION("not when it does not run here") {
    h.from_peer(granted("node2", "rec::B1"));
    CHECK(h.scripts.calls == Lines{"rec B1 status"});
  }
  SECTION("never one of our own groups") {
    h.from_peer(granted("node2", "198.18.1.200/24/eth0"));
    CHECK(h.scripts.calls.empty());
    CHECK(h.runs("LabRes app1"));
  }
}

TEST_CASE("legacy: standby is refused with heartbeat's line", "[resources]") {
  Harness h(settings_for("node1", Mode::Legacy));
  h.peer_status("active");
  h.comm_up();
  h.local(ask("all", "me"));
  CHECK(h.logged("Standby mode only implemented when nice_failback on"));
}

TEST_CASE("legacy: a peer that sent shutdone dies without STONITH", "[resources]") {
  Harness h(settings_for("node1", Mode::Legacy));
  h.peer_status("active");
  h.comm_up();
  h.clear();
  h.from_peer(msg("shutdone", {{"st", "dead"}}));
  CHECK(h.logged("Received shutdown notice from 'node2'."));
  CHECK(h.runs("rec B1"));
  h.clear();
  h.peer_dead();
  CHECK(h.logged("Dead node node2 gave up resources."));
}

TEST_CASE("a failing start gives up the whole group, then standby foreign 30 s later",
          "[resources]") {
  Harness g(settings_for("node1", Mode::On));
  g.scripts.fail_start.insert("LabRes app1");
  g.peer_status("active");
  g.comm_up();
  g.from_peer(msg("starting"));
  g.from_peer(resource("none", "0"));
  g.advance(kRequestDelayMs);
  CHECK(g.logged("Return code 1 from /rsc/LabRes"));
  CHECK(g.logged("Giving up resources due to failure of LabRes::app1"));
  CHECK(g.logged("Releasing resource group: node1 IPaddr::198.18.1.200/24/eth0 "
                 "LabRes::app1 LabRes::app2"));
  CHECK(g.scripts.calls == Lines{"IPaddr 198.18.1.200/24/eth0 status",
                                 "IPaddr 198.18.1.200/24/eth0 status",
                                 "IPaddr 198.18.1.200/24/eth0 start", "LabRes app1 status",
                                 "LabRes app1 start", "LabRes app2 stop", "LabRes app1 stop",
                                 "IPaddr 198.18.1.200/24/eth0 stop"});
  CHECK_FALSE(g.runs("IPaddr 198.18.1.200/24/eth0"));
  g.from_peer(resource("local", "1"));
  g.clear();
  g.advance(kFailedStartStandbyMs - 1);
  CHECK_FALSE(g.logged("Going standby [foreign]."));
  g.advance(1);
  CHECK(g.logged("Going standby [foreign]."));
  CHECK(sent(g, "ask_resources rsc_hold=foreign info=me"));
  auto groups = g.rm.groups();
  CHECK(groups[0].status.state == GroupState::Failed);
  CHECK(groups[0].status.last_error == "start of LabRes::app1 failed");
}

TEST_CASE("a stop that keeps failing: retries, then heartbeat's reboot verdict",
          "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  settle(h);
  h.scripts.fail_stop.insert("LabRes app2");
  h.local(ask("all", "me"));
  h.from_peer(ask("all", "other"));
  CHECK(h.logged("Return code 1 from /rsc/LabRes"));
  CHECK(h.log_count("Retrying failed stop operation [LabRes::app2]") == 0);
  h.advance(10 * kStopRetryDelayMs);
  CHECK(h.log_count("Retrying failed stop operation [LabRes::app2]") == 10);
  CHECK(h.logged("Resource STOP failure. Reboot required!"));
  CHECK(h.logged("Killing heartbeat ungracefully!"));
  CHECK(h.reboots == 1);
  // Nothing more runs after the verdict.
  CHECK(h.scripts.calls.back() == "LabRes app2 status");
}

TEST_CASE("a failing stop of a stopped resource: not LSB-compliant, no reboot", "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  settle(h);
  h.scripts.fail_stop.insert("rec B1");  // B1 does not run here
  h.local(ask("all", "me"));
  h.from_peer(ask("all", "other"));
  h.advance(10 * kStopRetryDelayMs);
  CHECK(h.logged("Resource script for rec::B1 probably not LSB-compliant."));
  CHECK(h.logged("it (rec::B1) MUST succeed on a stop when already stopped"));
  CHECK(h.logged("Machine reboot narrowly avoided!"));
  CHECK(h.reboots == 0);
  CHECK(sent(h, "ask_resources rsc_hold=all info=done"));
}

TEST_CASE("a missing script cannot be located, and the group gives up", "[resources]") {
  Harness g(settings_for("node2", Mode::On));
  g.scripts.missing.insert("rec");
  g.peer_status("active");
  g.comm_up();
  g.from_peer(msg("starting"));
  g.from_peer(resource("none", "0"));
  g.advance(kRequestDelayMs);
  CHECK(g.logged("Cannot locate resource script rec"));
  CHECK(g.logged("Giving up resources due to failure of rec::B1"));
}

TEST_CASE("split brain: back from a partition, foreign groups go to their home node",
          "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  settle(h);
  h.peer_dead();
  REQUIRE(h.runs("rec B1"));
  h.clear();
  h.partition_return();
  CHECK(h.logged("Giving up foreign resources: their node node2 is back"));
  CHECK_FALSE(h.runs("rec B1"));
  CHECK(h.runs("LabRes app1"));
  CHECK(h.sent_lines() == Lines{"resource rsc_hold=local rtype=full isstable=0",
                                "resource rsc_hold=local rtype=full isstable=1"});
  // The peer (hbd) did the same: its claim is its own groups only.
  h.from_peer(resource("local", "1"));
  CHECK(h.announced == Lines{"198.18.1.200"});
  CHECK(h.rm.rsc_status() == "local");
}

TEST_CASE("split brain: not stable until the foreign groups are stopped", "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  settle(h);
  h.peer_dead();
  h.clear();
  h.hold_scripts = true;  // rec B1's stop takes its time
  h.partition_return();
  // Whatever else tells the peer our holdings meanwhile (here its own
  // holdings after its transition) must not say stable: it would take its
  // group back while B1 still runs here.
  h.from_peer(resource("local", "0"));
  h.from_peer(resource("local", "1"));
  for (const auto& line : h.sent_lines()) {
    INFO(line);
    CHECK(line.find("isstable=1") == std::string::npos);
  }
  h.clear();
  h.complete_held();
  CHECK_FALSE(h.runs("rec B1"));
  CHECK(h.sent_lines().back() == "resource rsc_hold=local rtype=full isstable=1");
}

TEST_CASE("split brain with heartbeat: it restarts, its groups wait for it", "[resources]") {
  Harness h(settings_for("node1", Mode::Off));
  settle(h);
  h.peer_dead();
  h.partition_return();
  h.peer_status("active");
  h.clear();
  // heartbeat gives up everything and re-executes itself.
  h.from_peer(resource("none", "0", "shutdown"));
  h.from_peer(msg("shutdone", {{"st", "dead"}}));
  CHECK(h.logged("node2 restarts after the partition, as heartbeat does: its groups wait for it"));
  CHECK(h.announced == Lines{"198.18.1.200"});
  h.peer_dead();
  CHECK(h.logged("Dead node node2 gave up resources."));
  CHECK(h.logged("Takeover of node2's groups waits: it restarts after the partition"));
  CHECK_FALSE(h.runs("rec B1"));
  // It comes back and takes its own groups (auto_failback off does not matter).
  h.peer_restart();
  h.peer_status("active");
  h.from_peer(msg("starting"));
  CHECK(sent(h, "resource rsc_hold=local rtype=full isstable=1"));
  CHECK(h.logged("node2 is back after its restart: it takes its own groups"));
}

TEST_CASE("split brain with heartbeat: no return in time, we take its groups", "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  settle(h);
  h.peer_dead();
  h.partition_return();
  h.peer_status("active");
  h.from_peer(msg("shutdone", {{"st", "dead"}}));
  h.peer_dead();
  h.advance(2 * 3000 + 15000);
  CHECK(h.logged("node2 did not come back after its restart: taking over its groups"));
  CHECK(h.runs("rec B1"));
}

TEST_CASE("a one-sided partition: the node that is not home yields", "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  settle(h);
  h.peer_dead();  // only we lost the peer; it kept its groups
  h.clear();
  h.from_peer(resource("local", "1"));  // its claim reaches us again
  CHECK(h.logged("Both machines own foreign resources!"));
  CHECK(h.runs("rec B1"));  // views lag: a contradiction must last
  h.advance(kResolveGraceMs);
  CHECK(h.logged("Giving up foreign resources: the peer runs its own groups too (split brain)"));
  CHECK_FALSE(h.runs("rec B1"));
}

TEST_CASE("orphaned own groups are taken after the grace period", "[resources]") {
  Harness h(settings_for("node2", Mode::Off));
  h.peer_status("active");
  h.comm_up();
  h.from_peer(resource("all", "1"));  // node1 claims node2's groups too
  REQUIRE_FALSE(h.runs("rec B1"));
  h.from_peer(resource("local", "1"));  // … then no longer (it lost them)
  h.advance(kResolveGraceMs - 1);
  CHECK_FALSE(h.runs("rec B1"));
  h.advance(1);
  CHECK(h.logged("Nobody runs our own resource groups: taking them"));
  CHECK(h.runs("rec B1"));
}

TEST_CASE("the home side of a conflict keeps its groups and re-announces them",
          "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  settle(h);
  h.from_peer(resource("all", "1"));  // the peer claims our groups too
  CHECK(h.logged("Both machines own our resources!"));
  CHECK(sent(h, "resource rsc_hold=local rtype=full isstable=1"));
  CHECK(h.runs("LabRes app1"));
  h.from_peer(resource("local", "1"));  // it yielded
  CHECK(h.announced == Lines{"198.18.1.200"});
}

TEST_CASE("legacy split brain: release the peer's groups, announce ours", "[resources]") {
  Harness h(settings_for("node1", Mode::Legacy));
  h.peer_status("active");
  h.comm_up();
  h.from_peer(msg("ip-request-resp", {{"dest", "node1"}, {"ipaddr", "IPaddr::198.18.1.200/24/eth0"},
                                      {"weown", "no"}, {"ok", "OK"}}));
  h.peer_dead();
  REQUIRE(h.runs("rec B1"));
  h.partition_return();
  CHECK_FALSE(h.runs("rec B1"));
  CHECK(h.runs("LabRes app1"));
  CHECK(h.announced == Lines{"198.18.1.200"});
}

TEST_CASE("rc.d hooks run for other message types and link changes, not for heartbeat's own",
          "[resources]") {
  Settings s = settings_for("node1", Mode::On);
  s.rc_hooks = {"custom", "ifstat", "status", "ip-request"};
  s.rc_dir = "/hooks";
  Harness h(std::move(s));
  settle(h);
  h.from_peer(msg("custom", {{"x", "1"}}));
  CHECK(h.logged("Running /hooks/custom custom"));
  CHECK(h.scripts.calls == Lines{"custom custom"});
  h.clear();
  h.event([&](Out& o) { h.rm.on_link("node2", "eth0", false, h.now, o); });
  CHECK(h.scripts.calls == Lines{"ifstat ifstat"});
  h.clear();
  h.from_peer(msg("ip-request", {{"ipaddr", "rec::B1"}}));
  h.peer_dead();
  for (const auto& c : h.scripts.calls) CHECK(c.find("status status") == std::string::npos);
}

TEST_CASE("with heartbeat's harc installed, hooks run through it", "[resources]") {
  Settings s = settings_for("node1", Mode::On);
  s.rc_hooks = {"custom"};
  s.harc = "/etc/ha.d/harc";
  Harness h(std::move(s));
  settle(h);
  h.from_peer(msg("custom"));
  CHECK(h.scripts.calls == Lines{"harc custom"});
}

TEST_CASE("a giver that never takes up our 'other' does not hold us for an hour",
          "[resources]") {
  Harness h(settings_for("node2", Mode::On));
  settle(h);
  h.from_peer(ask("all", "me"));
  REQUIRE(h.rm.rsc_status() == "transition");
  h.advance(kStandbyReplyMs);
  CHECK(h.logged("No reply to standby request.  Standby request cancelled."));
  CHECK(h.rm.rsc_status() == "local");
  // A giver that does take it up gets heartbeat's hour.
  h.clear();
  h.from_peer(ask("all", "me"));
  h.from_peer(resource("none", "0", "standby"));
  h.advance(kStandbyReplyMs * 6);
  CHECK_FALSE(h.logged("No reply to standby request.  Standby request cancelled."));
  h.from_peer(ask("all", "done"));
  CHECK(h.logged("Standby resource acquisition done [all]."));
}

TEST_CASE("a standby cut by a split brain: the giver gets its done once back", "[resources]") {
  Harness h(settings_for("node2", Mode::On));
  settle(h);
  h.from_peer(ask("all", "me"));
  REQUIRE(h.sent_lines() == Lines{"ask_resources rsc_hold=all info=other"});
  SECTION("we were acquiring: the done goes at once when the giver is back") {
    h.from_peer(resource("none", "0", "standby"));
    h.hold_scripts = true;
    h.from_peer(ask("all", "done"));
    REQUIRE(h.logged("standby: acquire [all] resources from node1"));
    h.peer_dead();  // node1 never saw a partition: it waits for our done
    CHECK(h.logged("Cancelling pending standby operation"));
    h.clear();
    h.partition_return();
    CHECK(h.logged("Ending the standby cancelled during the split brain"));
    CHECK(h.sent_lines().front() == "ask_resources rsc_hold=all info=done");
  }
  SECTION("the giver had not finished: our done answers its done") {
    h.peer_dead();
    h.partition_return();
    h.complete_held();
    h.clear();
    h.from_peer(ask("all", "done"));
    CHECK(h.sent_lines() == Lines{"ask_resources rsc_hold=all info=done"});
    CHECK_FALSE(h.logged("standby: acquire [all] resources from node1"));
  }
  SECTION("a giver that restarted remembers no standby: nothing is owed") {
    h.peer_dead();
    h.peer_restart();
    h.clear();
    h.from_peer(ask("all", "done"));
    CHECK_FALSE(h.logged("Ending the standby cancelled during the split brain"));
    CHECK(h.logged("Ignored standby message 'done' from node1 in state 0"));
  }
}

TEST_CASE("a standby we were giving when the split brain ended: the taker still gets our done",
          "[resources]") {
  Harness h(settings_for("node2", Mode::On));
  settle(h);
  h.peer_dead();  // a partition: we take node1's group too
  REQUIRE(h.rm.rsc_status() == "all");
  // node1 is back and heard before its status is (so before we see the
  // partition end): we hand its group back with a standby of foreign.
  h.local(ask("foreign", "me"));
  h.hold_scripts = true;
  h.from_peer(ask("foreign", "other"));
  REQUIRE(h.logged("standby: node1 can take our foreign resources"));
  h.partition_return();
  REQUIRE(h.logged("Cancelling pending standby operation"));
  h.clear();
  h.complete_held();  // the give-up job finishes: the group is released
  CHECK(h.logged("Ending the standby cancelled during the split brain"));
  CHECK(h.sent_lines().front() == "ask_resources rsc_hold=foreign info=done");
  // The taker's own done closes it quietly, and we say we are stable again.
  h.clear();
  h.from_peer(ask("foreign", "done"));
  CHECK(h.logged("Other node completed standby takeover of foreign resources."));
  CHECK_FALSE(h.logged("Ignored standby message 'done' from node1 in state 0"));
  CHECK(h.sent_lines() == Lines{"resource rsc_hold=local rtype=full isstable=1"});
  h.from_peer(resource("local", "1"));
  CHECK(h.rm.rsc_status() == "local");
}

TEST_CASE("a peer's 'starting' retransmitted after its resource messages is not acted on",
          "[resources]") {
  Harness h(settings_for("node2", Mode::On));
  settle(h);  // node1 said starting, then announced its holdings, stable
  REQUIRE(h.rm.rsc_status() == "local");
  h.from_peer(msg("starting"));  // the lost original, filled in late
  CHECK(h.rm.rsc_status() == "local");
  CHECK(h.sent_lines().empty());
  // A restarted peer's starting counts again.
  h.peer_restart();
  h.from_peer(msg("starting"));
  CHECK(h.rm.rsc_status() == "transition");
}

TEST_CASE("a peer that gives up before our comm up: its groups are ours, the takeover ends",
          "[resources]") {
  Harness h(settings_for("node2", Mode::On));
  h.peer_status("active");
  h.from_peer(msg("shutdone"));  // node1 stops while we are still starting
  CHECK(h.logged("mach_down takeover complete."));
  CHECK_THAT(h.rm.debug_state(), Catch::Contains("i_hold=all") && Catch::Contains("takeover=0"));
}
