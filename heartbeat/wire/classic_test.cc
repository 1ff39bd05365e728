#include "wire/classic.h"

#include <catch2/catch.hpp>

using namespace hbd::wire;

namespace {

Rejection parse(std::string_view packet, Message& msg) {
  bool nul = false;
  return parse_classic(packet, msg, nul);
}

std::string render(const Message& msg, bool skip_auth = false) {
  std::string out;
  render_classic_fields(msg, skip_auth, out);
  return out;
}

}  // namespace

TEST_CASE("classic parses strings, escaped newlines and base64 binaries", "[wire]") {
  std::string packet =
      ">>>\nt=status\ninfo=two\x13lines\n(1)srcuuid=3JEc1YEUTqSNPufr9yocNQ==\n"
      "ld=0.19 0.21=x\nempty=\n<<<\n";
  Message msg;
  bool nul = true;
  REQUIRE(parse_classic(packet, msg, nul).reason == Reject::None);
  CHECK_FALSE(nul);
  REQUIRE(msg.fields().size() == 5);
  CHECK(msg.fields()[1] == Field{"info", FieldType::String, "two\nlines"});
  CHECK(msg.fields()[2].type == FieldType::Binary);
  CHECK(msg.fields()[2].value.size() == 16);
  CHECK(msg.fields()[3] == Field{"ld", FieldType::String, "0.19 0.21=x"});
  CHECK(msg.fields()[4] == Field{"empty", FieldType::String, ""});
  CHECK(std::string(kClassicBegin) + render(msg) + std::string(kClassicEnd) == packet);
}

TEST_CASE("classic accepts one trailing NUL and skips blank lines", "[wire]") {
  Message msg;
  bool nul = false;
  REQUIRE(parse_classic(std::string(">>>\n\n\nt=a\n\nsrc=b\n<<<\n") + '\0', msg, nul).reason ==
          Reject::None);
  CHECK(nul);
  CHECK(render(msg) == "t=a\nsrc=b\n");
}

TEST_CASE("classic keeps list, struct and compressed values opaque", "[wire]") {
  Message msg;
  REQUIRE(parse(">>>\n(3)l=1:a,2:bc,\n(2)s=\x14t=x\x14\n(4)z=eJw=\n<<<\n", msg).reason ==
          Reject::None);
  REQUIRE(msg.fields().size() == 3);
  CHECK(msg.fields()[0] == Field{"l", FieldType::List, "1:a,2:bc,"});
  CHECK(msg.fields()[1] == Field{"s", FieldType::Struct, "\x14t=x\x14"});
  CHECK(render(msg) == "(3)l=1:a,2:bc,\n(2)s=\x14t=x\x14\n(4)z=eJw=\n");
}

TEST_CASE("classic rejections", "[wire]") {
  Message msg;
  auto reason = [&](std::string packet) {
    msg = Message{};
    return parse(packet, msg).reason;
  };
  CHECK(reason("") == Reject::UnknownFormat);
  CHECK(reason(">>>") == Reject::UnknownFormat);
  CHECK(reason("###\nt=a\n<<<\n") == Reject::UnknownFormat);
  CHECK(reason(">>>\n") == Reject::Truncated);
  CHECK(reason(">>>\nt=a\n") == Reject::Truncated);
  CHECK(reason(">>>\nt=a\n<<<") == Reject::Truncated);
  CHECK(reason(">>>\nt=a") == Reject::Truncated);
  CHECK(reason(">>>\nt=a\nnoequals\n<<<\n") == Reject::FieldWithoutEquals);
  CHECK(reason(">>>\n=a\n<<<\n") == Reject::EmptyName);
  CHECK(reason(">>>\n(1)=\n<<<\n") == Reject::EmptyName);
  CHECK(reason(">>>\n(0)t=a\n<<<\n") == Reject::BadType);
  CHECK(reason(">>>\n(5)t=a\n<<<\n") == Reject::BadType);
  CHECK(reason(">>>\n(x)t=a\n<<<\n") == Reject::BadType);
  CHECK(reason(">>>\n(1t=a\n<<<\n") == Reject::BadType);
  CHECK(reason(">>>\n(1)u=3JEc1YEUTqSNPufr9yocNQ=\n<<<\n") == Reject::BadBase64);
  CHECK(reason(">>>\n(1)u=3JEc1YEUTqSNPufr9yocNR==\n<<<\n") == Reject::BadBase64);
  CHECK(reason(">>>\n(3)l=5:a,\n<<<\n") == Reject::BadList);
  CHECK(reason(">>>\nt=a\n<<<\nx") == Reject::TrailingGarbage);
  CHECK(reason(std::string(">>>\nt=a\n<<<\n") + '\0' + '\0') == Reject::TrailingGarbage);
  CHECK(reason(">>>\nt=a\n<<<\n>>>\nt=b\n<<<\n") == Reject::TrailingGarbage);
}

TEST_CASE("classic rendering escapes newlines and can skip auth", "[wire]") {
  Message msg;
  msg.add("t", "a\nb");
  msg.add("auth", "1 ff");
  msg.add("u", std::string("\0\xff", 2), FieldType::Binary);
  msg.add("auth", "2 ee");
  CHECK(render(msg) == "t=a\x13" "b\nauth=1 ff\n(1)u=AP8=\nauth=2 ee\n");
  CHECK(render(msg, true) == "t=a\x13" "b\n(1)u=AP8=\n");
}
