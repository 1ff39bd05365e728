#include "wire/codec.h"

#include "wire/auth.h"
#include "wire/classic.h"
#include "wire/netstring.h"

namespace hbd::wire {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Parses into `result`; for netstring also returns where the trailer is.
void parse_into(std::string_view packet, DecodeResult& result, NetstringParts& parts) {
  if (packet.size() > kMaxWireMessage) {
    result.rejection = {Reject::TooLarge, "message of " + std::to_string(packet.size()) +
                                              " bytes exceeds MAXMSG"};
  } else if (starts_with(packet, kNetstringBegin)) {
    result.encoding = Encoding::Netstring;
    result.rejection = parse_netstring_message(packet, result.msg, parts);
  } else if (starts_with(packet, kClassicBegin)) {
    result.encoding = Encoding::Classic;
    result.rejection = parse_classic(packet, result.msg, result.trailing_nul);
  } else {
    result.rejection = {Reject::UnknownFormat, "neither a classic nor a netstring message"};
  }
}

void note_auth(DecodeResult& result, AuthPlace place, std::string_view token,
               const AuthConfig& auth) {
  result.auth_place = place;
  result.auth_index = parse_auth_token(token)->index;
  result.auth_method = auth.keys.at(result.auth_index).method;
}

}  // namespace

DecodeResult parse_unauthenticated(std::string_view packet) {
  DecodeResult result;
  NetstringParts parts;
  parse_into(packet, result, parts);
  return result;
}

DecodeResult decode(std::string_view packet, const AuthConfig& auth) {
  DecodeResult result;
  NetstringParts parts;
  parse_into(packet, result, parts);
  if (!result.ok()) return result;
  if (result.encoding == Encoding::Netstring) {
    result.rejection = verify_auth_token(parts.trailer, parts.signed_part, auth);
    if (result.ok()) note_auth(result, AuthPlace::Trailer, parts.trailer, auth);
  } else {
    result.rejection = verify_inner_auth(result.msg, auth);
    if (result.ok()) note_auth(result, AuthPlace::InnerField, *result.msg.get("auth"), auth);
  }
  return result;
}

std::string encode_netstring(const Message& msg, const AuthConfig& auth, bool with_inner_auth) {
  std::string out;
  if (with_inner_auth)
    render_netstring_signed_fields(msg, sign_token(inner_auth_input(msg), auth), out);
  else
    render_netstring_fields(msg, /*skip_auth=*/true, out);
  append_netstring(sign_token(out, auth), out);
  return out;
}

std::string encode_classic(const Message& msg, const AuthConfig& auth, bool trailing_nul) {
  std::string out(kClassicBegin);
  render_classic_signed_fields(msg, sign_token(inner_auth_input(msg), auth), out);
  out += kClassicEnd;
  if (trailing_nul) out += '\0';
  return out;
}

}  // namespace hbd::wire
