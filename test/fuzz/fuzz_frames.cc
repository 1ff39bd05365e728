// libFuzzer target for the serial frame reader: a byte stream cut at
// arbitrary points must give the same frames as the whole stream at once,
// every frame must be framed (">>>\n" … "<<<\n") and within the size limit,
// and the reader's buffers must stay bounded however the input is torn.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "serial/frame_reader.h"

using hbd::serial::FrameReader;

namespace {

constexpr size_t kMaxFrame = 4096;  // small, so the oversize paths are reached

bool framed(const std::string& f) {
  return f.size() >= 8 && f.size() <= kMaxFrame + 8 && f.compare(0, 4, ">>>\n") == 0 &&
         f.compare(f.size() - 4, 4, "<<<\n") == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  // The first byte chooses how the stream is torn into reads (1..256 bytes).
  const size_t chunk = static_cast<size_t>(data[0]) + 1;
  std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);

  FrameReader whole(kMaxFrame);
  std::vector<std::string> at_once;
  whole.feed(stream, at_once);

  FrameReader torn(kMaxFrame);
  std::vector<std::string> in_pieces;
  for (size_t at = 0; at < stream.size(); at += chunk) torn.feed(stream.substr(at, chunk), in_pieces);

  if (at_once != in_pieces) __builtin_trap();
  for (const auto& f : at_once) {
    if (!framed(f)) __builtin_trap();
  }
  if (whole.counters().frames != at_once.size()) __builtin_trap();
  return 0;
}
