// hbd.ini monitoring (manager_monitor.cc): the periodic status, restarts
// with backoff, relocation with heartbeat's standby messages, no ping-pong,
// fail counts and their cleanup.
#include <catch2/catch.hpp>

#include "resources/manager.h"
#include "resources/test_support.h"

using namespace hbd::resources;
using namespace hbd::resources::testing;
using Lines = std::vector<std::string>;

namespace {

const char* const kKey = "IPaddr::198.18.1.200/24/eth0";  // node1's group
constexpr int64_t kInterval = 5000;

MonitorPolicy watch(OnFail on_fail = OnFail::Restart) {
  MonitorPolicy p;
  p.interval_ms = kInterval;
  p.timeout_ms = 3000;
  p.on_fail = on_fail;
  p.max_restarts = 2;
  p.restart_window_ms = 600000;
  p.backoff_ms = 1000;
  p.backoff_max_ms = 4000;
  return p;
}

// node1's group watched, every resource with the same policy.
Settings watched(const std::string& me, MonitorPolicy p = watch(), Mode mode = Mode::On) {
  Settings s = settings_for(me, mode);
  s.monitors[kKey] = {p, p, p};
  return s;
}

Lines status_calls(const Harness& h) {
  Lines out;
  for (const auto& c : h.scripts.calls)
    if (c.size() > 7 && c.compare(c.size() - 7, 7, " status") == 0) out.push_back(c);
  return out;
}

bool logged_part(const Harness& h, const std::string& part) {
  for (const auto& l : h.logs)
    if (l.find(part) != std::string::npos) return true;
  return false;
}

const GroupView::Resource& failures_of(const Harness& h, std::size_t r) {
  static std::vector<GroupView> keep;
  keep = h.rm.groups();
  return keep.at(0).resources.at(r);
}

// node1's group fails its status (on_fail=relocate) and node2 takes it.
void relocate_away(Harness& h) {
  settle(h);
  h.scripts.running["LabRes app2"] = false;
  h.advance(kInterval);
  h.from_peer(ask("local", "other"));
  h.from_peer(ask("local", "done"));
  h.from_peer(resource("all", "1"));
  h.clear();
}

// node2, where it failed too, relocates it back with hbd's reason=failure.
void hand_back_failed(Harness& h) {
  hbd::wire::Message back = ask("foreign", "me");
  back.add("reason", "failure");
  h.from_peer(back);
  h.from_peer(resource("local", "0", "standby"));
  h.from_peer(ask("foreign", "done"));
}

}  // namespace

TEST_CASE("monitor: a status every interval, only once the group is stable here", "[resources][monitor]") {
  Harness h(watched("node1"));
  both_starting(h);
  h.advance(kRequestDelayMs - 1);
  CHECK(status_calls(h).empty());  // RQSTDELAY: nothing held, nothing watched
  h.advance(1);
  h.from_peer(resource("local", "1"));
  h.clear();
  REQUIRE(h.runs("LabRes app1"));
  int64_t settled = h.now;
  CHECK(h.rm.next_deadline() == settled + kInterval);
  h.advance(kInterval - 1);
  CHECK(h.scripts.calls.empty());
  h.advance(1);
  CHECK(h.scripts.calls ==
        Lines{"IPaddr 198.18.1.200/24/eth0 status", "LabRes app1 status", "LabRes app2 status"});
  CHECK(h.rm.next_deadline() == settled + 2 * kInterval);
  CHECK(h.rm.rsc_status() == "local");  // a status is no resource activity
  h.clear();
  h.advance(kInterval);
  CHECK(h.scripts.calls.size() == 3);
  CHECK(h.logs.empty());  // healthy: silent
}

TEST_CASE("monitor: without monitors nothing is watched and no deadline is added", "[resources][monitor]") {
  Harness h(settings_for("node1", Mode::On));
  settle(h);
  CHECK(h.rm.next_deadline() == INT64_MAX);
  h.advance(10 * kInterval);
  CHECK(h.scripts.calls.empty());
  CHECK(h.rm.groups().at(0).resources.empty());
}

