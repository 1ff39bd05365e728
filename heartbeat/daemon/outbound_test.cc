#include "daemon/outbound.h"

#include <catch2/catch.hpp>

#include "cluster/history.h"
#include "daemon/test_support.h"
#include "wire/codec.h"

using namespace hbd;
using namespace hbd::daemon;
using hbd::daemon::testing::FakeMedium;

namespace {

WireSettings sha1_settings(bool inner_auth = true) {
  WireSettings s;
  s.auth.active = 1;
  s.auth.keys[1] = {wire::AuthMethod::Sha1, "secret"};
  s.netstring_inner_auth = inner_auth;
  return s;
}

wire::Message status() {
  wire::Message m;
  m.add("t", "status");
  m.add("st", "active");
  m.add("src", "node1");
  m.add("seq", "2a");
  m.add("hg", "100");
  m.add("ts", "6b020c99");
  return m;
}

std::vector<std::unique_ptr<io::Medium>> media(std::vector<io::WireFormat> formats) {
  std::vector<std::unique_ptr<io::Medium>> out;
  int i = 0;
  for (auto f : formats)
    out.push_back(std::make_unique<FakeMedium>("m" + std::to_string(i++), f, nullptr));
  return out;
}

FakeMedium& fake(const std::unique_ptr<io::Medium>& m) { return static_cast<FakeMedium&>(*m); }

}  // namespace

TEST_CASE("outbound: UDP gets 3.0.6's netstring, serial classic text without NUL",
          "[daemon][outbound]") {
  WireSettings s = sha1_settings();
  std::string udp = encode_for(io::WireFormat::UdpNetstring, status(), s);
  std::string tty = encode_for(io::WireFormat::SerialClassic, status(), s);
  CHECK(udp == wire::encode_netstring(status(), s.auth, true));
  CHECK(tty == wire::encode_classic(status(), s.auth, false));
  CHECK(tty.find('\0') == std::string::npos);
  CHECK(wire::decode(udp, s.auth).encoding == wire::Encoding::Netstring);
  CHECK(wire::decode(udp, s.auth).auth_place == wire::AuthPlace::Trailer);
  wire::DecodeResult classic = wire::decode(tty, s.auth);
  REQUIRE(classic.ok());
  CHECK(classic.encoding == wire::Encoding::Classic);
  CHECK(classic.auth_place == wire::AuthPlace::InnerField);
  CHECK(classic.msg.get_or("st", "") == "active");
}

TEST_CASE("outbound: msgfmt netstring leaves the inner auth out of UDP only",
          "[daemon][outbound]") {
  WireSettings s = sha1_settings(false);
  std::string udp = encode_for(io::WireFormat::UdpNetstring, status(), s);
  CHECK(udp == wire::encode_netstring(status(), s.auth, false));
  CHECK(udp != encode_for(io::WireFormat::UdpNetstring, status(), sha1_settings(true)));
  CHECK(encode_for(io::WireFormat::SerialClassic, status(), s) ==
        encode_for(io::WireFormat::SerialClassic, status(), sha1_settings(true)));
}

TEST_CASE("outbound: each format is encoded once per send, whatever the media",
          "[daemon][outbound]") {
  WireSettings s = sha1_settings();
  auto all = media({io::WireFormat::UdpNetstring, io::WireFormat::UdpNetstring,
                    io::WireFormat::SerialClassic, io::WireFormat::UdpNetstring,
                    io::WireFormat::SerialClassic});
  CHECK(send_to_all(status(), s, all) == 2);
  std::string udp = encode_for(io::WireFormat::UdpNetstring, status(), s);
  std::string tty = encode_for(io::WireFormat::SerialClassic, status(), s);
  for (auto i : {0, 1, 3}) CHECK(fake(all[i]).sent == std::vector<std::string>{udp});
  for (auto i : {2, 4}) CHECK(fake(all[i]).sent == std::vector<std::string>{tty});
  CHECK(send_to_all(status(), s, media({io::WireFormat::UdpNetstring})) == 1);
  CHECK(send_to_all(status(), s, {}) == 0);
}

TEST_CASE("outbound: the cache hands out the same bytes each time", "[daemon][outbound]") {
  WireSettings s = sha1_settings();
  wire::Message m = status();
  Outbound out(m, s);
  const std::string& first = out.bytes(io::WireFormat::SerialClassic);
  CHECK(&out.bytes(io::WireFormat::SerialClassic) == &first);
  CHECK(out.encodings() == 1);
}

TEST_CASE("outbound: a message kept in cluster::History re-encodes to the bytes first sent",
          "[daemon][outbound]") {
  WireSettings s = sha1_settings();
  cluster::History history;
  history.add(0x2a, status());
  std::string udp = encode_for(io::WireFormat::UdpNetstring, *history.find(0x2a), s);
  std::string tty = encode_for(io::WireFormat::SerialClassic, *history.find(0x2a), s);
  wire::Message next = status();
  next.set("seq", "2b");
  next.set("ts", "6b020c9a");
  history.add(0x2b, next);
  encode_for(io::WireFormat::UdpNetstring, next, s);
  CHECK(encode_for(io::WireFormat::UdpNetstring, *history.find(0x2a), s) == udp);
  CHECK(encode_for(io::WireFormat::SerialClassic, *history.find(0x2a), s) == tty);
}

TEST_CASE("load average: read once per kernel update interval, not per status", "[daemon]") {
  int reads = 0;
  int64_t now = 1000;
  CachedLoadAverage ld([&] { return "0.0" + std::to_string(++reads); }, [&] { return now; });
  CHECK(ld() == "0.01");
  for (int i = 0; i < 49; ++i) {  // five seconds of 100 ms keepalives
    now += 100;
    CHECK(ld() == "0.01");
  }
  CHECK(reads == 1);
  now += 100;
  CHECK(ld() == "0.02");
  now -= 60000;  // a clock that went back must not freeze the text
  CHECK(ld() == "0.03");
}
