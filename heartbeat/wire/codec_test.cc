#include "wire/codec.h"

#include <catch2/catch.hpp>

#include "wire/auth.h"

using namespace hbd::wire;

namespace {

AuthConfig sha1_config() {
  AuthConfig auth;
  auth.active = 1;
  auth.keys[1] = AuthKey{AuthMethod::Sha1, "hblab-sha1-secret"};
  auth.keys[2] = AuthKey{AuthMethod::Md5, "hblab-md5-secret"};
  auth.keys[3] = AuthKey{AuthMethod::Crc, ""};
  return auth;
}

Message status() {
  Message msg;
  msg.add("t", "status");
  msg.add("st", "active");
  msg.add("src", "node2");
  msg.add("srcuuid", std::string("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f", 16),
          FieldType::Binary);
  msg.add("info", "line one\nline two");
  msg.add("seq", "1a");
  return msg;
}

Message without_auth(Message msg) {
  msg.remove("auth");
  return msg;
}

// A netstring packet with a correct trailer around whatever field bytes.
std::string signed_netstring(const std::string& fields, const AuthConfig& auth) {
  std::string out = "###\n" + fields + "%%%\n";
  std::string token = sign_token(out, auth);
  return out + std::to_string(token.size()) + ":" + token + ",";
}

// A classic packet with a correct auth line after whatever field lines.
std::string signed_classic(const std::string& lines, const AuthConfig& auth) {
  return ">>>\n" + lines + "auth=" + sign_token(lines, auth) + "\n<<<\n";
}

Reject reason(const std::string& packet) { return decode(packet, sha1_config()).rejection.reason; }

}  // namespace

TEST_CASE("netstring round trip, with and without the inner auth field", "[wire]") {
  AuthConfig auth = sha1_config();
  for (bool inner : {true, false}) {
    std::string packet = encode_netstring(status(), auth, inner);
    DecodeResult r = decode(packet, auth);
    REQUIRE(r.ok());
    CHECK(r.encoding == Encoding::Netstring);
    CHECK(r.auth_place == AuthPlace::Trailer);
    CHECK(r.auth_index == 1);
    CHECK(r.auth_method == AuthMethod::Sha1);
    CHECK(r.msg.has("auth") == inner);
    CHECK(without_auth(r.msg) == status());
    CHECK(packet.find("line one\nline two") != std::string::npos);  // raw, unescaped
    CHECK(encode_netstring(r.msg, auth, inner) == packet);
  }
}

TEST_CASE("classic round trip, with and without NUL", "[wire]") {
  AuthConfig auth = sha1_config();
  for (bool nul : {false, true}) {
    std::string packet = encode_classic(status(), auth, nul);
    CHECK((packet.back() == '\0') == nul);
    CHECK(packet.find("line one\x13line two") != std::string::npos);
    DecodeResult r = decode(packet, auth);
    REQUIRE(r.ok());
    CHECK(r.encoding == Encoding::Classic);
    CHECK(r.trailing_nul == nul);
    CHECK(r.auth_place == AuthPlace::InnerField);
    CHECK(without_auth(r.msg) == status());
    CHECK(encode_classic(r.msg, auth, nul) == packet);
  }
}

TEST_CASE("an existing auth field is replaced in place", "[wire]") {
  AuthConfig auth = sha1_config();
  Message msg = status();
  msg.fields().insert(msg.fields().begin() + 1, Field{"auth", FieldType::String, "9 stale"});
  std::string packet = encode_classic(msg, auth, false);
  DecodeResult r = decode(packet, auth);
  REQUIRE(r.ok());
  CHECK(r.msg.fields()[1].name == "auth");
  CHECK(r.msg.fields().size() == msg.fields().size());
  CHECK(encode_netstring(msg, auth, false).find("auth") == std::string::npos);
}

TEST_CASE("each configured index verifies with its own method", "[wire]") {
  AuthConfig auth = sha1_config();
  for (int index : {1, 2, 3}) {
    AuthConfig sender = auth;
    sender.active = index;
    DecodeResult n = decode(encode_netstring(status(), sender, true), auth);
    DecodeResult c = decode(encode_classic(status(), sender, false), auth);
    REQUIRE(n.ok());
    REQUIRE(c.ok());
    CHECK(n.auth_index == index);
    CHECK(c.auth_method == auth.keys[index].method);
  }
}