TEST_CASE("monitor: a failed status restarts that resource and those right of it", "[resources][monitor]") {
  Harness h(watched("node1"));
  settle(h);
  h.scripts.running["LabRes app1"] = false;  // it died
  h.advance(kInterval);
  CHECK(logged_part(h, "Resource LabRes::app1 of group " + std::string(kKey) +
                           " failed (status: output 'LabRes app1 is stopped', exit 0), failure 1: "
                           "restarting LabRes::app1 LabRes::app2 in 1.0 s (restart 1 of 2"));
  CHECK(h.rm.next_deadline() == h.now + 1000);
  h.clear();
  h.advance(999);
  CHECK(h.scripts.calls.empty());  // the backoff
  h.advance(1);
  CHECK(h.scripts.calls == Lines{"LabRes app2 stop", "LabRes app1 stop", "LabRes app1 status",
                                 "LabRes app1 start", "LabRes app2 status", "LabRes app2 start"});
  CHECK(h.runs("LabRes app1"));
  CHECK(h.runs("IPaddr 198.18.1.200/24/eth0"));
  CHECK(h.logged("Restart of resource group " + std::string(kKey) + " completed."));
  CHECK(failures_of(h, 1).fails.count == 1);
  CHECK(failures_of(h, 1).fails.reason == "status: output 'LabRes app1 is stopped', exit 0");
  CHECK(failures_of(h, 0).fails.count == 0);
  CHECK(h.rm.groups().at(0).status.state == GroupState::Running);
  CHECK(h.sent.empty());  // nothing for the peer to know
}

TEST_CASE("monitor: the backoff doubles per restart in the window, up to its cap", "[resources][monitor]") {
  MonitorPolicy p = watch();
  p.max_restarts = 10;
  Harness h(watched("node1", p));
  settle(h);
  for (const char* delay : {"in 1.0 s", "in 2.0 s", "in 4.0 s", "in 4.0 s"}) {
    h.clear();
    h.scripts.running["LabRes app2"] = false;
    h.advance(kInterval);
    CHECK(logged_part(h, "restarting LabRes::app2 " + std::string(delay)));
    h.advance(4000);
    CHECK(h.runs("LabRes app2"));
  }
  CHECK(failures_of(h, 2).fails.count == 4);
}

TEST_CASE("monitor: the restart window forgets old restarts", "[resources][monitor]") {
  MonitorPolicy p = watch();
  p.restart_window_ms = 20000;
  Harness h(watched("node1", p));
  settle(h);
  h.scripts.running["LabRes app2"] = false;
  h.advance(kInterval + 1000);
  REQUIRE(h.runs("LabRes app2"));
  h.advance(9000);
  h.scripts.running["LabRes app2"] = false;
  h.clear();
  h.advance(kInterval);  // still within the window: the second
  CHECK(logged_part(h, "restarting LabRes::app2 in 2.0 s (restart 2 of 2"));
  h.advance(25000);  // past the window: the first restarts no longer count
  h.scripts.running["LabRes app2"] = false;
  h.clear();
  h.advance(kInterval);
  CHECK(logged_part(h, "restarting LabRes::app2 in 1.0 s (restart 1 of 2"));
}

TEST_CASE("monitor: beyond max_restarts the group goes to the peer with standby messages", "[resources][monitor]") {
  Harness h(watched("node1"));
  settle(h);
  for (int i = 0; i < 2; ++i) {
    h.scripts.running["LabRes app1"] = false;
    h.advance(kInterval + 4000);
  }
  h.clear();
  h.scripts.running["LabRes app1"] = false;
  h.advance(kInterval);
  CHECK(logged_part(h, "failure 3: already restarted 2 times within 600.0 s: relocating the group"));
  CHECK(logged_part(h, "Relocating resource group " + std::string(kKey) +
                           " to node2: going standby [local], which hands over all our local groups"));
  CHECK(h.sent_lines() == Lines{"ask_resources rsc_hold=local info=me reason=failure"});
  CHECK(h.logged("node1 wants to go standby [local]"));
  h.clear();
  // The peer (heartbeat 3.0.6 or hbd) answers as to any hb_standby.
  h.from_peer(ask("local", "other"));
  CHECK(h.sent_lines() == Lines{"resource rsc_hold=none rtype=full isstable=0 info=standby",
                                "ask_resources rsc_hold=local info=done"});
  CHECK_FALSE(h.runs("LabRes app1"));
  CHECK_FALSE(h.runs("IPaddr 198.18.1.200/24/eth0"));
  h.from_peer(ask("local", "done"));
  h.from_peer(resource("all", "1"));
  CHECK(h.rm.rsc_status() == "none");
  CHECK(h.rm.groups().at(0).relocated_away);
  CHECK(h.logged("Resource group " + std::string(kKey) + " relocated to node2 after failures"));
  CHECK(failures_of(h, 1).fails.count == 3);
}

