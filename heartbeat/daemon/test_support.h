// Fakes for the daemon's adapters: a clock the test sets, media that record
// what they were sent and deliver what the test gives them, the factory
// that makes them, and a configuration directory described by fields.
#pragma once
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

class FakeConfigDir : public ConfigDir {
 public:
  ConfigTimes mtimes() const override { return times; }
  bool hacf_validates() const override {
    ++validations;
    return validates;
  }
  config::FileContent read_authkeys() const override { return authkeys; }
  std::string authkeys_path() const override { return "/cfg/authkeys"; }

  ConfigTimes times{{100, 0}, {100, 0}};
  bool validates = true;
  config::FileContent authkeys;
  mutable int validations = 0;
};

}  // namespace hbd::daemon::testing
