// Fakes for the daemon's adapters: a clock the test sets, media that record
// what they were sent and deliver what the test gives them, the factory
// that makes them, and a configuration directory described by fields.
#pragma once
#include "daemon/host.h"
#include "io/arp_announcer.h"
#include "io/script_runner.h"
#include <catch2/catch.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "daemon/config_dir.h"
#include "daemon/media.h"
#include "io/clock.h"
#include "io/medium.h"

namespace hbd::daemon::testing {

class FakeClock : public io::Clock {
 public:
  int64_t monotonic_ms() const override { return mono; }
  int64_t wall_seconds() const override { return wall; }
  void advance_to(int64_t ms) {
    wall += (ms - mono) / 1000;
    mono = ms;
  }
  int64_t mono = 1000000;
  int64_t wall = 1700000000;
};

class FakeMedium : public io::Medium {
 public:
  FakeMedium(std::string name, io::WireFormat format, OnPacket on_packet)
      : name_(std::move(name)), format_(format), on_packet_(std::move(on_packet)) {}
  void start() override { started = true; }
  const std::string& name() const override { return name_; }
  void send(std::string_view bytes) override { sent.emplace_back(bytes); }
  bool is_open() const override { return started; }
  io::WireFormat format() const override { return format_; }
  // As if `bytes` had arrived on this medium.
  void deliver(const std::string& bytes) { on_packet_(bytes, name_); }

  bool started = false;
  std::vector<std::string> sent;

 private:
  std::string name_;
  io::WireFormat format_;
  OnPacket on_packet_;
};

class FakeMediaFactory : public MediaFactory {
 public:
  std::unique_ptr<io::Medium> udp(const io::UdpSpec& spec, io::Medium::OnPacket on_packet,
                                  io::Medium::OnLog) override {
    return keep(std::make_unique<FakeMedium>(spec.dev, io::WireFormat::UdpNetstring,
                                             std::move(on_packet)));
  }
  std::unique_ptr<io::Medium> serial(const serial::PortSpec& spec, io::Medium::OnPacket on_packet,
                                     io::Medium::OnLog) override {
    return keep(std::make_unique<FakeMedium>(spec.path, io::WireFormat::SerialClassic,
                                             std::move(on_packet)));
  }
  // Everything made, in order; owned by the daemon.
  std::vector<FakeMedium*> made;

 private:
  std::unique_ptr<io::Medium> keep(std::unique_ptr<FakeMedium> medium) {
    made.push_back(medium.get());
    return medium;
  }
};

// A directory whose check ends when the test says (finish_check).
class FakeConfigDir : public ConfigDir {
 public:
  ConfigTimes mtimes() const override { return times; }
  void check_hacf(Verdict done) override {
    ++checks;
    REQUIRE_FALSE(pending);
    pending = std::move(done);
  }
  void cancel_check() override { pending = nullptr; }
  config::FileContent read_authkeys() const override { return authkeys; }
  std::string authkeys_path() const override { return "/cfg/authkeys"; }
  // The running check ends with `verdict`.
  void finish_check(const HacfVerdict& verdict) {
    REQUIRE(pending);
    Verdict done = std::move(pending);
    pending = nullptr;
    done(verdict);
  }

  ConfigTimes times{{100, 0}, {100, 0}, {0, 0}};
  config::FileContent authkeys;
  int checks = 0;
  Verdict pending;
};

// Records every script; the test finishes them with complete().
class FakeScriptRunner : public io::ScriptRunner {
 public:
  void run(const io::ScriptSpec& spec, Done done) override {
    started.push_back(spec);
    pending.emplace_back(spec, std::move(done));
  }
  bool busy() const override { return !pending.empty(); }
  void terminate_all() override { pending.clear(); }
  // Finishes the oldest running script with `exit_code` (stdout `out`).
  void complete(int exit_code = 0, const std::string& out = "") {
    REQUIRE_FALSE(pending.empty());
    auto [spec, done] = std::move(pending.front());
    pending.erase(pending.begin());
    io::ScriptResult r;
    r.id = spec.id;
    r.exit_code = exit_code;
    r.stdout_text = out;
    done(r);
  }
  std::vector<io::ScriptSpec> started;
  std::vector<std::pair<io::ScriptSpec, Done>> pending;
};

class FakeArp : public io::ArpAnnouncer {
 public:
  void announce(const std::vector<std::string>& ips) override {
    announced.insert(announced.end(), ips.begin(), ips.end());
  }
  std::vector<std::string> announced;
};

class FakeHost : public Host {
 public:
  void start_clients() override { ++clients_started; }
  void stop_clients() override { ++clients_stopped; }
  bool reboot() override {
    ++reboots;
    return false;
  }
  int clients_started = 0, clients_stopped = 0, reboots = 0;
};

}  // namespace hbd::daemon::testing
