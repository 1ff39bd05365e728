// The daemon's wiring with fakes: media that record and deliver bytes, a
// clock the test sets, an in-memory store, a fake configuration directory
// and a logger writing to a temporary directory. No root, no sockets, no
// sleeps: the test calls the entry points the loop's watchers would call.
#include "daemon/daemon.h"

#include <signal.h>

#include <catch2/catch.hpp>

#include "cluster/outgoing.h"
#include "daemon/resource_settings.h"
#include "config/fake_system_probe.h"
#include "daemon/test_support.h"
#include "test/temp_dir.h"
#include "wire/codec.h"

using namespace hbd;
using namespace hbd::daemon;
using namespace hbd::daemon::testing;

namespace {

const char* const kHaCf =
    "keepalive 1\ndeadtime 10\nwarntime 5\ninitdead 20\n"
    "bcast eth0\nucast eth1 198.18.0.2\nserial /dev/ttyS0\nnode node1 node2\n";
const char* const kAuthkeys = "auth 1\n1 sha1 secret\n";

config::Validation validated() {
  config::FakeSystemProbe probe;
  probe.interfaces.insert("eth1");
  probe.files["/cfg/ha.cf"] = {kHaCf, 0644};
  probe.files["/cfg/authkeys"] = {kAuthkeys, 0600};
  config::ValidateOptions options;
  options.dir = "/cfg";
  options.resources = false;
  config::Validation v = config::validate_config(options, probe);
  REQUIRE(v.exit_code == config::kExitStarted);
  return v;
}

// A message as node2 (generation 0x200) would send it.
wire::Message from_node2(const std::string& type, uint64_t seq) {
  wire::Message m;
  m.add("t", type);
  m.add("src", "node2");
  if (seq) m.add("seq", cluster::to_hex(seq));
  m.add("hg", "200");
  m.add("ts", "6b020c99");
  return m;
}

wire::Message status2(uint64_t seq, const std::string& st) {
  wire::Message m = from_node2("status", seq);
  m.add("st", st);
  m.add("dt", "2710");
  m.add("protocol", "1");
  return m;
}

struct Fixture {
  explicit Fixture(std::string haresources = "") { init(haresources); }
  hbd::testing::TempDir dir{"hbd-daemon"};
  log::Logger logger{log::Origin{"heartbeat", "node1", 4242}, [] { return std::time_t{0}; }};
  io::MemoryStore store;
  FakeClock clock;
  FakeMediaFactory factory;
  FakeConfigDir config;
  FakeScriptRunner scripts;
  FakeArp arp;
  FakeHost host;
  struct ev_loop* loop = ev_loop_new(EVFLAG_AUTO);
  std::unique_ptr<Daemon> daemon;
  wire::AuthConfig auth;

  void init(const std::string& haresources) {
    log::Destinations to_files;
    to_files.logfile = dir.path() + "/ha-log";
    logger.configure(to_files);
    DaemonSettings settings;
    settings.validation = validated();
    settings.validation.groups = config::parse_haresources(haresources, "haresources").groups;
    settings.version = "9.9";
    settings.random_seed = 1;
    ResourceTuning tuning;
    tuning.stop_retries = 1;
    ResourceStart start;
    start.pid = 4242;
    settings.resources = make_resource_settings(settings.validation,
                                                script_places("/cfg", tuning), tuning, start);
    settings.locate = [](const std::string& s) -> std::optional<std::string> {
      return "/rsc/" + s;
    };
    settings.script_env = script_environment(settings.validation, "/cfg", 0, {"PATH=/bin"});
    settings.script_cwd = "/var/lib/heartbeat/cores/root";
    auth = settings.validation.auth;
    daemon = std::make_unique<Daemon>(
        loop, DaemonAdapters{logger, store, clock, factory, config, scripts, arp, host},
        std::move(settings));
  }
  ~Fixture() {
    daemon.reset();
    ev_loop_destroy(loop);
  }
  void start() {
    REQUIRE(daemon->start());
    REQUIRE(factory.made.size() == 3);
  }
  FakeMedium& medium(size_t i) { return *factory.made.at(i); }
  std::string log_text() { return hbd::testing::read_file(dir.path() + "/ha-log"); }
  bool logged(const std::string& text) { return log_text().find(text) != std::string::npos; }
  // node2's message arriving on the bcast medium at the current time.
  void hear(const wire::Message& m, size_t on = 0) {
    medium(on).deliver(wire::encode_netstring(m, auth, true));
  }
  // Ticks at every deadline up to `until`, as the timer would fire.
  void run_until(int64_t until) {
    for (int64_t t = daemon->membership()->next_deadline(); t <= until && !daemon->stopping();
         t = daemon->membership()->next_deadline()) {
      clock.advance_to(t);
      daemon->on_tick();
    }
    clock.advance_to(until);
  }
  // The messages medium `i` was sent, decoded with `keys`.
  std::vector<wire::Message> sent_on(size_t i, const wire::AuthConfig& keys) {
    std::vector<wire::Message> out;
    for (const auto& bytes : medium(i).sent) {
      wire::DecodeResult d = wire::decode(bytes, keys);
      REQUIRE(d.ok());
      out.push_back(d.msg);
    }
    return out;
  }
  // node2 heard, its repnodes answered: comm up at the next heartbeat.
  void bring_up() {
    int64_t t0 = clock.mono;
    hear(status2(1, "up"));
    run_until(t0 + 300);
    wire::Message rep = from_node2("repnodes", 2);
    rep.add("dest", "node1");
    rep.add("nodelist", "node1 node2 ");
    hear(rep);
    run_until(t0 + 1000);
    REQUIRE(daemon->membership()->comm_up());
  }
};

}  // namespace

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
  f.hear(req);
  for (size_t i = 0; i < 3; ++i) {
    REQUIRE(f.medium(i).sent.size() == before + 1);
    CHECK(f.medium(i).sent.back() == first[i]);
  }
}

