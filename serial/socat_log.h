// Test support: the chunks of a `socat -x -v` log (test/vectors/serial-*.txt)
// in the order and sizes socat relayed them. Header lines "> date length=N"
// or "< ..." open a chunk in that direction; its lines are " xx xx ..." hex
// (up to 16 bytes) followed by a text rendering, which is ignored.
#pragma once
#include <string>
#include <vector>

namespace hbd::serial::test {

struct SocatChunk {
  char direction = '>';  // '>' first host to second, '<' the reverse
  std::string bytes;
};

// Empty when the file cannot be read.
std::vector<SocatChunk> read_socat_log(const std::string& path);

}  // namespace hbd::serial::test