TEST_CASE("decode rejects, with a distinct reason each", "[wire]") {
  AuthConfig auth = sha1_config();
  std::string good_n = encode_netstring(status(), auth, true);
  std::string good_c = encode_classic(status(), auth, false);
  REQUIRE(reason(good_n) == Reject::None);
  REQUIRE(reason(good_c) == Reject::None);

  CHECK(reason(std::string(kMaxWireMessage + 1, '#')) == Reject::TooLarge);
  CHECK(reason("") == Reject::UnknownFormat);
  CHECK(reason("hello") == Reject::UnknownFormat);
  CHECK(reason(good_n.substr(0, good_n.size() - 1)) == Reject::Truncated);
  CHECK(reason(good_n.substr(0, 30)) == Reject::Truncated);
  CHECK(reason(good_c.substr(0, good_c.size() - 2)) == Reject::Truncated);
  CHECK(reason(signed_netstring("1x:(0)t=a,", auth)) == Reject::BadLength);
  CHECK(reason(signed_netstring("5:(0)t=a;", auth)) == Reject::BadNetstring);
  CHECK(reason(signed_netstring("3:t=a,", auth)) == Reject::MissingType);
  CHECK(reason(signed_netstring("6:(9)t=a,", auth)) == Reject::BadType);
  CHECK(reason(signed_classic("(0)t=a\n", auth)) == Reject::BadType);
  CHECK(reason(signed_netstring("6:(0)tXa,", auth)) == Reject::FieldWithoutEquals);
  CHECK(reason(signed_classic("t=a\nnothing\n", auth)) == Reject::FieldWithoutEquals);
  CHECK(reason(signed_netstring("5:(0)=a,", auth)) == Reject::EmptyName);
  CHECK(reason(signed_classic("(1)u=AP8\n", auth)) == Reject::BadBase64);
  CHECK(reason(signed_netstring("9:(3)l=9:x,,", auth)) == Reject::BadList);
  CHECK(reason(good_n + "x") == Reject::TrailingGarbage);
  CHECK(reason(good_n + '\0') == Reject::TrailingGarbage);
  CHECK(reason(good_c + "\n") == Reject::TrailingGarbage);
  CHECK(reason(good_n.substr(0, good_n.rfind("%%%\n") + 4)) == Reject::MissingTrailer);
  CHECK(reason(">>>\nt=status\n<<<\n") == Reject::MissingAuth);
  CHECK(reason(">>>\nt=status\nauth=1\n<<<\n") == Reject::BadAuthToken);
  CHECK(reason("###\n6:(0)t=a,%%%\n10:1 ABCDEF00,") == Reject::BadAuthToken);
  CHECK(reason("###\n6:(0)t=a,%%%\n4:7 00,") == Reject::UnknownAuthIndex);
  CHECK(reason(">>>\nt=a\nauth=0 ff\n<<<\n") == Reject::UnknownAuthIndex);

  std::string tampered = good_n;
  tampered[tampered.find("active")] = 'A';
  CHECK(reason(tampered) == Reject::BadDigest);
  tampered = good_c;
  tampered[tampered.find("active")] = 'A';
  CHECK(reason(tampered) == Reject::BadDigest);
}

TEST_CASE("rejections carry readable text", "[wire]") {
  DecodeResult r = decode("###\n6:(0)t=a,%%%\n4:7 00,", sha1_config());
  CHECK(r.rejection.text == "Invalid authentication type [7] in message!");
  CHECK(std::string(reject_name(r.rejection.reason)) == "unknown auth index");
  r = decode("###\n6:(0)t=a,%%%\n", sha1_config());
  CHECK(r.rejection.text == "peel_netstring() error in getting auth string");
  for (int i = int(Reject::None); i < int(kRejectReasons); ++i)
    CHECK(std::string(reject_name(Reject(i))) != "unknown reason");
}

TEST_CASE("parse_unauthenticated checks framing only", "[wire]") {
  DecodeResult r = parse_unauthenticated(">>>\nt=status\n<<<\n");
  REQUIRE(r.ok());
  CHECK(*r.msg.get("t") == "status");
  CHECK(r.auth_place == AuthPlace::None);
  CHECK(parse_unauthenticated("###\n6:(0)t=a,%%%\n4:7 00,").ok());
}

TEST_CASE("a message at MAXMSG is accepted, one byte more is not", "[wire]") {
  AuthConfig auth = sha1_config();
  Message msg;
  msg.add("t", "big");
  std::string probe = encode_netstring(msg, auth, false);
  msg.add("pad", std::string(kMaxWireMessage - probe.size() - 16, 'x'));
  std::string packet = encode_netstring(msg, auth, false);
  REQUIRE(packet.size() <= kMaxWireMessage);
  msg.set("pad", msg.get_or("pad", "") + std::string(kMaxWireMessage - packet.size(), 'x'));
  packet = encode_netstring(msg, auth, false);
  REQUIRE(packet.size() == kMaxWireMessage);
  CHECK(decode(packet, auth).ok());
  msg.set("pad", msg.get_or("pad", "") + "x");
  CHECK(decode(encode_netstring(msg, auth, false), auth).rejection.reason == Reject::TooLarge);
}
