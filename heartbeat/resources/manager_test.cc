// The nice_failback flows of wire-protocol §6, message by message, as real
// heartbeat 3.0.6 nodes exchanged them (shared/vectors/*.events.txt): the
// peer's messages go in, ours must come out in the same order.
#include "resources/manager.h"

#include <catch2/catch.hpp>

#include "resources/test_support.h"

using namespace hbd::resources;
using namespace hbd::resources::testing;
using Lines = std::vector<std::string>;

namespace {

// node1 holds everything after node2 died.
void hold_all(Harness& h) {
  settle(h);
  h.peer_dead();
  h.clear();
}

}  // namespace

TEST_CASE("flow: both nodes start together, each takes its own groups after RQSTDELAY",
          "[resources]") {
  Harness h(settings_for("node2", Mode::On));
  h.peer_status("active");
  h.comm_up();
  h.from_peer(msg("starting"));
  h.from_peer(resource("none", "0"));
  CHECK(h.sent_lines() == Lines{"starting", "resource rsc_hold=none rtype=full isstable=0"});
  CHECK(h.rm.rsc_status() == "transition");
  CHECK(h.scripts.calls.empty());  // nothing before RQSTDELAY
  h.clear();

  h.advance(kRequestDelayMs - 1);
  CHECK(h.sent.empty());
  h.advance(1);
  CHECK(h.logged("local resource transition completed."));
  CHECK(h.sent_lines() ==
        Lines{"resource rsc_hold=local rtype=full isstable=1",
              "resource rsc_hold=local rtype=full isstable=1 info=req_our_resources()"});
  CHECK(h.scripts.calls == Lines{"rec B1 status", "rec B1 status", "rec B1 start"});
  CHECK(h.logged("Initial resource acquisition complete (T_RESOURCES(us))"));
  CHECK(h.logged("Acquiring resource group: node2 rec::B1"));
  CHECK(h.logged("Running /rsc/rec B1 start"));
  CHECK(h.logged("Local Resource acquisition completed."));
  h.clear();

  h.from_peer(resource("local", "1"));
  CHECK(h.logged("remote resource transition completed."));
  CHECK(h.sent_lines() == Lines{"resource rsc_hold=local rtype=full isstable=1"});
  CHECK(h.rm.rsc_status() == "local");
  CHECK(h.runs("rec B1"));
  CHECK_FALSE(h.runs("LabRes app1"));
}

TEST_CASE("flow: the peer becomes stable first: we take our groups at once", "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  h.peer_status("active");
  h.comm_up();
  h.from_peer(msg("starting"));
  h.from_peer(resource("none", "0"));
  h.clear();
  // node2's RQSTDELAY ran out first (events #49/#50 → node1's #53/#54).
  h.from_peer(resource("local", "1"));
  h.from_peer(resource("local", "1", "req_our_resources()"));
  CHECK(h.log_count("remote resource transition completed.") == 2);
  Lines sent = h.sent_lines();
  REQUIRE(sent.size() >= 3);
  CHECK(sent[0] == "resource rsc_hold=none rtype=full isstable=0");
  CHECK(sent[1] == "resource rsc_hold=local rtype=full isstable=1");
  CHECK(sent.back() == "resource rsc_hold=local rtype=full isstable=1 info=req_our_resources()");
  CHECK(h.runs("IPaddr 198.18.1.200/24/eth0"));
  CHECK(h.runs("LabRes app2"));
  CHECK(h.logged("Initial resource acquisition complete (T_RESOURCES(us))"));
}

