// The daemon's wiring with fakes (daemon/daemon_fixture.h); the SIGHUP
// tests are in daemon_reload_test.cc.
#include "daemon/daemon.h"

#include <signal.h>

#include <catch2/catch.hpp>

#include "daemon/daemon_fixture.h"

using namespace hbd;
using namespace hbd::daemon;
using namespace hbd::daemon::testing;

TEST_CASE("daemon: start opens every medium and sends the first heartbeats on each",
          "[daemon]") {
  Fixture f;
  f.start();
  CHECK(f.medium(0).name() == "eth0");
  CHECK(f.medium(1).name() == "eth1");
  CHECK(f.medium(2).name() == "/dev/ttyS0");
  for (size_t i = 0; i < 3; ++i) CHECK(f.medium(i).started);
  CHECK(f.store.files.count(io::kGenerationFile) == 1);
  CHECK(f.logged("heartbeat: version 9.9"));
  CHECK(f.logged("Heartbeat generation: " + std::to_string(f.clock.wall)));
  // init, up, up on every medium, in each medium's encoding (an ack of our
  // own loopback copy may follow, depending on the random ack trigger).
  for (size_t i = 0; i < 3; ++i) {
    auto sent = f.sent_on(i, f.auth);
    REQUIRE(sent.size() >= 3);
    CHECK(sent.size() == f.medium(0).sent.size());
    CHECK(sent[0].get_or("st", "") == "init");
    CHECK(sent[2].get_or("seq", "") == "3");
    CHECK(sent[2].get_or("ts", "") == cluster::to_hex(static_cast<uint64_t>(f.clock.wall)));
  }
  CHECK(f.medium(0).sent == f.medium(1).sent);
  CHECK(wire::decode(f.medium(0).sent[0], f.auth).encoding == wire::Encoding::Netstring);
  wire::DecodeResult tty = wire::decode(f.medium(2).sent[0], f.auth);
  CHECK(tty.encoding == wire::Encoding::Classic);
  CHECK(tty.auth_place == wire::AuthPlace::InnerField);
  CHECK(f.medium(2).sent[0].find('\0') == std::string::npos);
}

TEST_CASE("daemon: the tick timer is armed from the Clock's time to the next deadline",
          "[daemon]") {
  Fixture f;
  f.start();
  CHECK(f.daemon->tick_wait_ms() == f.daemon->membership()->next_deadline() - f.clock.mono);
  size_t sent_at_start = f.medium(0).sent.size();
  f.clock.advance_to(f.clock.mono + 100);
  f.daemon->on_tick();  // early: nothing is due yet
  CHECK(f.medium(0).sent.size() == sent_at_start);
  CHECK(f.daemon->tick_wait_ms() == f.daemon->membership()->next_deadline() - f.clock.mono);
  f.clock.advance_to(f.clock.mono + 3000);  // a late wake-up waits 0, never less
  f.daemon->on_tick();
  CHECK(f.daemon->tick_wait_ms() >= 0);
}

TEST_CASE("daemon: ticks on the fake clock send a heartbeat every keepalive", "[daemon]") {
  Fixture f;
  f.start();
  int64_t t0 = f.clock.mono;
  std::vector<int64_t> status_times;
  for (int64_t t = f.daemon->membership()->next_deadline(); t <= t0 + 8000;
       t = f.daemon->membership()->next_deadline()) {
    size_t before = f.medium(0).sent.size();
    f.clock.advance_to(t);
    f.daemon->on_tick();
    for (size_t i = before; i < f.medium(0).sent.size(); ++i)
      if (wire::decode(f.medium(0).sent[i], f.auth).msg.get_or("t", "") == "status")
        status_times.push_back(t - t0);
  }
  // One per second, and at 5 s the extra one announcing the real deadtime.
  CHECK(status_times ==
        std::vector<int64_t>{1000, 2000, 3000, 4000, 5000, 5000, 6000, 7000, 8000});
  CHECK(f.medium(2).sent.size() == f.medium(0).sent.size());
}

