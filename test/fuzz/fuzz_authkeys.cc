// libFuzzer target: authkeys parsing on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config/authkeys.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  hbd::config::AuthKeysResult r = hbd::config::parse_authkeys(text, "/etc/ha.d/authkeys");
  // A usable result always names a key that exists.
  if (r.ok && r.auth.keys.count(r.auth.active) == 0) std::abort();
  return 0;
}
