// The chunks of a `socat -x -v` log, the usual way to record a serial line
// (test/vectors/serial-*.txt): header lines "> 2026/11/21 21:27:44.000280754
// length=N from=.. to=.." (or "< ...") open a chunk in that direction; its
// lines are " xx xx ..." hex (up to 16 bytes) followed by a text rendering,
// which is ignored. Pure: text in, chunks out.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace hbd::tools {

struct SocatChunk {
  char direction = '>';  // '>' first host to second, '<' the reverse
  std::string bytes;
  std::string time;      // the header's timestamp, "" if it has none
};

std::vector<SocatChunk> parse_socat_log(std::string_view text);

// True when `text` has a socat chunk header line: then it is a log, not
// the raw bytes of a line (raw frames start ">>>", never "> ").
bool looks_like_socat_log(std::string_view text);

}  // namespace hbd::tools