TEST_CASE("flow: peer death: STONITH message, mach_down takeover of its groups", "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  settle(h);
  h.peer_dead();
  CHECK(h.logged("No STONITH device configured."));
  CHECK(h.logged("Shared disks are not protected."));
  CHECK(h.logged("Resources being acquired from node2."));
  CHECK(h.logged("Taking over resource group rec::B1"));
  CHECK(h.logged("mach_down takeover complete for node node2."));
  CHECK(h.logged("mach_down takeover complete."));
  Lines sent = h.sent_lines();
  REQUIRE(sent.size() == 3);
  CHECK(sent[0] == "stonith node=node2 result=n_stnth");
  CHECK(sent[1] == "resource rsc_hold=foreign info=mach_down");
  CHECK(sent[2] == "resource rsc_hold=all rtype=full isstable=1 info=req_our_resources()");
  CHECK(h.runs("rec B1"));
  CHECK(h.rm.rsc_status() == "all");
}

TEST_CASE("flow: the dead peer restarts; auto_failback on gives its groups back", "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  hold_all(h);
  h.peer_restart();
  h.from_peer(msg("starting"));
  CHECK(h.sent_lines() == Lines{"resource rsc_hold=all rtype=full isstable=1"});
  h.clear();
  h.from_peer(resource("none", "0"));
  h.from_peer(resource("none", "1"));
  CHECK(h.sent_lines() == Lines{"resource rsc_hold=all rtype=full isstable=1",
                                "ask_resources rsc_hold=foreign info=me"});
  CHECK(h.logged("node1 wants to go standby [foreign]"));
  h.clear();
  h.from_peer(ask("foreign", "other"));
  CHECK(h.logged("standby: node2 can take our foreign resources"));
  CHECK(h.logged("give up foreign HA resources (standby)."));
  CHECK(h.logged("foreign HA resource release completed (standby)."));
  CHECK(h.logged("Local standby process completed [foreign]."));
  CHECK(h.sent_lines() == Lines{"resource rsc_hold=local rtype=full isstable=0 info=standby",
                                "ask_resources rsc_hold=foreign info=done"});
  CHECK_FALSE(h.runs("rec B1"));
  CHECK(h.runs("LabRes app1"));
  h.clear();
  h.from_peer(resource("local", "1"));
  h.from_peer(ask("foreign", "done"));
  CHECK(h.logged("Other node completed standby takeover of foreign resources."));
  CHECK(h.rm.rsc_status() == "local");
}

TEST_CASE("flow: the dead peer restarts; auto_failback off keeps everything here",
          "[resources]") {
  Harness h(settings_for("node1", Mode::Off));
  hold_all(h);
  h.peer_restart();
  h.from_peer(msg("starting"));
  h.from_peer(resource("none", "0"));
  h.from_peer(resource("none", "1"));
  CHECK(h.sent_lines() == Lines{"resource rsc_hold=all rtype=full isstable=1",
                                "resource rsc_hold=all rtype=full isstable=1"});
  h.advance(5000);
  CHECK(h.rm.rsc_status() == "all");
  CHECK(h.runs("rec B1"));
}

TEST_CASE("flow: a restarting node whose peer holds all acquires nothing", "[resources]") {
  Harness h(settings_for("node2", Mode::On));
  h.peer_status("active");
  h.comm_up();
  h.from_peer(resource("all", "1"));  // node1's answer to our starting
  CHECK(h.log_count("remote resource transition completed.") == 2);
  CHECK(h.logged("Local Resource acquisition completed. (none)"));
  CHECK(h.sent_lines() == Lines{"starting", "resource rsc_hold=none rtype=full isstable=0",
                                "resource rsc_hold=none rtype=full isstable=1"});
  CHECK(h.scripts.calls.empty());
  CHECK(h.rm.rsc_status() == "none");
}

TEST_CASE("flow: hb_standby all hands everything to the peer", "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  settle(h);
  h.local(ask("all", "me"));  // hb_standby through the FIFO
  CHECK(h.logged("node1 wants to go standby [all]"));
  h.from_peer(ask("all", "other"));
  CHECK(h.logged("standby: node2 can take our all resources"));
  CHECK(h.logged("give up all HA resources (standby)."));
  CHECK(h.sent_lines() == Lines{"resource rsc_hold=none rtype=full isstable=0 info=standby",
                                "ask_resources rsc_hold=all info=done"});
  // Every group, right to left, also the peer's that never ran here.
  CHECK(h.scripts.calls == Lines{"LabRes app2 stop", "LabRes app1 stop",
                                 "IPaddr 198.18.1.200/24/eth0 stop", "rec B1 stop"});
  h.clear();
  h.from_peer(resource("all", "1"));
  h.from_peer(ask("all", "done"));
  CHECK(h.logged("Other node completed standby takeover of all resources."));
  CHECK(h.rm.rsc_status() == "none");
  CHECK(h.sent_lines().back() == "resource rsc_hold=none rtype=full isstable=1");
}