TEST_CASE("monitor: on_fail=relocate relocates at the first failure", "[resources][monitor]") {
  Harness h(watched("node1", watch(OnFail::Relocate)));
  settle(h);
  h.scripts.running["LabRes app2"] = false;
  h.advance(kInterval);
  CHECK(logged_part(h, "failure 1: on_fail=relocate: relocating the group"));
  CHECK(h.sent_lines() == Lines{"ask_resources rsc_hold=local info=me reason=failure"});
}

TEST_CASE("monitor: a relocated group is not taken back by a standby or auto failback", "[resources][monitor]") {
  Harness h(watched("node1", watch(OnFail::Relocate)));
  relocate_away(h);
  // node2 holds node1's group as foreign; its auto failback (or an admin's
  // hb_standby there) asks us to take it back: not answered.
  h.from_peer(ask("foreign", "me"));
  CHECK(h.sent.empty());
  CHECK(logged_part(h, "standby message [me] from node2 ignored: resource group " +
                           std::string(kKey) + " failed here and was relocated"));
  CHECK_FALSE(h.runs("LabRes app1"));
  // After the cleanup it may come back.
  h.event([&](Out& o) { CHECK(h.rm.cleanup(kKey, h.now, o)); });
  CHECK_FALSE(h.rm.groups().at(0).relocated_away);
  h.advance(kStandbyReplyMs);
  h.clear();
  h.from_peer(ask("foreign", "me"));
  CHECK(h.sent_lines() == Lines{"ask_resources rsc_hold=foreign info=other"});
}

TEST_CASE("monitor: failed on both nodes: handed back, it stays stopped with a CRIT line", "[resources][monitor]") {
  Harness h(watched("node1", watch(OnFail::Relocate)));
  relocate_away(h);
  hand_back_failed(h);
  CHECK(h.sent_lines().at(0) == "ask_resources rsc_hold=foreign info=other");
  CHECK(h.logged("Resource group " + std::string(kKey) +
                 " failed on both nodes: it stays stopped (hbctl cleanup " + kKey + " to try again)"));
  CHECK_FALSE(h.runs("IPaddr 198.18.1.200/24/eth0"));
  CHECK_FALSE(h.runs("LabRes app1"));
  CHECK(h.rm.groups().at(0).status.state == GroupState::Failed);
  CHECK(h.rm.groups().at(0).failed_both);
  h.from_peer(resource("none", "1"));
  CHECK(h.rm.rsc_status() == "local");  // the class is held: nobody bounces it
  // The cleanup starts it again here.
  h.clear();
  h.event([&](Out& o) { CHECK(h.rm.cleanup("", h.now, o)); });
  CHECK(h.runs("LabRes app2"));
  CHECK(failures_of(h, 2).fails.count == 0);
}

TEST_CASE("monitor: the peer dies after a relocation: the group is taken back, said so", "[resources][monitor]") {
  Harness h(watched("node1", watch(OnFail::Relocate)));
  relocate_away(h);
  h.peer_dead();
  CHECK(h.logged("node2 is dead: resource group " + std::string(kKey) +
                 " is taken back although it failed here (it may work again)"));
  CHECK(h.runs("LabRes app2"));
  CHECK(h.runs("rec B1"));
}

