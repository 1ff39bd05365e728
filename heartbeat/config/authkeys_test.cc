#include <catch2/catch.hpp>

#include "config/authkeys.h"

using namespace hbd::config;
using hbd::wire::AuthMethod;

namespace {

const std::string kPath = "/etc/ha.d/authkeys";

bool says(const AuthKeysResult& r, const std::string& message, int line = -1) {
  for (const auto& d : r.diagnostics)
    if (d.message == message && (line < 0 || d.line == line)) return true;
  return false;
}

}  // namespace

TEST_CASE("authkeys: a valid file gives every key and the active index", "[config]") {
  auto r = parse_authkeys("# keys\n\n auth 2\n1 crc\n2 sha1 s3cret # comment\n3 md5 other\r\n", kPath);
  REQUIRE(r.ok);
  CHECK(r.auth.active == 2);
  REQUIRE(r.auth.keys.size() == 3);
  CHECK(r.auth.keys.at(1).method == AuthMethod::Crc);
  CHECK(r.auth.keys.at(1).secret.empty());
  CHECK(r.auth.keys.at(2).method == AuthMethod::Sha1);
  CHECK(r.auth.keys.at(2).secret == "s3cret");
  CHECK(r.auth.keys.at(3).method == AuthMethod::Md5);
  CHECK(r.auth.keys.at(3).secret == "other");
}

TEST_CASE("authkeys: tabs and extra words", "[config]") {
  auto r = parse_authkeys("\tauth\t1 extra\n 1\tsha1\tx y z\n", kPath);
  REQUIRE(r.ok);
  CHECK(r.auth.keys.at(1).secret == "x");
}

TEST_CASE("authkeys: auth N must come before key N", "[config]") {
  auto r = parse_authkeys("1 sha1 x\nauth 1\n", kPath);
  CHECK_FALSE(r.ok);
  CHECK(says(r, "Auth Key [1] not found in keyfile [/etc/ha.d/authkeys]"));
}

TEST_CASE("authkeys: the last auth line selects", "[config]") {
  auto r = parse_authkeys("auth 1\nauth 2\n1 sha1 x\n2 md5 y\n", kPath);
  REQUIRE(r.ok);
  CHECK(r.auth.active == 2);
}

TEST_CASE("authkeys: bad lines and their messages", "[config]") {
  auto authx = parse_authkeys("auth x\n1 sha1 x\n", kPath);
  CHECK_FALSE(authx.ok);
  CHECK(says(authx, "Invalid auth line [auth x] in /etc/ha.d/authkeys", 1));
  CHECK(says(authx, "Missing auth directive in keyfile [/etc/ha.d/authkeys]"));
  CHECK(says(parse_authkeys("authenticate 1\n", kPath),
             "Invalid auth line [authenticate 1] in /etc/ha.d/authkeys"));
  auto range = parse_authkeys("auth 1\n1 sha1 x\n16 sha1 y\n", kPath);
  CHECK_FALSE(range.ok);
  CHECK(says(range, "Invalid authnum [16] in /etc/ha.d/authkeys", 3));
  CHECK(parse_authkeys("auth 0\n0 sha1 x\n", kPath).ok);
  auto method = parse_authkeys("auth 1\n1 SHA1 x\n", kPath);
  CHECK(says(method, "Invalid authtype [SHA1]"));
  CHECK(says(method, "Auth Key [1] not found in keyfile [/etc/ha.d/authkeys]"));
  auto nokey = parse_authkeys("auth 1\n1 sha1 x\n2 md5\n", kPath);
  CHECK_FALSE(nokey.ok);
  CHECK(says(nokey, "Auth method [md5] requires a key", 3));
  auto junk = parse_authkeys("auth 1\n1 sha1 x\nhello\n", kPath);
  CHECK_FALSE(junk.ok);
  CHECK(says(junk, "Auth line [hello] is invalid.", 3));
}