TEST_CASE("flow: the peer goes standby: we acquire what it gives", "[resources]") {
  for (auto [set, acquired] : std::vector<std::pair<std::string, std::string>>{
           {"all", "all"}, {"local", "foreign"}, {"foreign", "local"}}) {
    Harness h(settings_for("node2", Mode::Off));
    if (set == "foreign") {
      // node1 holds node2's groups: node2 came back to a node1 holding all.
      h.peer_status("active");
      h.comm_up();
      h.from_peer(resource("all", "1"));
      h.clear();
    } else {
      settle(h);
    }
    INFO(set);
    h.from_peer(ask(set, "me"));
    CHECK(h.sent_lines() == Lines{"ask_resources rsc_hold=" + set + " info=other"});
    CHECK(h.logged("node1 wants to go standby [" + set + "]"));
    h.clear();
    h.from_peer(resource(set == "all" ? "none" : set == "local" ? "none" : "local", "0", "standby"));
    h.from_peer(ask(set, "done"));
    CHECK(h.logged("standby: acquire [" + set + "] resources from node1"));
    CHECK(h.logged("acquire " + acquired + " HA resources (standby)."));
    CHECK(h.logged("Standby resource acquisition done [" + set + "]."));
    Lines sent = h.sent_lines();
    REQUIRE(sent.size() == 2);
    CHECK(sent[0] == "ask_resources rsc_hold=" + set + " info=done");
    if (set != "foreign") CHECK(h.runs("LabRes app1"));
  }
}

TEST_CASE("flow: hb_takeover maps the set, failback included", "[resources]") {
  for (auto [asked, standby] : std::vector<std::pair<std::string, std::string>>{
           {"all", "all"}, {"local", "foreign"}, {"foreign", "local"}, {"failback", "all"}}) {
    Harness h(settings_for("node2", Mode::On));
  settle(h);
    INFO(asked);
    h.from_peer(msg("hb_takeover", {{"rsc_hold", asked}}));
    CHECK(h.logged("Going standby [" + standby + "]."));
    CHECK(h.sent_lines() == Lines{"ask_resources rsc_hold=" + standby + " info=me"});
  }
  Harness h(settings_for("node2", Mode::On));
  settle(h);
  h.local(msg("hb_takeover", {{"rsc_hold", "all"}}));  // our own: the peer acts on it
  CHECK(h.sent.empty());
}

TEST_CASE("flow: graceful shutdown gives up every group, then shutdone", "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  settle(h);
  h.shutdown();
  CHECK(h.logged("Heartbeat shutdown in progress. (4242)"));
  CHECK(h.logged("Giving up all HA resources."));
  CHECK(h.logged("All HA resources relinquished."));
  CHECK(h.sent_lines() == Lines{"resource rsc_hold=none rtype=full isstable=0 info=shutdown",
                                "shutdone st=dead"});
  CHECK(h.scripts.calls == Lines{"LabRes app2 stop", "LabRes app1 stop",
                                 "IPaddr 198.18.1.200/24/eth0 stop", "rec B1 stop"});
  CHECK(h.shutdowns_complete == 0);
  h.advance(kFinalShutdownDelayMs);
  CHECK(h.shutdowns_complete == 1);
}

