// The netstring encoding (wire-protocol §1.3):
//   "###\n" ( <len> ":" "(" D ")" name "=" value "," )* "%%%\n" <len> ":" trailer ","
// Lengths are plain decimal without leading zeros; values are raw bytes.
#pragma once
#include <string>
#include <string_view>

#include "wire/message.h"
#include "wire/reject.h"

namespace hbd::wire {

inline constexpr std::string_view kNetstringBegin = "###\n";
inline constexpr std::string_view kNetstringEnd = "%%%\n";

// Takes one "<len>:<content>," off the front of `in`.
Reject read_netstring(std::string_view& in, std::string_view& content);
void append_netstring(std::string_view content, std::string& out);

// A list value (type 3): a run of netstrings, one per element.
bool is_valid_list(std::string_view packed);

struct NetstringParts {
  std::string_view signed_part;  // "###\n" through "%%%\n": what the trailer signs
  std::string_view trailer;      // content of the trailer netstring: "<index> <digest>"
};

// Parses a whole netstring payload into `out`. Struct and compressed values
// are kept as opaque bytes (v1 traffic has none).
Rejection parse_netstring_message(std::string_view packet, Message& out, NetstringParts& parts);

// "###\n" + the fields + "%%%\n", without trailer. Every field carries "(D)".
// If skip_auth, fields named "auth" are left out.
void render_netstring_fields(const Message& msg, bool skip_auth, std::string& out);
// The same with the inner auth field set to `auth_value` (for_each_signed_field).
void render_netstring_signed_fields(const Message& msg, std::string_view auth_value,
                                    std::string& out);

}  // namespace hbd::wire
