#include "wire/auth.h"

#include <catch2/catch.hpp>
#include <stdexcept>

#include "wire/codec.h"

using namespace hbd::wire;

namespace {

// The real 3.0.6 status message of wire-protocol §1.3/§3.4, minus its auth.
Message worked_example() {
  Message msg;
  msg.add("t", "status");
  msg.add("st", "up");
  msg.add("dt", "2ee0");
  msg.add("protocol", "1");
  msg.add("src", "node1");
  msg.add("srcuuid", std::string("\xdc\x91\x1c\xd5\x81\x14\x4e\xa4\x8d\x3e\xe7\xeb\xf7\x2a\x1c\x35", 16),
          FieldType::Binary);
  msg.add("seq", "4");
  msg.add("hg", "6b0206a2");
  msg.add("ts", "6b0206a2");
  msg.add("ld", "0.19 0.21 0.10 1/116 18");
  msg.add("ttl", "3");
  return msg;
}

const char kInnerInput[] =
    "t=status\nst=up\ndt=2ee0\nprotocol=1\nsrc=node1\n(1)srcuuid=3JEc1YEUTqSNPufr9yocNQ==\n"
    "seq=4\nhg=6b0206a2\nts=6b0206a2\nld=0.19 0.21 0.10 1/116 18\nttl=3\n";

// The 303 bytes of the captured packet, written out from the spec's listing.
std::string worked_packet() {
  return std::string("###\n11:(0)t=status,8:(0)st=up,10:(0)dt=2ee0,13:(0)protocol=1,") +
         "12:(0)src=node1,27:(1)srcuuid=" +
         std::string("\xdc\x91\x1c\xd5\x81\x14\x4e\xa4\x8d\x3e\xe7\xeb\xf7\x2a\x1c\x35", 16) +
         ",8:(0)seq=4,14:(0)hg=6b0206a2,14:(0)ts=6b0206a2,29:(0)ld=0.19 0.21 0.10 1/116 18,"
         "8:(0)ttl=3,50:(0)auth=1 0949746db71746f7779ff1133ea0be58f6c0a4c0,%%%\n"
         "42:1 59e92cc7b7630a465843776605564d48d78cb020,";
}

AuthConfig one_key(AuthMethod method, std::string secret) {
  AuthConfig auth;
  auth.active = 1;
  auth.keys[1] = AuthKey{method, std::move(secret)};
  return auth;
}

}  // namespace

TEST_CASE("crc is CRC-32/CKSUM without length", "[wire]") {
  CHECK(crc32_cksum("123456789") == 0x765e7680u);
  CHECK(crc32_cksum("") == 0xffffffffu);
  CHECK(digest_hex(AuthKey{AuthMethod::Crc, ""}, "123456789") == "765e7680");
}

TEST_CASE("crc digest text has no leading zeros", "[wire]") {
  // Find inputs whose CRC has a zero top nibble; the text must be shorter.
  int shorter = 0;
  for (int i = 0; i < 200; ++i) {
    std::string data = "x" + std::to_string(i);
    uint32_t crc = crc32_cksum(data);
    std::string text = digest_hex(AuthKey{AuthMethod::Crc, ""}, data);
    CHECK(std::stoul(text, nullptr, 16) == crc);
    CHECK(text[0] != '0');
    if (crc < 0x10000000u) {
      CHECK(text.size() < 8);
      ++shorter;
    }
  }
  CHECK(shorter > 0);
}