TEST_CASE("flow: the peer's shutdown notice: its groups at once, no deadtime", "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  settle(h);
  h.from_peer(resource("none", "0", "shutdown"));
  h.from_peer(msg("shutdone", {{"st", "dead"}}));
  CHECK(h.logged("Received shutdown notice from 'node2'."));
  CHECK(h.logged("Resources being acquired from node2."));
  CHECK(h.runs("rec B1"));
  Lines sent = h.sent_lines();
  CHECK(std::find(sent.begin(), sent.end(), "ask_resources rsc_hold=foreign info=done") !=
        sent.end());
  CHECK(std::find(sent.begin(), sent.end(), "resource rsc_hold=foreign info=mach_down") !=
        sent.end());
  CHECK(h.rm.rsc_status() == "all");
  h.clear();
  h.peer_dead();
  CHECK(h.logged("Dead node node2 gave up resources."));
  CHECK(h.sent_lines() == Lines{"stonith node=node2 result=unneeded"});
}

TEST_CASE("flow: a lone start takes the dead peer's groups first", "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  h.peer_dead();  // initdead ran out before comm up
  CHECK(h.sent.empty());
  h.comm_up();
  Lines sent = h.sent_lines();
  REQUIRE(sent.size() >= 3);
  CHECK(sent[0] == "starting");
  CHECK(sent[1] == "stonith node=node2 result=n_stnth");
  CHECK(h.scripts.calls.front() == "rec B1 status");  // mach_down before our own groups
  CHECK(h.logged("Initial resource acquisition complete (mach_down)"));
  CHECK(h.runs("rec B1"));
  CHECK(h.runs("LabRes app2"));
  h.clear();
  h.advance(kRequestDelayMs);
  CHECK(h.logged("Local Resource acquisition completed. (none)"));
  CHECK(h.logged("local resource transition completed."));
  CHECK(h.rm.rsc_status() == "all");
}

TEST_CASE("standby refused while either side is in flux, timed out, or doubled",
          "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  settle(h);
  h.from_peer(resource("local", "0"));
  h.local(ask("all", "me"));
  CHECK(h.logged("standby message [me] from node1 ignored.  Other side is in flux."));
  h.from_peer(resource("local", "1"));
  h.clear();
  h.local(ask("all", "me"));
  CHECK(h.logged("node1 wants to go standby [all]"));
  h.local(ask("all", "me"));
  CHECK(h.logged("Standby in progress- new request from node1 ignored [10 seconds left]"));
  h.advance(kStandbyReplyMs);
  CHECK(h.logged("No reply to standby request.  Standby request cancelled."));
  CHECK(h.rm.rsc_status() == "local");
}

TEST_CASE("the peer's death cancels a standby in progress", "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  settle(h);
  h.local(ask("all", "me"));
  h.peer_dead();
  CHECK(h.logged("Cancelling pending standby operation"));
  CHECK(h.runs("rec B1"));
}

TEST_CASE("rscstatus says transition while a job runs", "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  settle(h);
  h.hold_scripts = true;
  h.local(ask("all", "me"));
  h.from_peer(ask("all", "other"));
  CHECK(h.rm.rsc_status() == "transition");
  h.hold_scripts = false;
  h.complete_held();
  h.from_peer(resource("all", "1"));
  h.from_peer(ask("all", "done"));
  CHECK(h.rm.rsc_status() == "none");
}

TEST_CASE("shutdown waits for comm up and for running jobs", "[resources]") {
  Harness h(settings_for("node1", Mode::On));
  h.shutdown();
  CHECK(h.logged("Shutdown delayed until Communication is up."));
  CHECK(h.sent.empty());
  Harness b(settings_for("node1", Mode::On));
  settle(b);
  b.hold_scripts = true;
  b.local(ask("all", "me"));
  b.from_peer(ask("all", "other"));
  b.shutdown();
  CHECK(b.logged("Shutdown delayed until current resource activity finishes."));
  b.hold_scripts = false;
  b.complete_held();
  b.from_peer(resource("all", "1"));
  b.from_peer(ask("all", "done"));
  CHECK(b.logged("Heartbeat shutdown in progress. (4242)"));
}
