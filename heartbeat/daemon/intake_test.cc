#include <catch2/catch.hpp>

#include "daemon/intake.h"

using namespace hbd;
using namespace hbd::daemon;

namespace {

wire::AuthConfig sha1_key(int index, const std::string& secret) {
  wire::AuthConfig a;
  a.active = index;
  a.keys[index] = {wire::AuthMethod::Sha1, secret};
  return a;
}

std::string packet(const wire::AuthConfig& auth, const std::string& src = "node2") {
  wire::Message m;
  m.add("t", "status");
  m.add("st", "up");
  m.add("src", src);
  m.add("seq", "1");
  return wire::encode_netstring(m, auth, true);
}

}  // namespace

TEST_CASE("intake: good packets pass, bad ones are counted by reason", "[daemon]") {
  wire::AuthConfig ours = sha1_key(1, "secret");
  Intake in;
  IntakeResult good = in.take(packet(ours), "eth0", ours, 0);
  CHECK(good.accepted);
  CHECK(good.message.get_or("src", "") == "node2");
  CHECK(good.log_text.empty());

  IntakeResult wrong_key = in.take(packet(sha1_key(1, "other")), "eth0", ours, 0);
  CHECK_FALSE(wrong_key.accepted);
  CHECK(wrong_key.level == log::Level::Debug);
  CHECK(wrong_key.log_text.find("eth0") != std::string::npos);

  IntakeResult garbage = in.take("hello", "eth1", ours, 0);
  CHECK_FALSE(garbage.accepted);
  CHECK(garbage.level == log::Level::Debug);

  CHECK(in.counters().accepted == 1);
  CHECK(in.counters().rejected == 2);
  CHECK(in.counters().count(wire::Reject::BadDigest) == 1);
  CHECK(in.counters().count(wire::Reject::UnknownFormat) == 1);
}

TEST_CASE("intake: an unknown key index is a WARN with heartbeat's text", "[daemon]") {
  wire::AuthConfig ours = sha1_key(1, "secret");
  Intake in;
  IntakeResult r = in.take(packet(sha1_key(3, "secret")), "eth0", ours, 0);
  CHECK_FALSE(r.accepted);
  CHECK(r.level == log::Level::Warn);
  CHECK(r.log_text == "Invalid authentication type [3] in message!");
  CHECK(in.counters().count(wire::Reject::UnknownAuthIndex) == 1);
}

TEST_CASE("intake: rejections are logged once a minute per reason and sender", "[daemon]") {
  wire::AuthConfig ours = sha1_key(1, "secret");
  std::string foreign = packet(sha1_key(3, "secret"));
  Intake in;
  CHECK_FALSE(in.take(foreign, "eth0", ours, 0).log_text.empty());
  for (int i = 1; i <= 1000; ++i) CHECK(in.take(foreign, "eth0", ours, i).log_text.empty());
  // Another sender, another medium or another reason has its own line.
  CHECK_FALSE(in.take(packet(sha1_key(3, "secret"), "node3"), "eth0", ours, 5).log_text.empty());
  CHECK_FALSE(in.take(foreign, "eth1", ours, 5).log_text.empty());
  CHECK_FALSE(in.take(packet(sha1_key(1, "other")), "eth0", ours, 5).log_text.empty());
  CHECK(in.take_summaries(59999).empty());
  auto summaries = in.take_summaries(60000);
  REQUIRE(summaries.size() == 1);
  CHECK(summaries[0].summary() == "unknown auth index from node2 on eth0: 1000 more suppressed");
  CHECK(summaries[0].level == log::Level::Warn);
  CHECK(in.counters().count(wire::Reject::UnknownAuthIndex) == 1003);
  CHECK_FALSE(in.take(foreign, "eth0", ours, 60001).log_text.empty());
}
