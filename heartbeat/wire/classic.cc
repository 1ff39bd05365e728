#include "wire/classic.h"

#include <optional>

#include "wire/base64.h"
#include "wire/netstring.h"
#include "wire/signed_fields.h"

namespace hbd::wire {
namespace {

Rejection reject(Reject reason, std::string text) { return Rejection{reason, std::move(text)}; }

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string unescape_string(std::string_view raw) {
  std::string value(raw);
  for (char& c : value)
    if (c == kClassicNewlineEscape) c = '\n';
  return value;
}

void append_escaped_string(std::string_view value, std::string& out) {
  size_t start = out.size();
  out += value;
  for (size_t i = start; i < out.size(); ++i)
    if (out[i] == '\n') out[i] = kClassicNewlineEscape;
}

// Splits off a "(D)" prefix. Strings never carry one, so "(0)" is refused
// just as heartbeat refuses it ("wrong type").
Rejection take_type(std::string_view& line, FieldType& type) {
  type = FieldType::String;
  if (line.empty() || line[0] != '(') return {};
  if (line.size() < 3 || line[1] < '1' || line[1] > '4' || line[2] != ')')
    return reject(Reject::BadType, "classic field with a bad (type) prefix");
  type = FieldType(line[1] - '0');
  line.remove_prefix(3);
  return {};
}

Rejection parse_line(std::string_view line, Message& out) {
  FieldType type;
  if (Rejection bad = take_type(line, type); bad.reason != Reject::None) return bad;
  size_t eq = line.find('=');
  if (eq == std::string_view::npos)
    return reject(Reject::FieldWithoutEquals, "classic field line without '='");
  if (eq == 0) return reject(Reject::EmptyName, "classic field with an empty name");
  std::string name(line.substr(0, eq));
  std::string_view raw = line.substr(eq + 1);
  switch (type) {
    case FieldType::String:
      out.add(std::move(name), unescape_string(raw), type);
      return {};
    case FieldType::Binary: {
      std::optional<std::string> bytes = base64_decode(raw);
      if (!bytes) return reject(Reject::BadBase64, "binary field '" + name + "' is not base64");
      out.add(std::move(name), std::move(*bytes), type);
      return {};
    }
    case FieldType::List:
      if (!is_valid_list(raw)) return reject(Reject::BadList, "list field does not parse");
      break;
    default:
      break;
  }
  out.add(std::move(name), std::string(raw), type);
  return {};
}

// After "<<<\n" only the NUL that 2.1.3 appends on UDP may follow.
Rejection check_tail(std::string_view tail, bool& trailing_nul) {
  trailing_nul = tail.size() == 1 && tail[0] == '\0';
  if (tail.empty() || trailing_nul) return {};
  return reject(Reject::TrailingGarbage, std::to_string(tail.size()) + " bytes after <<<");
}

}  // namespace

Rejection parse_classic(std::string_view packet, Message& out, bool& trailing_nul) {
  if (!starts_with(packet, kClassicBegin))
    return reject(Reject::UnknownFormat, "not a classic message");
  std::string_view rest = packet.substr(kClassicBegin.size());
  for (;;) {
    size_t skip = rest.find_first_not_of('\n');
    if (skip == std::string_view::npos)
      return reject(Reject::Truncated, "classic message ends before <<<");
    rest.remove_prefix(skip);
    if (starts_with(rest, kClassicEnd)) break;
    size_t nl = rest.find('\n');
    if (nl == std::string_view::npos)
      return reject(Reject::Truncated, "classic message ends inside a field line");
    if (Rejection bad = parse_line(rest.substr(0, nl), out); bad.reason != Reject::None)
      return bad;
    rest.remove_prefix(nl + 1);
  }
  return check_tail(rest.substr(kClassicEnd.size()), trailing_nul);
}

namespace {

void append_line(std::string_view name, FieldType type, std::string_view value,
                 std::string& out) {
  if (type != FieldType::String) {
    out += '(';
    out += char('0' + int(type));
    out += ')';
  }
  out += name;
  out += '=';
  if (type == FieldType::String)
    append_escaped_string(value, out);
  else if (type == FieldType::Binary)
    base64_encode_append(value, out);
  else
    out += value;
  out += '\n';
}

size_t rendered_size_hint(const Message& msg) {
  size_t size = 16;
  for (const Field& f : msg.fields()) size += f.name.size() + f.value.size() * 4 / 3 + 8;
  return size;
}

}  // namespace

void render_classic_fields(const Message& msg, bool skip_auth, std::string& out) {
  out.reserve(out.size() + rendered_size_hint(msg));
  for (const Field& f : msg.fields())
    if (!skip_auth || f.name != "auth") append_line(f.name, f.type, f.value, out);
}

void render_classic_signed_fields(const Message& msg, std::string_view auth_value,
                                  std::string& out) {
  out.reserve(out.size() + rendered_size_hint(msg) + auth_value.size());
  for_each_signed_field(msg, auth_value, [&out](auto name, auto type, auto value) {
    append_line(name, type, value, out);
  });
}

}  // namespace hbd::wire