TEST_CASE("daemon: a peer's status on a medium reaches the membership core", "[daemon]") {
  Fixture f;
  f.start();
  f.hear(status2(1, "up"), 1);
  CHECK(f.logged("Link node2:eth1 up."));
  CHECK(f.logged("Status update for node node2: status up"));
  control::Snapshot s = f.daemon->snapshot();
  REQUIRE(s.nodes.size() == 2);
  CHECK(s.nodes[1].name == "node2");
  CHECK(s.nodes[1].status == "up");
  REQUIRE(s.nodes[1].links.size() == 3);
  CHECK(s.nodes[1].links[0].status == "dead");  // eth0: nothing heard there
  CHECK(s.nodes[1].links[1].name == "eth1");
  CHECK(s.nodes[1].links[1].status == "up");
  CHECK(s.nodes[1].links[2].name == "/dev/ttyS0");
  CHECK(f.daemon->intake().counters().accepted == 1);
}

TEST_CASE("daemon: packets with a wrong key are dropped and counted", "[daemon]") {
  Fixture f;
  f.start();
  wire::AuthConfig other;
  other.active = 1;
  other.keys[1] = {wire::AuthMethod::Sha1, "not the secret"};
  f.medium(0).deliver(wire::encode_netstring(status2(1, "up"), other, true));
  CHECK(f.daemon->intake().counters().rejected == 1);
  CHECK(f.daemon->snapshot().nodes[1].status != "up");
}

TEST_CASE("daemon: a retransmission request is served with the bytes first sent", "[daemon]") {
  Fixture f;
  f.start();
  f.hear(status2(1, "up"));
  std::vector<std::string> first;  // our seq 2 on each medium
  for (size_t i = 0; i < 3; ++i) first.push_back(f.medium(i).sent.at(1));
  REQUIRE(wire::decode(first[0], f.auth).msg.get_or("seq", "") == "2");
  // Unrelated messages go out in between: a heartbeat, and the wall clock moves on.
  f.clock.wall += 7;
  f.run_until(f.clock.mono + 1000);
  REQUIRE(f.medium(0).sent.size() > 3);
  wire::Message req = from_node2("NS_rexmit", 0);
  req.add("dest", "node1");
  req.add("firstseq", "2");
  req.add("lastseq", "2");
  size_t before = f.medium(0).sent.size();
  auto sent_before = f.daemon->snapshot().counters.at("sent: messages");
  f.hear(req);
  for (size_t i = 0; i < 3; ++i) {
    REQUIRE(f.medium(i).sent.size() == before + 1);
    CHECK(f.medium(i).sent.back() == first[i]);
  }
  // Counted once, whatever the number of media: a retransmission, not a fresh send.
  auto counters = f.daemon->snapshot().counters;
  CHECK(counters.at("sent: retransmissions") == 1);
  CHECK(counters.at("sent: messages") == sent_before);
  CHECK(sent_before == before);
  CHECK(counters.at("sent: rexmit requests") == 0);
  CHECK(counters.at("late heartbeats") == 0);
}

TEST_CASE("daemon: SIGUSR1 and SIGUSR2 raise and lower the debug level", "[daemon]") {
  Fixture f;
  f.start();
  f.daemon->on_signal(SIGUSR1);
  CHECK(f.daemon->debug_level() == 1);
  CHECK(f.logged("info: debug now set to 1 [pid "));
  f.daemon->on_signal(SIGUSR2);
  f.daemon->on_signal(SIGUSR2);
  CHECK(f.daemon->debug_level() == 0);
}

TEST_CASE("daemon: SIGTERM waits for comm up, then stops", "[daemon]") {
  Fixture f;
  f.start();
  f.daemon->on_signal(SIGTERM);
  CHECK(f.logged("WARN: Shutdown delayed until Communication is up."));
  CHECK_FALSE(f.daemon->stopping());
  f.bring_up();
  CHECK(f.logged("Heartbeat shutdown in progress."));
  CHECK(f.host.clients_started == 1);
  CHECK_FALSE(f.logged("node1 Heartbeat shutdown complete."));
  f.run_until(f.clock.mono + 1100);  // heartbeat's second after our shutdone
  CHECK(f.logged("node1 Heartbeat shutdown complete."));
  CHECK(f.host.clients_stopped == 1);
  CHECK(f.daemon->stopping());
  CHECK(f.daemon->exit_reason() == DaemonExit::Stopped);
  CHECK(f.daemon->tick_wait_ms() == -1);
}