TEST_CASE("daemon: SIGHUP with nothing changed", "[daemon]") {
  Fixture f;
  f.start();
  f.daemon->on_signal(SIGHUP);
  CHECK(f.logged("info: Configuration unchanged."));
  CHECK(f.config.validations == 0);
  CHECK_FALSE(f.daemon->stopping());
}

TEST_CASE("daemon: SIGHUP after an authkeys change signs with the new key", "[daemon]") {
  Fixture f;
  f.start();
  f.config.times.authkeys = {101, 0};
  f.config.authkeys = {0, "auth 2\n2 md5 other\n", 0600};
  f.daemon->on_signal(SIGHUP);
  CHECK(f.logged("info: Rereading authentication file."));
  CHECK(f.daemon->wire_settings().auth.active == 2);
  f.run_until(f.clock.mono + 1000);
  wire::DecodeResult d = wire::decode(f.medium(0).sent.back(), f.daemon->wire_settings().auth);
  CHECK(d.ok());
  CHECK(d.auth_index == 2);
  CHECK_FALSE(wire::decode(f.medium(0).sent.back(), f.auth).ok());
  f.daemon->on_signal(SIGHUP);
  CHECK(f.logged("info: Configuration unchanged."));
}

// One rule for UDP and serial: every send, a retransmission too, is signed
// with the keys of the moment (heartbeat re-signs what it retransmits).
TEST_CASE("daemon: after an authkeys change retransmissions carry the new key on every medium",
          "[daemon]") {
  Fixture f;
  f.start();
  f.hear(status2(1, "up"));
  std::vector<std::string> first;  // our seq 2 on each medium, signed with key 1
  for (size_t i = 0; i < 3; ++i) first.push_back(f.medium(i).sent.at(1));
  f.config.times.authkeys = {101, 0};
  f.config.authkeys = {0, "auth 2\n2 md5 other\n", 0600};
  f.daemon->on_signal(SIGHUP);
  const wire::AuthConfig& now = f.daemon->wire_settings().auth;
  REQUIRE(now.active == 2);
  wire::Message req = from_node2("NS_rexmit", 0);
  req.add("dest", "node1");
  req.add("firstseq", "2");
  req.add("lastseq", "2");
  f.medium(0).deliver(wire::encode_netstring(req, now, true));
  for (size_t i = 0; i < 3; ++i) {
    INFO("medium " << i);
    const std::string& again = f.medium(i).sent.back();
    wire::DecodeResult d = wire::decode(again, now);
    REQUIRE(d.ok());
    CHECK(d.auth_index == 2);
    CHECK(d.msg.get_or("seq", "") == "2");
    wire::Message was = wire::decode(first[i], f.auth).msg;
    was.remove("auth");
    d.msg.remove("auth");
    CHECK(d.msg == was);  // the message as first sent, signed anew
    CHECK_FALSE(wire::decode(again, f.auth).ok());
  }
}

TEST_CASE("daemon: SIGHUP with a bad authkeys keeps the keys", "[daemon]") {
  Fixture f;
  f.start();
  f.config.times.authkeys = {101, 0};
  f.config.authkeys = {0, "auth 2\n2 md5 other\n", 0644};
  f.daemon->on_signal(SIGHUP);
  CHECK(f.logged("ERROR: Cannot reread /cfg/authkeys: keeping the current keys"));
  CHECK(f.daemon->wire_settings().auth.active == 1);
}

TEST_CASE("daemon: SIGHUP after a valid ha.cf change leaves the loop to re-exec", "[daemon]") {
  Fixture f;
  f.start();
  f.config.times.hacf = {101, 0};
  f.daemon->on_signal(SIGHUP);
  CHECK(f.config.validations == 1);
  CHECK(f.logged("info: Heartbeat restart triggered.\n"));
  CHECK(f.logged("info: Restarting heartbeat.\n"));
  CHECK(f.daemon->stopping());
  CHECK(f.daemon->exit_reason() == DaemonExit::Restart);
  size_t sent = f.medium(0).sent.size();
  f.hear(status2(1, "up"));  // a stopping daemon takes nothing in
  f.daemon->on_tick();
  CHECK(f.medium(0).sent.size() == sent);
  CHECK(f.daemon->intake().counters().accepted == 0);
}

TEST_CASE("daemon: SIGHUP after a bad ha.cf change keeps running", "[daemon]") {
  Fixture f;
  f.start();
  f.config.times.hacf = {101, 0};
  f.config.validates = false;
  f.daemon->on_signal(SIGHUP);
  CHECK(f.logged("ERROR: Config errors: ha.cf not reloaded"));
  CHECK_FALSE(f.daemon->stopping());
  f.daemon->on_signal(SIGHUP);  // the same bad file is not validated again
  CHECK(f.config.validations == 1);
  CHECK(f.logged("info: Configuration unchanged."));
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