TEST_CASE("monitor: no peer up: a group to relocate keeps running, CRIT", "[resources][monitor]") {
  Harness h(watched("node1", watch(OnFail::Relocate)));
  settle(h);
  h.peer_dead();
  h.clear();
  h.scripts.running["LabRes app2"] = false;
  h.advance(kInterval);
  CHECK(h.logged("Resource group " + std::string(kKey) + " cannot be relocated: no peer is up to "
                 "take it; it keeps running here, degraded (relocating to nobody would stop the service)"));
  CHECK(h.runs("LabRes app1"));
  for (const auto& l : h.sent_lines()) CHECK(l.rfind("ask_resources", 0) != 0);
  // Later failures: counted, no CRIT flood, nothing restarted.
  h.clear();
  h.advance(kInterval);
  CHECK(logged_part(h, "failure 2: it keeps running here, degraded (nothing more is done until "
                       "hbctl cleanup or a peer can take it)"));
  CHECK(status_calls(h) == h.scripts.calls);
  CHECK(h.logs.size() == 1);
}

TEST_CASE("monitor: on_fail=ignore only logs and counts", "[resources][monitor]") {
  Harness h(watched("node1", watch(OnFail::Ignore)));
  settle(h);
  h.scripts.running["LabRes app2"] = false;
  h.advance(kInterval);
  CHECK(logged_part(h, "failure 1: on_fail=ignore, nothing done"));
  h.advance(kInterval);
  for (const auto& c : h.scripts.calls) CHECK(c.find("status") != std::string::npos);
  CHECK(failures_of(h, 2).fails.count == 2);
  CHECK(h.sent.empty());
}

TEST_CASE("monitor: a status that times out is a failure", "[resources][monitor]") {
  Harness h(watched("node1"));
  settle(h);
  h.scripts.hang_status.insert("LabRes app1");
  h.advance(kInterval);
  CHECK(logged_part(h, "Resource LabRes::app1 of group " + std::string(kKey) +
                           " failed (status: timed out after 3.0 s), failure 1"));
}

TEST_CASE("monitor: a status never overlaps a stop; the pending ones are dropped", "[resources][monitor]") {
  Harness h(watched("node1"));
  settle(h);
  h.hold_scripts = true;
  h.advance(kInterval);
  REQUIRE(h.held.size() == 1);  // one at a time: the first status runs
  h.scripts.running["LabRes app1"] = false;  // what a half-stopped group would say
  h.shutdown();  // a stop of every group begins
  CHECK(h.held.size() == 1);
  h.complete_held();
  // The running status ended first; the two queued were dropped; its
  // verdict is moot (the group is going).
  Lines calls = h.scripts.calls;
  REQUIRE(calls.size() >= 2);
  CHECK(calls[0] == "IPaddr 198.18.1.200/24/eth0 status");
  CHECK(calls[1] == "LabRes app2 stop");
  CHECK(status_calls(h).size() == 1);
  CHECK_FALSE(logged_part(h, "failed (status"));
}

TEST_CASE("monitor: a failure during a start is no status failure; no status while starting", "[resources][monitor]") {
  Harness h(watched("node1"));
  h.hold_scripts = true;
  both_starting(h);
  h.advance(kRequestDelayMs);
  h.from_peer(resource("local", "1"));
  // The start runs a script at a time; time passes meanwhile.
  for (int i = 0; i < 10 && !h.held.empty(); ++i) {
    h.advance(kInterval);
    CHECK(h.held.size() == 1);
    ScriptCall c = h.held.front();
    h.held.pop_front();
    ScriptOutcome o = h.scripts.run(c);
    h.event([&](Out& out) { h.rm.on_script_done(o, h.now, out); });
  }
  int statuses_of_start = static_cast<int>(status_calls(h).size());
  CHECK(statuses_of_start == 4);  // the key's, then one per resource before its start
}