TEST_CASE("authkeys: crc with a secret drops that key", "[config]") {
  auto active = parse_authkeys("auth 1\n1 crc x\n", kPath);
  CHECK_FALSE(active.ok);
  CHECK(says(active, "Auth method [crc] doesn't use a key", 2));
  CHECK(says(active, "Auth Key [1] not found in keyfile [/etc/ha.d/authkeys]"));
  // heartbeat 3.0.6 refuses the file even when the crc key is not selected
  // (corpus case gen-authkeys-unused-crc-with-key).
  auto other = parse_authkeys("auth 1\n1 sha1 x\n2 crc y\n", kPath);
  CHECK_FALSE(other.ok);
  CHECK(other.auth.keys.count(2) == 0);
  CHECK_FALSE(has_errors(other.diagnostics));  // only heartbeat's info line
}

TEST_CASE("authkeys: auth N is read like scanf(\"auth %d\")", "[config]") {
  CHECK(parse_authkeys("auth1\n1 sha1 x\n", kPath).ok);
  CHECK(parse_authkeys("auth 1x\n1 sha1 x\n", kPath).ok);
  CHECK(parse_authkeys("auth 01\n1 sha1 x\n", kPath).ok);
  auto negative = parse_authkeys("auth -1\n1 sha1 x\n", kPath);
  CHECK_FALSE(negative.ok);
  CHECK(negative.diagnostics.size() == 1);
  CHECK(says(negative, "Missing auth directive in keyfile [/etc/ha.d/authkeys]"));
  CHECK(says(parse_authkeys("auth 99999999999\n1 sha1 x\n", kPath),
             "Auth Key [1215752191] not found in keyfile [/etc/ha.d/authkeys]"));
}

TEST_CASE("authkeys: key lines are read like scanf(\"%d%s%s\")", "[config]") {
  CHECK(parse_authkeys("auth 1\n01 sha1 x\n", kPath).ok);
  auto negative = parse_authkeys("auth 1\n-1 sha1 s\n1 sha1 s\n", kPath);
  CHECK_FALSE(negative.ok);
  CHECK(says(negative, "Invalid authnum [-1] in /etc/ha.d/authkeys", 2));
  auto index_only = parse_authkeys("auth 1\n1\n", kPath);
  CHECK(says(index_only, "Auth line [1] is invalid.", 2));
  CHECK(says(index_only, "Auth Key [1] not found in keyfile [/etc/ha.d/authkeys]"));
  CHECK(says(parse_authkeys("auth 1\nx sha1 s\n1 sha1 s\n", kPath), "Auth line [x sha1 s] is invalid."));
  auto cr = parse_authkeys("auth 1\r1 sha1 s\r", kPath);  // one line for fgets
  CHECK(says(cr, "Auth Key [1] not found in keyfile [/etc/ha.d/authkeys]"));
}

TEST_CASE("authkeys: missing auth line or missing selected key", "[config]") {
  CHECK(says(parse_authkeys("1 sha1 x\n", kPath),
             "Missing auth directive in keyfile [/etc/ha.d/authkeys]"));
  CHECK(says(parse_authkeys("auth 20\n1 sha1 x\n", kPath),
             "Auth Key [20] not found in keyfile [/etc/ha.d/authkeys]"));
  CHECK_FALSE(parse_authkeys("", kPath).ok);
}

TEST_CASE("authkeys: only group/other read bits are refused", "[config]") {
  CHECK(authkeys_mode_ok(0600));
  CHECK(authkeys_mode_ok(0400));
  CHECK(authkeys_mode_ok(0620));
  CHECK(authkeys_mode_ok(0602));
  CHECK(authkeys_mode_ok(0700));
  CHECK_FALSE(authkeys_mode_ok(0640));
  CHECK_FALSE(authkeys_mode_ok(0604));
  CHECK_FALSE(authkeys_mode_ok(0644));
}

TEST_CASE("authkeys: who else could rewrite the keys", "[config]") {
  CHECK(authkeys_exposure_warning("k", 0620, 7) ==
        "keyfile [k] has mode 0620 and owner uid 7: others can rewrite the keys; "
        "chmod 600 and chown root it.");
  CHECK(authkeys_exposure_warning("k", 0602, 0).find("chmod 600 it.") != std::string::npos);
  CHECK(authkeys_exposure_warning("k", 0600, 0).empty());
  CHECK(authkeys_exposure_warning("k", 0400, 0).empty());
}
