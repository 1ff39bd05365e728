// Message authentication (wire-protocol §3): the netstring trailer and the
// classic inner "auth" field both carry "<index> <lowercase hex digest>".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wire/auth_config.h"
#include "wire/message.h"
#include "wire/reject.h"

namespace hbd::wire {

// CRC-32/CKSUM without the length: poly 0x04C11DB7, init 0, MSB first,
// final xor ~0. crc32_cksum("123456789") == 0x765e7680.
uint32_t crc32_cksum(std::string_view data);

// The digest text of `data` under `key`: HMAC hex, or crc as "%lx".
std::string digest_hex(const AuthKey& key, std::string_view data);

// How many HMAC keys this thread has prepared (hashed into their pad
// states) so far: one per (method, key) in use, not one per message (a test
// seam).
uint64_t hmac_keys_prepared();

const char* auth_method_name(AuthMethod method);

struct AuthToken {
  int index = -1;
  std::string_view digest;
};
// "<decimal index> <lowercase hex>", nothing else.
std::optional<AuthToken> parse_auth_token(std::string_view text);

// Checks a token against `data` with the key of the token's own index. That
// differs on purpose from 3.0.x, which pairs the index's method with its own
// active key (§3.5).
Rejection verify_auth_token(std::string_view token, std::string_view data,
                            const AuthConfig& auth);

// The key that signs outgoing messages. Throws std::invalid_argument when
// the active index has no key: the config checks make that unreachable.
const AuthKey& signing_key(const AuthConfig& auth);
// "<active index> <digest of data>".
std::string sign_token(std::string_view data, const AuthConfig& auth);

// The inner field: digest over the classic rendering without auth fields.
std::string inner_auth_input(const Message& msg);
void set_inner_auth(Message& msg, const AuthConfig& auth);
Rejection verify_inner_auth(const Message& msg, const AuthConfig& auth);

}  // namespace hbd::wire
