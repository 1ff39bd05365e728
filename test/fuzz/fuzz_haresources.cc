// libFuzzer target: haresources parsing on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config/haresources.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  hbd::config::HaResourcesResult r = hbd::config::parse_haresources(text, "/etc/ha.d/haresources");
  for (const auto& g : r.groups) {
    if (g.resources.empty() || g.node.empty() || g.line < 1) std::abort();
    for (const auto& res : g.resources)
      for (const auto& a : res.args)
        if (a.empty()) std::abort();
  }
  return 0;
}
