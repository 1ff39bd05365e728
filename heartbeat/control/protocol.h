// The control socket's wire form: one request line from the client, then a
// text response and the server closes. Pure encode/decode, no sockets.
//
//   request:  "snapshot\n"
//   response: "hbd-snapshot 1\n" then one record per line, then "end\n"
//             or "error <reason>\n"
//
// A record is space-separated fields, each percent-escaped (%XX for '%',
// space, control characters and DEL) so any text round-trips; an empty
// field is written as a lone "%".
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "control/snapshot.h"

namespace hbd::control {

// Longest request line the server reads (the newline included).
constexpr std::size_t kMaxRequestBytes = 256;

constexpr const char* kSnapshotRequest = "snapshot";
// "cleanup" or "cleanup TARGET"; answered "ok\n" or an error line.
constexpr const char* kCleanupRequest = "cleanup";
constexpr const char* kOkResponse = "ok";

std::string escape_field(std::string_view text);
// nullopt when the field holds a malformed %-escape.
std::optional<std::string> unescape_field(std::string_view field);

// The request keyword from one received line (trailing "\r\n"/"\n" dropped).
std::string parse_request_line(std::string_view line);

std::string encode_snapshot(const Snapshot& snapshot);
std::string encode_error(std::string_view reason);

struct DecodeResult {
  std::optional<Snapshot> snapshot;  // set on success
  std::string error;                 // why decoding failed, or the server's error text
  bool complete = false;             // the terminating line was seen
};

// Decodes a whole response. An "error" line, a truncated response (no
// "end") or an unknown record give no snapshot and a reason.
DecodeResult decode_response(std::string_view text);

}  // namespace hbd::control