TEST_CASE("daemon: the snapshot names every medium and the settings", "[daemon]") {
  Fixture f;
  control::Snapshot before = f.daemon->snapshot();
  CHECK(before.nodes.empty());
  CHECK(before.version == "9.9");
  f.start();
  f.bring_up();
  control::Snapshot s = f.daemon->snapshot();
  CHECK(s.local_node == "node1");
  CHECK(s.comm_up);
  CHECK(s.parameters.at("keepalive") == "1");
  REQUIRE(s.nodes.size() == 2);
  CHECK(s.nodes[0].status == "active");
  CHECK(s.nodes[1].status == "up");
  std::vector<std::string> links;
  for (const auto& l : s.nodes[1].links) links.push_back(l.name + "=" + l.status);
  CHECK(links == std::vector<std::string>{"eth0=up", "eth1=dead", "/dev/ttyS0=dead"});
}

TEST_CASE("daemon: a group's scripts run through the runner, exact argv and environment",
          "[daemon]") {
  Fixture f("node1 rec::A1 rec::A2\n");
  f.start();
  f.bring_up();  // legacy, node2 only "up": we take our groups directly
  REQUIRE(f.scripts.started.size() == 1);
  const io::ScriptSpec& status = f.scripts.started[0];
  CHECK(status.argv == std::vector<std::string>{"/rsc/rec", "A1", "status"});
  CHECK(status.capture_stdout);
  CHECK(status.cwd == "/var/lib/heartbeat/cores/root");
  auto has = [&](const io::ScriptSpec& s, const std::string& e) {
    return std::find(s.env.begin(), s.env.end(), e) != s.env.end();
  };
  CHECK(has(status, "HA_CURHOST=node1"));
  CHECK(has(status, "PATH=/bin"));
  CHECK(has(status, "HA_keepalive=1"));
  // The key's status (req_resource), then the group: status, start each.
  f.scripts.complete(3, "A1 is stopped");
  f.scripts.complete(3, "A1 is stopped");
  REQUIRE(f.scripts.started.size() == 3);
  CHECK(f.scripts.started[2].argv == std::vector<std::string>{"/rsc/rec", "A1", "start"});
  CHECK_FALSE(f.scripts.started[2].capture_stdout);
  f.scripts.complete(0);
  f.scripts.complete(3, "A2 is stopped");
  f.scripts.complete(0);
  CHECK(f.logged("info: Acquiring resource group: node1 rec::A1 rec::A2"));
  CHECK(f.logged("info: Running /rsc/rec A1 start"));
  control::Snapshot s = f.daemon->snapshot();
  REQUIRE(s.groups.size() == 1);
  CHECK(s.groups[0].state == "running");
  CHECK(s.groups[0].owner == "node1");
  CHECK(s.rsc_status == "none");  // legacy, as heartbeat

  // SIGTERM: both stopped right to left, then shutdone, then exit.
  f.daemon->on_signal(SIGTERM);
  REQUIRE(f.scripts.started.size() == 6);
  CHECK(f.scripts.started[5].argv == std::vector<std::string>{"/rsc/rec", "A2", "stop"});
  f.scripts.complete(0);
  f.scripts.complete(0);
  CHECK(f.logged("All HA resources relinquished."));
  bool shutdone = false;
  for (const auto& m : f.sent_on(0, f.auth)) shutdone |= m.get_or("t", "") == "shutdone";
  CHECK(shutdone);
  f.run_until(f.clock.mono + 1100);
  CHECK(f.daemon->exit_reason() == DaemonExit::Stopped);
}

