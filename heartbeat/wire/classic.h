// The classic encoding (wire-protocol §1.2): ">>>\n" + one "[(D)]name=value\n"
// line per field + "<<<\n", optionally followed by one NUL on UDP.
#pragma once
#include <string>
#include <string_view>

#include "wire/message.h"
#include "wire/reject.h"

namespace hbd::wire {

inline constexpr std::string_view kClassicBegin = ">>>\n";
inline constexpr std::string_view kClassicEnd = "<<<\n";
// A newline inside a string value travels as this byte.
inline constexpr char kClassicNewlineEscape = 0x13;

// Parses a whole classic payload into `out`. Blank lines are skipped; a
// single NUL after "<<<\n" is allowed and reported through `trailing_nul`.
// Struct and compressed values are kept as the opaque text they arrived as.
Rejection parse_classic(std::string_view packet, Message& out, bool& trailing_nul);

// The field lines without markers: strings escaped, binaries in base64. With
// skip_auth this is exactly what the inner auth digest covers (§3.3b).
void render_classic_fields(const Message& msg, bool skip_auth, std::string& out);
// The same with the inner auth field set to `auth_value` (for_each_signed_field).
void render_classic_signed_fields(const Message& msg, std::string_view auth_value,
                                  std::string& out);

}  // namespace hbd::wire