TEST_CASE("HMAC digests match RFC 2202", "[wire]") {
  std::string data = "what do ya want for nothing?";
  CHECK(digest_hex(AuthKey{AuthMethod::Md5, "Jefe"}, data) == "750c783e6ab0b503eaa86e310a5db738");
  CHECK(digest_hex(AuthKey{AuthMethod::Sha1, "Jefe"}, data) ==
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  // Keys longer than a block are hashed first (RFC 2202 test 6).
  std::string long_key(80, '\xaa');
  CHECK(digest_hex(AuthKey{AuthMethod::Sha1, long_key},
                   "Test Using Larger Than Block-Size Key - Hash Key First") ==
        "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST_CASE("worked example: inner auth input and digests (spec 3.4)", "[wire]") {
  Message msg = worked_example();
  CHECK(inner_auth_input(msg) == kInnerInput);
  CHECK(inner_auth_input(msg).size() == 143);
  CHECK(digest_hex(AuthKey{AuthMethod::Sha1, "testkey"}, kInnerInput) ==
        "0949746db71746f7779ff1133ea0be58f6c0a4c0");
  CHECK(digest_hex(AuthKey{AuthMethod::Md5, "testkey"}, kInnerInput) ==
        "9c92ed7400d2943a3cbda698abd5a4aa");
  CHECK(digest_hex(AuthKey{AuthMethod::Crc, ""}, kInnerInput) == "b4d4ff39");
}

TEST_CASE("worked example: trailer digests (spec 3.4)", "[wire]") {
  std::string packet = worked_packet();
  REQUIRE(packet.size() == 303);
  std::string_view signed_part = std::string_view(packet).substr(0, 257);
  REQUIRE(signed_part.substr(253) == "%%%\n");
  CHECK(digest_hex(AuthKey{AuthMethod::Sha1, "testkey"}, signed_part) ==
        "59e92cc7b7630a465843776605564d48d78cb020");
  CHECK(digest_hex(AuthKey{AuthMethod::Md5, "testkey"}, signed_part) ==
        "3a60c41830f0fd510b525315c67c2777");
  CHECK(digest_hex(AuthKey{AuthMethod::Crc, ""}, signed_part) == "356bd8a4");
}

TEST_CASE("worked example: encode_netstring rebuilds the real packet", "[wire]") {
  AuthConfig auth = one_key(AuthMethod::Sha1, "testkey");
  CHECK(encode_netstring(worked_example(), auth, true) == worked_packet());

  DecodeResult decoded = decode(worked_packet(), auth);
  REQUIRE(decoded.ok());
  CHECK(decoded.auth_place == AuthPlace::Trailer);
  CHECK(decoded.auth_method == AuthMethod::Sha1);
  CHECK(verify_inner_auth(decoded.msg, auth).reason == Reject::None);
}

TEST_CASE("auth tokens are '<index> <lowercase hex>'", "[wire]") {
  auto token = parse_auth_token("1 0949746d");
  REQUIRE(token);
  CHECK(token->index == 1);
  CHECK(token->digest == "0949746d");
  CHECK(parse_auth_token("15 ab")->index == 15);
  CHECK_FALSE(parse_auth_token(""));
  CHECK_FALSE(parse_auth_token("1"));
  CHECK_FALSE(parse_auth_token("1 "));
  CHECK_FALSE(parse_auth_token(" 1 ab"));
  CHECK_FALSE(parse_auth_token("1  ab"));
  CHECK_FALSE(parse_auth_token("1 AB"));
  CHECK_FALSE(parse_auth_token("1 ab "));
  CHECK_FALSE(parse_auth_token("x ab"));
  CHECK_FALSE(parse_auth_token("123 ab"));
  CHECK_FALSE(parse_auth_token("-1 ab"));
}

TEST_CASE("verification uses the sender's index, not our active key", "[wire]") {
  AuthConfig auth;
  auth.active = 3;
  auth.keys[1] = AuthKey{AuthMethod::Md5, "shared"};
  auth.keys[3] = AuthKey{AuthMethod::Crc, ""};
  std::string data = "payload";
  std::string token = "1 " + digest_hex(AuthKey{AuthMethod::Md5, "shared"}, data);
  CHECK(verify_auth_token(token, data, auth).reason == Reject::None);
  CHECK(verify_auth_token(token, data + "x", auth).reason == Reject::BadDigest);

  Rejection unknown = verify_auth_token("7 00", data, auth);
  CHECK(unknown.reason == Reject::UnknownAuthIndex);
  CHECK(unknown.text == "Invalid authentication type [7] in message!");
  CHECK(verify_auth_token("1 00", data, auth).reason == Reject::BadDigest);
  CHECK(verify_auth_token("1 XX", data, auth).reason == Reject::BadAuthToken);
}

TEST_CASE("signing uses the active index and its key", "[wire]") {
  AuthConfig auth = one_key(AuthMethod::Md5, "k");
  auth.keys[2] = AuthKey{AuthMethod::Sha1, "other"};
  auth.active = 2;
  CHECK(sign_token("abc", auth) == "2 " + digest_hex(AuthKey{AuthMethod::Sha1, "other"}, "abc"));
  auth.active = 4;
  CHECK_THROWS_AS(sign_token("abc", auth), std::invalid_argument);
}

TEST_CASE("inner auth is checked wherever the field sits", "[wire]") {
  AuthConfig auth = one_key(AuthMethod::Sha1, "testkey");
  Message msg = worked_example();
  CHECK(verify_inner_auth(msg, auth).reason == Reject::MissingAuth);
  set_inner_auth(msg, auth);
  CHECK(*msg.get("auth") == "1 0949746db71746f7779ff1133ea0be58f6c0a4c0");
  CHECK(verify_inner_auth(msg, auth).reason == Reject::None);

  Message moved;
  moved.add("auth", *msg.get("auth"));
  for (const Field& f : msg.fields())
    if (f.name != "auth") moved.fields().push_back(f);
  CHECK(verify_inner_auth(moved, auth).reason == Reject::None);

  msg.set("seq", "5");
  CHECK(verify_inner_auth(msg, auth).reason == Reject::BadDigest);
}

TEST_CASE("HMAC keys are prepared once per key and reused per message", "[wire]") {
  AuthKey sha1{AuthMethod::Sha1, "Jefe"};
  AuthKey md5{AuthMethod::Md5, "Jefe"};
  std::string data = "what do ya want for nothing?";
  digest_hex(sha1, data);
  digest_hex(md5, data);
  uint64_t before = hmac_keys_prepared();
  for (int i = 0; i < 50; ++i) {
    // Interleaved keys: each reuse must start from its own key, not from
    // the previous message's state.
    CHECK(digest_hex(md5, data) == "750c783e6ab0b503eaa86e310a5db738");
    CHECK(digest_hex(sha1, data) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  }
  CHECK(hmac_keys_prepared() == before);
  digest_hex(AuthKey{AuthMethod::Sha1, "another-key"}, data);
  CHECK(hmac_keys_prepared() == before + 1);
}
