#include "wire/netstring.h"

#include "wire/signed_fields.h"

namespace hbd::wire {
namespace {

// Seven digits cover MAXMSG (262144) with room to spare and cannot overflow.
constexpr size_t kMaxLengthDigits = 7;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

Rejection reject(Reject reason, std::string text) { return Rejection{reason, std::move(text)}; }

// "(D)name=value" → field; D must be a type that travels on the wire.
Rejection parse_field(std::string_view content, Message& out) {
  if (content.size() < 3 || content[0] != '(' || !is_digit(content[1]) || content[2] != ')')
    return reject(Reject::MissingType, "netstring field without (type) prefix");
  int code = content[1] - '0';
  if (code > int(FieldType::Compressed))
    return reject(Reject::BadType, "unknown field type (" + std::to_string(code) + ")");
  content.remove_prefix(3);
  size_t eq = content.find('=');
  if (eq == std::string_view::npos)
    return reject(Reject::FieldWithoutEquals, "netstring field without '='");
  if (eq == 0) return reject(Reject::EmptyName, "netstring field with an empty name");
  std::string_view value = content.substr(eq + 1);
  auto type = FieldType(code);
  if (type == FieldType::List && !is_valid_list(value))
    return reject(Reject::BadList, "list field does not parse");
  out.add(std::string(content.substr(0, eq)), std::string(value), type);
  return {};
}

Rejection trailer_problem(Reject reason) {
  switch (reason) {
    case Reject::Truncated: return reject(reason, "auth trailer truncated");
    case Reject::BadLength: return reject(reason, "auth trailer has a bad length");
    default: return reject(reason, "auth trailer is not a netstring");
  }
}

Rejection field_problem(Reject reason) {
  switch (reason) {
    case Reject::Truncated: return reject(reason, "netstring message truncated");
    case Reject::BadLength: return reject(reason, "netstring field has a bad length");
    default: return reject(reason, "netstring field not terminated by ','");
  }
}

}  // namespace

Reject read_netstring(std::string_view& in, std::string_view& content) {
  size_t digits = 0;
  while (digits < in.size() && is_digit(in[digits])) {
    if (++digits > kMaxLengthDigits) return Reject::BadLength;
  }
  if (digits == in.size()) return Reject::Truncated;
  if (digits == 0 || in[digits] != ':') return Reject::BadLength;
  if (digits > 1 && in[0] == '0') return Reject::BadLength;  // not canonical
  size_t len = 0;
  for (size_t i = 0; i < digits; ++i) len = len * 10 + size_t(in[i] - '0');
  std::string_view rest = in.substr(digits + 1);
  if (rest.size() < len + 1) return Reject::Truncated;
  if (rest[len] != ',') return Reject::BadNetstring;
  content = rest.substr(0, len);
  in = rest.substr(len + 1);
  return Reject::None;
}

void append_netstring(std::string_view content, std::string& out) {
  out += std::to_string(content.size());
  out += ':';
  out += content;
  out += ',';
}

bool is_valid_list(std::string_view packed) {
  std::string_view element;
  while (!packed.empty())
    if (read_netstring(packed, element) != Reject::None) return false;
  return true;
}

Rejection parse_netstring_message(std::string_view packet, Message& out, NetstringParts& parts) {
  if (!starts_with(packet, kNetstringBegin))
    return reject(Reject::UnknownFormat, "not a netstring message");
  std::string_view rest = packet.substr(kNetstringBegin.size());
  while (!starts_with(rest, kNetstringEnd)) {
    if (rest.size() < kNetstringEnd.size() && starts_with(kNetstringEnd, rest))
      return reject(Reject::Truncated, "netstring message truncated");
    std::string_view content;
    if (Reject r = read_netstring(rest, content); r != Reject::None) return field_problem(r);
    if (Rejection bad = parse_field(content, out); bad.reason != Reject::None) return bad;
  }
  rest.remove_prefix(kNetstringEnd.size());
  parts.signed_part = packet.substr(0, packet.size() - rest.size());
  if (rest.empty())
    return reject(Reject::MissingTrailer, "peel_netstring() error in getting auth string");
  if (Reject r = read_netstring(rest, parts.trailer); r != Reject::None) return trailer_problem(r);
  if (!rest.empty())
    return reject(Reject::TrailingGarbage,
                  std::to_string(rest.size()) + " bytes after the auth trailer");
  return {};
}

namespace {

void append_field(std::string_view name, FieldType type, std::string_view value,
                  std::string& out) {
  out += std::to_string(3 + name.size() + 1 + value.size());
  out += ':';
  out += '(';
  out += char('0' + int(type));
  out += ')';
  out += name;
  out += '=';
  out += value;
  out += ',';
}

// Room for the fields plus their length prefixes, so rendering appends
// without reallocating.
size_t rendered_size_hint(const Message& msg) {
  size_t size = 64;
  for (const Field& f : msg.fields()) size += f.name.size() + f.value.size() + 16;
  return size;
}

}  // namespace

void render_netstring_fields(const Message& msg, bool skip_auth, std::string& out) {
  out.reserve(out.size() + rendered_size_hint(msg));
  out += kNetstringBegin;
  for (const Field& f : msg.fields())
    if (!skip_auth || f.name != "auth") append_field(f.name, f.type, f.value, out);
  out += kNetstringEnd;
}

void render_netstring_signed_fields(const Message& msg, std::string_view auth_value,
                                    std::string& out) {
  out.reserve(out.size() + rendered_size_hint(msg) + auth_value.size());
  out += kNetstringBegin;
  for_each_signed_field(msg, auth_value, [&out](auto name, auto type, auto value) {
    append_field(name, type, value, out);
  });
  out += kNetstringEnd;
}

}  // namespace hbd::wire
