#include "wire/netstring.h"

#include <catch2/catch.hpp>

using namespace hbd::wire;

namespace {

Rejection parse(std::string_view packet, Message& msg) {
  NetstringParts parts;
  return parse_netstring_message(packet, msg, parts);
}

}  // namespace

TEST_CASE("read_netstring takes one netstring off the front", "[wire]") {
  std::string_view in = "3:abc,0:,rest";
  std::string_view content;
  REQUIRE(read_netstring(in, content) == Reject::None);
  CHECK(content == "abc");
  REQUIRE(read_netstring(in, content) == Reject::None);
  CHECK(content == "");
  CHECK(in == "rest");
}

TEST_CASE("read_netstring rejects bad lengths without overflow", "[wire]") {
  std::string_view content;
  auto read = [&](std::string_view text) { return read_netstring(text, content); };
  CHECK(read("") == Reject::Truncated);
  CHECK(read("12") == Reject::Truncated);
  CHECK(read(":abc,") == Reject::BadLength);
  CHECK(read("+3:abc,") == Reject::BadLength);
  CHECK(read("-3:abc,") == Reject::BadLength);
  CHECK(read(" 3:abc,") == Reject::BadLength);
  CHECK(read("03:abc,") == Reject::BadLength);  // leading zero
  CHECK(read("3x:abc,") == Reject::BadLength);
  CHECK(read("99999999999999999999999:x,") == Reject::BadLength);
  CHECK(read("18446744073709551617:x,") == Reject::BadLength);
  CHECK(read("4:abc,") == Reject::Truncated);
  CHECK(read("1000000:abc,") == Reject::Truncated);
  CHECK(read("3:abc;") == Reject::BadNetstring);
  CHECK(read("3:abc") == Reject::Truncated);
}

TEST_CASE("netstring message parses typed fields with raw values", "[wire]") {
  std::string packet = std::string("###\n11:(0)t=status,") + "8:(1)u=\x01\n\x02," +
                       "10:(0)v=a=b,c," + "5:(0)e=," + "%%%\n" + "10:1 deadbeef,";
  Message msg;
  NetstringParts parts;
  REQUIRE(parse_netstring_message(packet, msg, parts).reason == Reject::None);
  REQUIRE(msg.fields().size() == 4);
  CHECK(msg.fields()[0] == Field{"t", FieldType::String, "status"});
  CHECK(msg.fields()[1] == Field{"u", FieldType::Binary, "\x01\n\x02"});
  CHECK(msg.fields()[2] == Field{"v", FieldType::String, "a=b,c"});
  CHECK(msg.fields()[3] == Field{"e", FieldType::String, ""});
  CHECK(parts.trailer == "1 deadbeef");
  CHECK(parts.signed_part == packet.substr(0, packet.size() - 14));

  std::string again;
  render_netstring_fields(msg, false, again);
  CHECK(again == parts.signed_part);
}

TEST_CASE("netstring message rejections", "[wire]") {
  Message msg;
  auto reason = [&](std::string packet) {
    msg = Message{};
    return parse(packet, msg).reason;
  };
  CHECK(reason("") == Reject::UnknownFormat);
  CHECK(reason(">>>\n") == Reject::UnknownFormat);
  CHECK(reason("###\n") == Reject::Truncated);
  CHECK(reason("###\n%%") == Reject::Truncated);
  CHECK(reason("###\n11:(0)t=status,") == Reject::Truncated);
  CHECK(reason("###\n11:(0)t=sta") == Reject::Truncated);
  CHECK(reason("###\n11:(0)t=status;%%%\n1:1,") == Reject::BadNetstring);
  CHECK(reason("###\n011:(0)t=status,%%%\n3:1 0,") == Reject::BadLength);
  CHECK(reason("###\nx:(0)t=status,%%%\n3:1 0,") == Reject::BadLength);
  CHECK(reason("###\n8:t=status,%%%\n3:1 0,") == Reject::MissingType);
  CHECK(reason("###\n0:,%%%\n3:1 0,") == Reject::MissingType);
  CHECK(reason("###\n11:(7)t=status,%%%\n3:1 0,") == Reject::BadType);
  CHECK(reason("###\n11:(0)tXstatus,%%%\n3:1 0,") == Reject::FieldWithoutEquals);
  CHECK(reason("###\n7:(0)=abc,%%%\n3:1 0,") == Reject::EmptyName);
  CHECK(reason("###\n9:(3)l=1:a,,%%%\n3:1 0,") == Reject::None);
  CHECK(reason("###\n9:(3)l=2:a,,%%%\n3:1 0,") == Reject::BadList);
  CHECK(reason("###\n11:(0)t=status,%%%\n") == Reject::MissingTrailer);
  CHECK(reason("###\n11:(0)t=status,%%%\n3:1 0") == Reject::Truncated);
  CHECK(reason("###\n11:(0)t=status,%%%\n3:1 0,") == Reject::None);
  CHECK(reason(std::string("###\n11:(0)t=status,%%%\n3:1 0,") + '\0') == Reject::TrailingGarbage);
  CHECK(reason("###\n11:(0)t=status,%%%\n3:1 0,3:1 0,") == Reject::TrailingGarbage);
}

TEST_CASE("render_netstring_fields can leave out auth fields", "[wire]") {
  Message msg;
  msg.add("t", "x");
  msg.add("auth", "1 00");
  msg.add("src", "n");
  std::string out;
  render_netstring_fields(msg, true, out);
  CHECK(out == "###\n6:(0)t=x,8:(0)src=n,%%%\n");
}

TEST_CASE("a message's field list is allocated once, not grown field by field", "[wire]") {
  Message msg;
  msg.add("t", "status");
  const Field* first = &msg.fields()[0];
  for (int i = 0; i < 11; ++i) msg.add("f" + std::to_string(i), "v");
  CHECK(&msg.fields()[0] == first);  // never moved
  CHECK(msg.fields().capacity() == Message::kTypicalFields);
}
