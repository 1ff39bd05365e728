// The authentication keys of authkeys, as the codec needs them.
// Produced by config/authkeys.{h,cc}, consumed by wire/auth.{h,cc}.
#pragma once
#include <map>
#include <string>

namespace hbd::wire {

enum class AuthMethod { Crc, Md5, Sha1 };

struct AuthKey {
  AuthMethod method = AuthMethod::Crc;
  std::string secret;  // empty for crc
};

struct AuthConfig {
  int active = -1;                 // index of `auth N`: signs outgoing messages
  std::map<int, AuthKey> keys;     // every configured index 0..15: verifies incoming
};

}  // namespace hbd::wire
