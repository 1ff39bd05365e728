// authkeys: `auth N` plus key lines `N method [secret]`, and the file's
// permission rule.
#pragma once
#include <string>

#include "config/diagnostic.h"
#include "wire/auth_config.h"

namespace hbd::config {

struct AuthKeysResult {
  wire::AuthConfig auth;
  Diagnostics diagnostics;
  bool ok = false;  // usable: an active key and no bad line
};

// Parses the text of `path` (messages name it).
AuthKeysResult parse_authkeys(const std::string& text, const std::string& path);

// heartbeat refuses a key file that group or other can read.
bool authkeys_mode_ok(unsigned mode);

// A key file heartbeat accepts but someone besides root could rewrite
// (group/other writable, or another owner): the warning that says so and
// what to do, or "" when the file is safe. Not a refusal: heartbeat starts.
std::string authkeys_exposure_warning(const std::string& path, unsigned mode, unsigned owner);

}  // namespace hbd::config