TEST_CASE("monitor: a restart whose start fails gives the group up and counts", "[resources][monitor]") {
  Harness h(watched("node1"));
  settle(h);
  h.scripts.running["LabRes app2"] = false;
  h.scripts.fail_start.insert("LabRes app2");
  h.advance(kInterval + 1000);
  CHECK(h.logged("Giving up resources due to failure of LabRes::app2"));
  CHECK(h.rm.groups().at(0).status.state == GroupState::Failed);
  CHECK(failures_of(h, 2).fails.count == 2);
  CHECK(failures_of(h, 2).fails.reason == "start failed during a restart");
  CHECK_FALSE(h.runs("IPaddr 198.18.1.200/24/eth0"));
  h.clear();
  h.advance(kFailedStartStandbyMs);  // as after any failed start
  CHECK(h.logged("Going standby [foreign]."));
}

TEST_CASE("monitor: cleanup of one resource or of all", "[resources][monitor]") {
  Harness h(watched("node1", watch(OnFail::Ignore)));
  settle(h);
  h.scripts.running["LabRes app2"] = false;
  h.scripts.running["LabRes app1"] = false;
  h.advance(kInterval);
  CHECK(failures_of(h, 1).fails.count == 1);
  CHECK(failures_of(h, 2).fails.count == 1);
  CHECK(failures_of(h, 2).fails.last_ms == h.now);
  h.event([&](Out& o) { CHECK(h.rm.cleanup("LabRes::app2", h.now, o)); });
  CHECK(h.logged("Fail counts of LabRes::app2 cleaned up"));
  CHECK(failures_of(h, 1).fails.count == 1);
  CHECK(failures_of(h, 2).fails.count == 0);
  CHECK(failures_of(h, 2).fails.last_ms == -1);
  h.event([&](Out& o) { CHECK(h.rm.cleanup("", h.now, o)); });
  CHECK(failures_of(h, 1).fails.count == 0);
  h.event([&](Out& o) { CHECK_FALSE(h.rm.cleanup("nosuch", h.now, o)); });
}

TEST_CASE("monitor: legacy mode cannot relocate: CRIT, keeps running", "[resources][monitor]") {
  Harness h(watched("node1", watch(OnFail::Relocate), Mode::Legacy));
  h.peer_status("active");
  h.comm_up();
  h.from_peer(make_message("ip-request-resp", {{"dest", "node1"}, {"ipaddr", kKey}, {"weown", "no"}, {"ok", "OK"}}));
  REQUIRE(h.runs("LabRes app2"));
  h.clear();
  h.scripts.running["LabRes app2"] = false;
  h.advance(kInterval);
  CHECK(logged_part(h, "cannot be relocated: handing a group to the peer needs heartbeat's standby"));
}

TEST_CASE("monitor: failed on both, then the peer dies: started again here", "[resources][monitor]") {
  Harness h(watched("node1", watch(OnFail::Relocate)));
  relocate_away(h);
  hand_back_failed(h);
  REQUIRE(h.rm.groups().at(0).failed_both);
  h.scripts.running["LabRes app2"] = false;
  h.clear();
  h.peer_dead();
  CHECK(h.logged("Starting resource group " + std::string(kKey) + " again: its peer is dead"));
  CHECK(h.runs("LabRes app2"));
  CHECK_FALSE(h.rm.groups().at(0).failed_both);
}

TEST_CASE("monitor: a relocation the peer does not answer: the group stays and is watched", "[resources][monitor]") {
  Harness h(watched("node1", watch(OnFail::Relocate)));
  settle(h);
  h.scripts.running["LabRes app2"] = false;
  h.advance(kInterval);
  REQUIRE(h.sent_lines() == Lines{"ask_resources rsc_hold=local info=me reason=failure"});
  h.clear();
  h.advance(kInterval);
  CHECK(status_calls(h).empty());  // the standby is pending: nothing watched
  h.scripts.running["LabRes app2"] = true;  // it came back meanwhile
  h.advance(kStandbyReplyMs - kInterval);
  CHECK(h.logged("No reply to standby request.  Standby request cancelled."));
  CHECK(h.logged("Resource group " + std::string(kKey) + " was not taken by the peer: it keeps running here"));
  CHECK_FALSE(h.rm.groups().at(0).relocated_away);
  h.clear();
  h.advance(kInterval);
  CHECK(status_calls(h).size() == 3);
  CHECK(h.sent.empty());
}
