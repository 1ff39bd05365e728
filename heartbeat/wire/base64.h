// RFC 4648 base64 with '=' padding, as the classic encoding carries binary
// fields (wire-protocol §1.2).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace hbd::wire {

std::string base64_encode(std::string_view bytes);
void base64_encode_append(std::string_view bytes, std::string& out);

// Strict: only the standard alphabet, length a multiple of 4, padding only
// at the end, and unused trailing bits zero. Anything accepted re-encodes to
// the same text, which the inner auth digest depends on (§3.3).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace hbd::wire
