#include "wire/base64.h"

#include <catch2/catch.hpp>

using hbd::wire::base64_decode;
using hbd::wire::base64_encode;

TEST_CASE("base64 encodes the RFC 4648 test vectors", "[wire]") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("fooba") == "Zm9vYmE=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64 decodes what it encodes, every byte value included", "[wire]") {
  std::string all;
  for (int i = 0; i < 256; ++i) all += char(i);
  for (size_t len = 0; len <= all.size(); len += 37) {
    std::string bytes = all.substr(all.size() - len);
    auto back = base64_decode(base64_encode(bytes));
    REQUIRE(back);
    CHECK(*back == bytes);
  }
  CHECK(base64_encode(all).find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") ==
        std::string::npos);
}

TEST_CASE("base64 decodes a real 16-byte UUID", "[wire]") {
  auto uuid = base64_decode("3JEc1YEUTqSNPufr9yocNQ==");
  REQUIRE(uuid);
  CHECK(*uuid == std::string("\xdc\x91\x1c\xd5\x81\x14\x4e\xa4\x8d\x3e\xe7\xeb\xf7\x2a\x1c\x35", 16));
}

TEST_CASE("base64 decoding is strict", "[wire]") {
  CHECK(base64_decode("") == std::string());
  CHECK_FALSE(base64_decode("Zg"));          // missing padding
  CHECK_FALSE(base64_decode("Zg="));         // length not a multiple of 4
  CHECK_FALSE(base64_decode("Zh=="));        // non-zero bits under the padding
  CHECK_FALSE(base64_decode("Zm9="));        // same, one pad
  CHECK_FALSE(base64_decode("Z==="));        // three pads
  CHECK_FALSE(base64_decode("===="));
  CHECK_FALSE(base64_decode("Zg==Zg=="));    // padding in the middle
  CHECK_FALSE(base64_decode("Zm=v"));        // '=' before a data character
  CHECK_FALSE(base64_decode("Zm9v\n"));      // line break
  CHECK_FALSE(base64_decode("Zm 9"));
  CHECK_FALSE(base64_decode("Zm9-"));        // URL-safe alphabet is not accepted
  CHECK_FALSE(base64_decode("Zm9_"));
  CHECK_FALSE(base64_decode(std::string("Zm9\0", 4)));
  CHECK(base64_decode("Zm8=") == std::string("fo"));
  CHECK(base64_decode("+/+/") == std::string("\xfb\xff\xbf"));
}