TEST_CASE("daemon: a stop that keeps failing reboots and kills the daemon", "[daemon]") {
  Fixture f("node1 rec::A1\n");
  f.start();
  f.bring_up();
  f.scripts.complete(3, "A1 is stopped");
  f.scripts.complete(3, "A1 is stopped");
  f.scripts.complete(0);
  f.daemon->on_signal(SIGTERM);
  f.scripts.complete(1);                    // stop fails
  f.run_until(f.clock.mono + 1000);         // one retry (HA_STOPRETRYMAX 1)
  f.scripts.complete(1);
  f.scripts.complete(0, "A1 is running");   // still running: heartbeat's verdict
  CHECK(f.logged("CRIT: Resource STOP failure. Reboot required!"));
  CHECK(f.host.reboots == 1);
  CHECK(f.daemon->exit_reason() == DaemonExit::Killed);
}

TEST_CASE("daemon: FIFO messages go to the cluster as ours", "[daemon]") {
  Fixture f;
  f.start();
  f.bring_up();
  f.daemon->on_fifo_message(hbd::resources::make_message("ask_resources",
                                                         {{"rsc_hold", "all"}, {"info", "me"}}));
  CHECK(f.logged("Standby mode only implemented when nice_failback on"));
  bool sent = false;
  for (const auto& m : f.sent_on(0, f.auth)) sent |= m.get_or("t", "") == "ask_resources";
  CHECK(sent);
  f.daemon->on_fifo_message(hbd::resources::make_message("status", {{"st", "dead"}}));
  CHECK(f.logged("WARN: Message from the FIFO dropped: message type status is heartbeat's own protocol"));
}

// Idle, the loop's only timer fires for our own heartbeat: deaths and link
// expiries are deadlines of their own, not a 250 ms poll (heartbeat 3.0.6's).
TEST_CASE("daemon: idle, the timer wakes once per keepalive, to send", "[daemon]") {
  Fixture f;
  f.start();
  f.bring_up();
  uint64_t seq = 3;  // after bring_up's status 1 and repnodes 2
  int64_t t0 = f.clock.mono;
  int64_t next_packet = t0 + 400;  // node2 sends every keepalive, out of phase
  int wakes = 0, wakes_without_send = 0;
  while (f.clock.mono < t0 + 60000) {
    int64_t next_tick = f.clock.mono + f.daemon->tick_wait_ms();  // what the timer was armed with
    if (next_packet <= next_tick) {
      f.clock.advance_to(next_packet);
      f.hear(status2(seq++, "active"));
      next_packet += 1000;
      continue;
    }
    size_t sent_before = f.sent_on(0, f.auth).size();
    f.clock.advance_to(next_tick);
    f.daemon->on_tick();
    ++wakes;
    bool sent_status = false;
    auto sent = f.sent_on(0, f.auth);
    for (size_t i = sent_before; i < sent.size(); ++i)
      sent_status = sent_status || sent[i].get_or("t", "") == "status";
    if (!sent_status) ++wakes_without_send;
  }
  CHECK(f.daemon->membership()->nodes().find("node2")->status == "active");
  CHECK(wakes <= 61);  // 60 keepalives (+1 at the window's edge); a 250 ms poll makes 240
  CHECK(wakes_without_send == 0);
}

// heartbeat 3.0.6 notices a death at its next 250 ms check; the timer here is
// armed for the first ms past the deadtime (10 s) after node2's last status.
TEST_CASE("daemon: a silent peer is declared dead at its last status + deadtime + 1 ms",
          "[daemon]") {
  Fixture f;
  f.start();
  f.bring_up();
  f.clock.advance_to(f.clock.mono + 123);
  int64_t last = f.clock.mono;
  f.hear(status2(3, "active"));
  f.run_until(last + 10000);
  CHECK(f.daemon->membership()->next_deadline() == last + 10001);
  f.daemon->on_tick();  // at exactly deadtime of silence: still alive
  CHECK_FALSE(f.logged("node node2: is dead"));
  CHECK(f.daemon->tick_wait_ms() == 1);
  f.clock.advance_to(last + 10001);
  f.daemon->on_tick();
  CHECK(f.logged("node node2: is dead"));
}
