// Every packet and serial frame captured from real heartbeat 3.0.6 nodes
// (test/vectors, keys in INDEX.md) must parse, verify with its key, fail with
// a wrong one, and re-encode to the very same bytes.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "test/pcap.h"
#include "wire/auth.h"
#include "wire/codec.h"

using namespace hbd::wire;

namespace {

const std::string kVectors = std::string(HBD_SRCDIR) + "/test/vectors/";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

AuthMethod method_named(const std::string& name) {
  if (name == "md5") return AuthMethod::Md5;
  if (name == "sha1") return AuthMethod::Sha1;
  REQUIRE(name == "crc");
  return AuthMethod::Crc;
}

// INDEX.md has, per "## <capture>" section, the authkeys both nodes used in
// a fenced block after the line naming /etc/ha.d/authkeys.
std::map<std::string, AuthConfig> keys_from_index() {
  std::istringstream in(read_file(kVectors + "INDEX.md"));
  std::map<std::string, AuthConfig> result;
  std::string line, section;
  enum { Outside, Expecting, Inside } state = Outside;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      section = line.substr(3);
      state = Outside;
    } else if (line.find("/etc/ha.d/authkeys") != std::string::npos) {
      state = Expecting;
    } else if (line.rfind("```", 0) == 0 && state != Outside) {
      state = state == Expecting ? Inside : Outside;
    } else if (state == Inside) {
      std::istringstream words(line);
      std::string first, method, secret;
      words >> first >> method >> secret;
      if (first == "auth")
        result[section].active = std::stoi(method);
      else
        result[section].keys[std::stoi(first)] = AuthKey{method_named(method), secret};
    }
  }
  return result;
}

// A config whose key for the same index is wrong: another secret, or for crc
// a keyed method.
AuthConfig wrong_key(AuthConfig auth) {
  AuthKey& key = auth.keys.at(auth.active);
  if (key.method == AuthMethod::Crc)
    key = AuthKey{AuthMethod::Md5, "not-the-key"};
  else
    key.secret += "x";
  return auth;
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// socat -x -v: a header line "> date length=..." or "< ..." opens a chunk in
// that direction; the chunk's lines are " xx xx ... " hex (up to 16 bytes)
// followed by a text rendering we ignore; "--" closes it.
std::map<char, std::string> socat_streams(const std::string& path) {
  std::istringstream in(read_file(path));
  std::map<char, std::string> streams;
  std::string line;
  char direction = 0;
  while (std::getline(in, line)) {
    if (line.size() > 2 && (line[0] == '>' || line[0] == '<') && line[1] == ' ') {
      direction = line[0];
      continue;
    }
    if (line.rfind("--", 0) == 0 || line.empty() || line[0] != ' ') {
      direction = 0;
      continue;
    }
    if (!direction) continue;
    for (size_t i = 0; i + 2 < line.size() && i < 48; i += 3) {
      if (line[i] != ' ' || !is_hex(line[i + 1]) || !is_hex(line[i + 2])) break;
      if (i + 3 < line.size() && line[i + 3] != ' ') break;
      streams[direction] += char(std::stoi(line.substr(i + 1, 2), nullptr, 16));
    }
  }
  return streams;
}

// Cuts a serial byte stream into ">>>\n" ... "<<<\n" frames; `stray` counts
// bytes outside any frame.
std::vector<std::string> classic_frames(const std::string& stream, size_t& stray) {
  std::vector<std::string> frames;
  size_t pos = 0;
  stray = 0;
  for (;;) {
    size_t begin = stream.find(">>>\n", pos);
    if (begin == std::string::npos) break;
    size_t end = stream.find("<<<\n", begin);
    if (end == std::string::npos) break;
    stray += begin - pos;
    frames.push_back(stream.substr(begin, end + 4 - begin));
    pos = end + 4;
  }
  stray += stream.size() - pos;
  return frames;
}

void check_netstring_packet(const std::string& packet, const AuthConfig& auth) {
  DecodeResult r = decode(packet, auth);
  INFO(r.rejection.text);
  REQUIRE(r.ok());
  CHECK(r.encoding == Encoding::Netstring);
  CHECK(r.auth_place == AuthPlace::Trailer);
  CHECK(r.auth_index == auth.active);
  // 3.0.6 also keeps the inner field, signed with the same key.
  CHECK(verify_inner_auth(r.msg, auth).reason == Reject::None);
  CHECK(decode(packet, wrong_key(auth)).rejection.reason == Reject::BadDigest);
  CHECK(verify_inner_auth(r.msg, wrong_key(auth)).reason == Reject::BadDigest);
  CHECK(encode_netstring(r.msg, auth, true) == packet);
}

void check_serial_frame(const std::string& frame, const AuthConfig& auth) {
  DecodeResult r = decode(frame, auth);
  INFO(r.rejection.text);
  REQUIRE(r.ok());
  CHECK(r.encoding == Encoding::Classic);
  CHECK(r.auth_place == AuthPlace::InnerField);
  CHECK_FALSE(r.trailing_nul);
  CHECK(decode(frame, wrong_key(auth)).rejection.reason == Reject::BadDigest);
  CHECK(encode_classic(r.msg, auth, false) == frame);
}

}  // namespace

