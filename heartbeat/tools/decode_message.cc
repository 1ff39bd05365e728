// describe_message (tools/decode.h): one heartbeat payload, explained.
#include <optional>
#include <vector>

#include "tools/decode.h"
#include "wire/auth.h"
#include "wire/classic.h"
#include "wire/codec.h"
#include "wire/netstring.h"

namespace hbd::tools {
namespace {

using wire::DecodeResult;
using wire::Field;
using wire::FieldType;
using wire::Message;
using wire::Reject;

// What was found in one payload, printed in this order.
struct Findings {
  std::string lines;                  // fields and auth tokens
  std::string verdict;                // "auth ok ...", "auth FAILS ...", "auth not checked ..."
  std::vector<std::string> rejects;   // what a 3.0.6 peer would drop it for
  std::vector<std::string> unknowns;  // what this tool cannot decode
};

std::string hex(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

// Printable ASCII as is; every other byte, and '\\', as \xNN (a capture
// may hold anything, and the terminal should show it, not act on it).
std::string escaped(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    if (c >= 0x20 && c < 0x7f && c != '\\') out += c;
    else out += "\\x" + hex(std::string_view(&c, 1));
  }
  return out;
}

std::string field_line(const Field& f) {
  std::string type_prefix;
  if (f.type != FieldType::String) type_prefix = "(" + std::to_string(int(f.type)) + ")";
  std::string head = "    " + type_prefix + escaped(f.name) + "=";
  std::string size = std::to_string(f.value.size()) + " bytes";
  switch (f.type) {
    case FieldType::Binary: return head + "(binary " + size + ") " + hex(f.value) + "\n";
    case FieldType::Compressed: return head + "(compressed " + size + ", not decoded)\n";
    default: return head + escaped(f.value) + "\n";
  }
}

// The digest's length says the method: crc is "%lx" (1-8 digits).
const char* method_by_length(std::string_view digest) {
  if (digest.size() == 40) return "sha1";
  if (digest.size() == 32) return "md5";
  if (digest.size() <= 8) return "crc";
  return "unknown method";
}

std::string method_text(const wire::AuthToken& token, const DecodeOptions& opts) {
  if (!opts.auth) return std::string(method_by_length(token.digest)) + " by its length";
  auto key = opts.auth->keys.find(token.index);
  if (key == opts.auth->keys.end()) return "index not in authkeys";
  std::string method = wire::auth_method_name(key->second.method);
  std::string by_length = method_by_length(token.digest);
  if (method == by_length) return method;
  // The usual mixed-cluster mistake: the nodes' authkeys disagree on the method.
  return method + " in authkeys, but the digest's length says " + by_length;
}

// One "auth trailer: index 1, sha1" line; a token that does not parse is a reject.
void note_token(const char* where, std::string_view text, const DecodeOptions& opts,
                Findings& f) {
  std::optional<wire::AuthToken> token = wire::parse_auth_token(text);
  if (!token) {
    f.lines += std::string("  ") + where + ": \"" + escaped(text) + "\"\n";
    f.rejects.push_back(std::string(where) + " is not \"<index> <lowercase hex>\"");
    return;
  }
  f.lines += std::string("  ") + where + ": index " + std::to_string(token->index) + ", " +
             method_text(*token, opts) + "\n";
}

void note_auth_tokens(std::string_view payload, const DecodeResult& r, const DecodeOptions& opts,
                      Findings& f) {
  if (r.encoding == wire::Encoding::Netstring) {
    Message scratch;
    wire::NetstringParts parts;
    wire::parse_netstring_message(payload, scratch, parts);
    if (!parts.trailer.empty()) note_token("auth trailer", parts.trailer, opts, f);
    if (const std::string* inner = r.msg.get("auth"))
      f.lines += "  auth field: " + escaped(*inner) + " (3.0.6 checks only the trailer)\n";
  } else if (const std::string* inner = r.msg.get("auth")) {
    note_token("auth field", *inner, opts, f);
  } else if (r.ok()) {
    f.rejects.push_back("no auth field: a classic message must carry auth=<index> <digest>");
  }
}

// The line a classic parse stopped at: the field after the last one it took.
std::string classic_line(std::string_view packet, size_t field_number) {
  std::string_view rest = packet.substr(wire::kClassicBegin.size());
  size_t seen = 0;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    if (!line.empty() && seen++ == field_number) {
      size_t offset = packet.size() - rest.size();
      return " (byte " + std::to_string(offset) + ": \"" + escaped(line) + "\")";
    }
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  return "";
}

bool is_auth_problem(Reject reason) {
  return reason == Reject::MissingTrailer || reason == Reject::MissingAuth ||
         reason == Reject::BadAuthToken || reason == Reject::UnknownAuthIndex ||
         reason == Reject::BadDigest;
}

void note_parse_problem(std::string_view payload, const DecodeResult& r, Findings& f) {
  if (r.ok()) return;
  std::string text = std::string(wire::reject_name(r.rejection.reason)) + ": " + r.rejection.text;
  if (r.rejection.reason == Reject::FieldWithoutEquals && r.encoding == wire::Encoding::Classic)
    text += classic_line(payload, r.msg.fields().size());
  else if (r.rejection.reason != Reject::MissingTrailer)
    text += " (after " + std::to_string(r.msg.fields().size()) + " fields)";
  f.rejects.push_back(text);
}

bool whole_message_compressed(const Message& m) { return m.has("_compressed_payload"); }

void note_compression(const Message& m, Findings& f) {
  bool field = false;
  for (const Field& x : m.fields()) field = field || x.type == FieldType::Compressed;
  if (!field && !whole_message_compressed(m)) return;
  f.unknowns.push_back("compressed payload (_compression_algorithm=" +
                       escaped(m.get_or("_compression_algorithm", "?")) +
                       "): not decompressed, the fields inside are not shown");
}

bool is_lower_hex(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// The fields 3.0.6 needs on every message (wire-protocol §2.1, §9.3).
void note_required_fields(const Message& m, Findings& f) {
  if (whole_message_compressed(m)) return;
  const std::string* type = m.get("t");
  if (!type || type->empty()) f.rejects.push_back("no t field (message type)");
  if (!m.has("src")) f.rejects.push_back("no src field (sender node)");
  bool sequenced = !type || type->compare(0, 3, "NS_") != 0;
  const std::string* seq = m.get("seq");
  if (sequenced && !seq)
    f.rejects.push_back("no seq field (every type but NS_* is sequenced)");
  else if (seq && (!is_lower_hex(*seq) || seq->find_first_not_of('0') == std::string::npos))
    f.rejects.push_back("seq=" + escaped(*seq) + " is not lowercase hex above 0");
  const std::string* hg = m.get("hg");
  if (!hg || !is_lower_hex(*hg)) f.rejects.push_back("no hg field (generation) in lowercase hex");
  const std::string* ts = m.get("ts");
  if (!ts || !is_lower_hex(*ts) || ts->find_first_not_of('0') == std::string::npos)
    f.rejects.push_back("no ts field (send time) in non-zero lowercase hex");
}

// 3.0.6 checks a trailer with the method of the sender's index but its own
// active key (wire-protocol §3.5): a packet hbd accepts may still fail there.
void note_active_key_quirk(std::string_view payload, const DecodeResult& ok,
                           const DecodeOptions& opts, Findings& f) {
  const wire::AuthConfig& auth = *opts.auth;
  auto active = auth.keys.find(auth.active);
  if (ok.auth_place != wire::AuthPlace::Trailer || ok.auth_index == auth.active ||
      active == auth.keys.end())
    return;
  Message scratch;
  wire::NetstringParts parts;
  wire::parse_netstring_message(payload, scratch, parts);
  wire::AuthKey as_306{ok.auth_method, active->second.secret};
  if (wire::digest_hex(as_306, parts.signed_part) == wire::parse_auth_token(parts.trailer)->digest)
    return;
  f.rejects.push_back("signed with index " + std::to_string(ok.auth_index) +
                      ", but a 3.0.6 peer with this authkeys checks the trailer with its active "
                      "key (auth " + std::to_string(auth.active) +
                      "): give both nodes the same active index and key");
}

void note_verdict(std::string_view payload, const DecodeResult& parsed, const DecodeOptions& opts,
                  Findings& f, DecodeTally& tally) {
  if (!opts.auth) {
    f.verdict = "auth not checked (no --authkeys)";
    return;
  }
  if (!parsed.ok() && parsed.rejection.reason != Reject::MissingTrailer) {
    f.verdict = "auth not checked (the message does not parse)";
    return;
  }
  DecodeResult r = wire::decode(payload, *opts.auth);
  if (r.ok()) {
    f.verdict = "auth ok (index " + std::to_string(r.auth_index) + ", " +
                wire::auth_method_name(r.auth_method) + ")";
    ++tally.auth_ok;
    note_active_key_quirk(payload, r, opts, f);
  } else if (is_auth_problem(r.rejection.reason)) {
    f.verdict = "auth FAILS against authkeys " + opts.authkeys_path + ": " + r.rejection.text;
    ++tally.auth_failed;
    // A missing trailer or auth field is already flagged as such.
    if (parsed.ok() && r.rejection.reason != Reject::MissingAuth)
      f.rejects.push_back("bad auth: " + r.rejection.text);
  }
}

std::string encoding_line(std::string_view payload, const DecodeResult& r) {
  std::string kind = r.encoding == wire::Encoding::Netstring ? "netstring" : "classic";
  if (r.rejection.reason == Reject::UnknownFormat || r.rejection.reason == Reject::TooLarge)
    kind = "payload";
  std::string line = "  " + kind + ", " + std::to_string(payload.size()) + " bytes";
  if (r.trailing_nul) line += ", trailing NUL";
  return line + "\n";
}

Findings examine(std::string_view payload, const DecodeOptions& opts, DecodeTally& tally) {
  Findings f;
  DecodeResult r = wire::parse_unauthenticated(payload);
  f.lines = encoding_line(payload, r);
  if (r.rejection.reason == Reject::TooLarge) {
    f.rejects.push_back("larger than MAXMSG (" + std::to_string(wire::kMaxWireMessage) +
                        " bytes)");
    return f;
  }
  if (r.rejection.reason == Reject::UnknownFormat) {
    f.unknowns.push_back("unknown format, not a heartbeat message: starts \"" +
                         escaped(payload.substr(0, 16)) + "\"");
    f.rejects.push_back("neither classic (>>>) nor netstring (###): dropped unread");
    return f;
  }
  for (const Field& field : r.msg.fields()) f.lines += field_line(field);
  note_parse_problem(payload, r, f);
  note_compression(r.msg, f);
  note_auth_tokens(payload, r, opts, f);
  if (r.ok() || r.rejection.reason == Reject::MissingTrailer) note_required_fields(r.msg, f);
  note_verdict(payload, r, opts, f, tally);
  return f;
}

}  // namespace

std::string describe_message(std::string_view payload, const DecodeOptions& opts,
                             DecodeTally& tally) {
  ++tally.messages;
  Findings f = examine(payload, opts, tally);
  std::string out = f.lines;
  if (!f.verdict.empty()) out += "  " + f.verdict + "\n";
  for (const std::string& u : f.unknowns) out += "  ? " + u + "\n";
  for (const std::string& r : f.rejects) out += "  ! 3.0.6 would reject: " + r + "\n";
  if (!f.rejects.empty()) ++tally.flagged;
  return out;
}

}  // namespace hbd::tools
