// libFuzzer target: ha.cf parsing and defaults on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/fake_system_probe.h"
#include "config/hacf.h"
#include "config/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const hbd::config::FakeSystemProbe probe;
  std::string text(reinterpret_cast<const char*>(data), size);
  hbd::config::HaCfResult r = hbd::config::parse_hacf(text, "/etc/ha.d/ha.cf", probe);
  if (r.errors == 0) hbd::config::apply_defaults(r.config);
  return 0;
}
