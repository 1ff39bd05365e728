// The daemon's wiring with fakes, for daemon_test and daemon_reload_test:
// media that record and deliver bytes, a clock the test sets, an in-memory
// store, a fake configuration directory and a logger writing to a
// temporary directory. No root, no sockets, no sleeps: the tests call the
// entry points the loop's watchers would call.
#pragma once
#include <catch2/catch.hpp>

#include "cluster/outgoing.h"
#include "config/fake_system_probe.h"
#include "daemon/daemon.h"
#include "daemon/resource_settings.h"
#include "daemon/test_support.h"
#include "test/temp_dir.h"
#include "wire/codec.h"

namespace hbd::daemon::testing {

inline const char* const kHaCf =
    "keepalive 1\ndeadtime 10\nwarntime 5\ninitdead 20\n"
    "bcast eth0\nucast eth1 198.18.0.2\nserial /dev/ttyS0\nnode node1 node2\n";
inline const char* const kAuthkeys = "auth 1\n1 sha1 secret\n";

inline config::Validation validated() {
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
inline wire::Message from_node2(const std::string& type, uint64_t seq) {
  wire::Message m;
  m.add("t", type);
  m.add("src", "node2");
  if (seq) m.add("seq", cluster::to_hex(seq));
  m.add("hg", "200");
  m.add("ts", "6b020c99");
  return m;
}

inline wire::Message status2(uint64_t seq, const std::string& st) {
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

}  // namespace hbd::daemon::testing
