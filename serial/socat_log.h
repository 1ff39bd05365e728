// Test support: the chunks of a `socat -x -v` log (test/vectors/serial-*.txt)
// in the order and sizes socat relayed them. The parser is the one
// `hbctl decode --serial` uses (tools/decode_socat.h).
#pragma once
#include <string>
#include <vector>

#include "tools/decode_socat.h"

namespace hbd::serial::test {

using SocatChunk = tools::SocatChunk;

// Empty when the file cannot be read.
std::vector<SocatChunk> read_socat_log(const std::string& path);

}  // namespace hbd::serial::test