TEST_CASE("INDEX.md gives a key for every capture", "[wire]") {
  auto keys = keys_from_index();
  CHECK(keys.size() == 8);
  CHECK(keys.at("hb-bcast-md5").keys.at(1).secret == "hblab-md5-secret");
  CHECK(keys.at("serial-sha1").keys.at(1).method == AuthMethod::Sha1);
  CHECK(keys.at("hb-bcast-crc").keys.at(1).method == AuthMethod::Crc);
}

TEST_CASE("every captured UDP packet verifies and re-encodes byte for byte", "[wire]") {
  auto keys = keys_from_index();
  // Packet counts as INDEX.md lists them ("- packets: N").
  const std::map<std::string, size_t> expected = {
      {"hb-bcast-crc", 191}, {"hb-bcast-md5", 192}, {"hb-bcast-sha1", 186},
      {"hb-mcast-sha1", 188}, {"hb-rexmit-bcast-crc", 249}, {"hb-ucast-md5", 190}};
  size_t total = 0;
  for (const auto& [name, count] : expected) {
    INFO(name);
    hbd::test::PcapContents pcap = hbd::test::read_pcap_udp(kVectors + name + ".pcap");
    REQUIRE(pcap.error.empty());
    CHECK(pcap.skipped == 0);
    REQUIRE(pcap.udp.size() == count);
    const AuthConfig& auth = keys.at(name);
    for (const auto& packet : pcap.udp) {
      CHECK(packet.dst_port == 694);
      check_netstring_packet(packet.payload, auth);
      ++total;
    }
  }
  REQUIRE(total == 1196);
}

TEST_CASE("every captured serial frame verifies and re-encodes byte for byte", "[wire]") {
  auto keys = keys_from_index();
  // Frames per direction, counted once by hand from the socat logs.
  const std::map<std::string, std::pair<size_t, size_t>> expected = {
      {"serial-crc", {101, 87}}, {"serial-sha1", {99, 86}}};
  size_t total = 0;
  for (const auto& [name, counts] : expected) {
    INFO(name);
    auto streams = socat_streams(kVectors + name + ".txt");
    const AuthConfig& auth = keys.at(name);
    for (char direction : {'>', '<'}) {
      size_t stray = 0;
      std::vector<std::string> frames = classic_frames(streams[direction], stray);
      CHECK(stray == 0);
      CHECK(frames.size() == (direction == '>' ? counts.first : counts.second));
      for (const std::string& frame : frames) {
        check_serial_frame(frame, auth);
        ++total;
      }
    }
  }
  REQUIRE(total == 373);
}
