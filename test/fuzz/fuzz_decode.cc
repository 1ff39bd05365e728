// libFuzzer target for the wire codec: decode must never crash or run away,
// and whatever parses must survive encode → decode unchanged.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "wire/auth.h"
#include "wire/codec.h"

using namespace hbd::wire;

namespace {

// The captured seeds all sign with key index 1, as their clusters did, each
// with its own method; one configuration per method lets every seed
// authenticate (with a single sha1 one the crc and md5 seeds never did).
AuthConfig with_index1(AuthMethod method) {
  AuthConfig a;
  a.active = 1;
  a.keys[1] = AuthKey{method, method == AuthMethod::Sha1  ? "hblab-sha1-secret"
                              : method == AuthMethod::Md5 ? "hblab-md5-secret"
                                                          : ""};
  a.keys[2] = AuthKey{AuthMethod::Md5, "hblab-md5-secret"};
  a.keys[3] = AuthKey{AuthMethod::Crc, ""};
  return a;
}

const std::vector<AuthConfig>& configs() {
  static const std::vector<AuthConfig> all = {with_index1(AuthMethod::Sha1),
                                              with_index1(AuthMethod::Md5),
                                              with_index1(AuthMethod::Crc)};
  return all;
}

const AuthConfig& config() { return configs().front(); }

// Signing replaces the first auth field and may add one; everything else
// must come back as it was.
Message without_auth(Message msg) {
  msg.remove("auth");
  return msg;
}

void require_round_trip(const DecodeResult& first) {
  const AuthConfig& auth = config();
  std::string again = first.encoding == Encoding::Netstring
                          ? encode_netstring(first.msg, auth, true)
                          : encode_classic(first.msg, auth, first.trailing_nul);
  DecodeResult second = decode(again, auth);
  if (!second.ok() && second.rejection.reason != Reject::TooLarge) __builtin_trap();
  if (second.ok() && !(without_auth(second.msg) == without_auth(first.msg))) __builtin_trap();
  if (second.ok() && second.encoding != first.encoding) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view packet(reinterpret_cast<const char*>(data), size);
  DecodeResult parsed = parse_unauthenticated(packet);
  for (const AuthConfig& auth : configs()) {
    DecodeResult verified = decode(packet, auth);
    // Authentication can only narrow what framing accepts.
    if (verified.ok() && !parsed.ok()) __builtin_trap();
  }
  if (parsed.ok()) require_round_trip(parsed);
  return 0;
}
