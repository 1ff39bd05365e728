// `hbctl decode`: what is in a capture of heartbeat traffic, message by
// message: the fields in wire order, which auth index signed it, whether it
// verifies against an authkeys, and what a heartbeat 3.0.6 peer would drop.
// Pure: capture bytes in, text out. Parsing and verification are the wire
// module's (wire/codec.h), so this shows what hbd itself would make of it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "wire/auth_config.h"

namespace hbd::tools {

struct DecodeOptions {
  const wire::AuthConfig* auth = nullptr;  // null: auth is not checked
  std::string authkeys_path;               // named in the verdicts
  uint16_t port = 694;                     // UDP datagrams to or from it are decoded
};

struct DecodeTally {
  size_t messages = 0;
  size_t auth_ok = 0, auth_failed = 0;
  size_t flagged = 0;  // messages with at least one "!" line
};

// The lines for one payload (a UDP datagram or a serial frame), indented:
// the encoding and size, each field, the auth tokens, the verdict, and one
// "  ! " line per thing a 3.0.6 peer would reject ("  ? " for what cannot be
// decoded). Adds to `tally`.
std::string describe_message(std::string_view payload, const DecodeOptions& opts,
                             DecodeTally& tally);

struct DecodeReport {
  std::string out;
  std::string err;    // why the capture could not be read to its end
  int exit_code = 0;  // 1 when err is set
};

// A classic pcap file (see tools/pcap_reader.h).
DecodeReport decode_pcap(std::string_view capture, const DecodeOptions& opts);
// The bytes of a serial line, raw or as a `socat -x -v` log (both
// directions), cut into frames by the daemon's own serial frame reader.
DecodeReport decode_serial(std::string_view stream, const DecodeOptions& opts);

}  // namespace hbd::tools
