#include "cluster/outgoing.h"

#include <cctype>

namespace hbd::cluster {

bool is_unsequenced(const std::string& type) { return type.compare(0, 3, "NS_") == 0; }

std::string to_hex(uint64_t value) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), digits[value & 15]);
    value >>= 4;
  } while (value != 0);
  return out;
}

namespace {
bool parse_base(const std::string& text, unsigned base, uint64_t& value) {
  if (text.empty() || text.size() > 20) return false;
  uint64_t v = 0;
  for (char c : text) {
    unsigned digit;
    if (c >= '0' && c <= '9') digit = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    else return false;
    if (v > (UINT64_MAX - digit) / base) return false;
    v = v * base + digit;
  }
  value = v;
  return true;
}
}  // namespace

bool parse_hex(const std::string& text, uint64_t& value) { return parse_base(text, 16, value); }
bool parse_decimal(const std::string& text, uint64_t& value) {
  return parse_base(text, 10, value);
}

Outgoing::Outgoing(const Params& params, WallSeconds wall_seconds, LoadAverage load_average)
    : src_(params.local_node),
      uuid_(params.uuid),
      generation_(to_hex(params.generation)),
      ttl_(std::to_string(params.hopfudge + params.nodes.size() + params.ping_nodes.size())),
      wall_seconds_(std::move(wall_seconds)),
      load_average_(std::move(load_average)) {}

uint64_t Outgoing::stamp(wire::Message& m, const std::string& dest_uuid) {
  bool sequenced = !is_unsequenced(m.get_or("t", ""));
  // Only the uuid the addressee itself announced: a wrong destuuid would make
  // the receiver drop the message, because destuuid beats dest.
  if (m.has("dest") && !dest_uuid.empty()) m.set("destuuid", dest_uuid, wire::FieldType::Binary);
  m.set("src", src_);
  if (!uuid_.empty()) m.set("srcuuid", uuid_, wire::FieldType::Binary);
  uint64_t seq = 0;
  if (sequenced) {
    seq = next_seq_++;
    m.set("seq", to_hex(seq));
  }
  m.set("hg", generation_);
  int64_t ts = wall_seconds_ ? wall_seconds_() : 0;
  m.set("ts", to_hex(static_cast<uint64_t>(ts > 0 ? ts : 1)));  // must be non-zero
  if (sequenced) m.set("ld", load_average_ ? load_average_() : "n/a");
  m.set("ttl", ttl_);
  return seq;
}

}  // namespace hbd::cluster
