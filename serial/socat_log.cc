#include "serial/socat_log.h"

#include <fstream>
#include <iterator>

namespace hbd::serial::test {

std::vector<SocatChunk> read_socat_log(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return tools::parse_socat_log(text);
}

}  // namespace hbd::serial::test
