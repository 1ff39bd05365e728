// The public face of the wire module: packet bytes in, authenticated message
// out (or a reason), and messages out in the two encodings real nodes send.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "wire/auth_config.h"
#include "wire/message.h"
#include "wire/reject.h"

namespace hbd::wire {

// MAXMSG: the largest message heartbeat puts on the wire (§1.6).
inline constexpr size_t kMaxWireMessage = 256 * 1024;

enum class Encoding { Classic, Netstring };
// What carried the digest that was checked.
enum class AuthPlace { None, InnerField, Trailer };

struct DecodeResult {
  Rejection rejection;                 // reason None when accepted
  Message msg;                         // partial or empty when rejected
  Encoding encoding = Encoding::Classic;
  bool trailing_nul = false;           // classic packet ended in one NUL
  AuthPlace auth_place = AuthPlace::None;
  int auth_index = -1;                 // index whose key verified it
  AuthMethod auth_method = AuthMethod::Crc;

  bool ok() const { return rejection.reason == Reject::None; }
};

// Parses and authenticates one packet or serial frame. Netstring packets are
// checked by their trailer (the inner field, if any, is not checked, as in
// 3.0.6); classic ones by their inner auth field.
DecodeResult decode(std::string_view packet, const AuthConfig& auth);

// Framing only, no authentication: for tools, tests and fuzzing.
DecodeResult parse_unauthenticated(std::string_view packet);

// What 3.0.6 (glue >= 1.0.10) sends on UDP: netstring + trailer. With
// with_inner_auth the "auth" field is set (in place, or appended) as well;
// without it every "auth" field is left out (ha.cf "msgfmt netstring").
// The active key signs; see signing_key() for the missing-key case.
std::string encode_netstring(const Message& msg, const AuthConfig& auth, bool with_inner_auth);

// What serial and 2.1.3 send: classic text with the inner auth field set,
// plus one NUL if trailing_nul (2.1.3 on UDP).
std::string encode_classic(const Message& msg, const AuthConfig& auth, bool trailing_nul);

}  // namespace hbd::wire
