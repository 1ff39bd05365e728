// Splitting configuration text into words, as heartbeat's files are read.
#pragma once
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace hbd::config {

// The non-empty runs of `s` between any of the `separators`.
inline std::vector<std::string> split_words(std::string_view s, std::string_view separators) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t begin = s.find_first_not_of(separators, pos);
    if (begin == std::string_view::npos) break;
    size_t end = s.find_first_of(separators, begin);
    if (end == std::string_view::npos) end = s.size();
    out.emplace_back(s.substr(begin, end - begin));
    pos = end;
  }
  return out;
}

// One read of heartbeat's fgets loop over a configuration file: at most
// `buffer - 1` bytes, up to and without the newline, cut at a NUL byte (C
// strings end there). A longer line comes back in several reads, each taken
// by heartbeat as a line of its own; `line` is the physical line number.
struct LineRead {
  int line = 0;
  std::string text;
  bool newline = false;  // this read ended at a newline
};

inline std::vector<LineRead> fgets_lines(std::string_view text, size_t buffer) {
  std::vector<LineRead> out;
  int number = 1;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t limit = std::min(text.size(), pos + buffer - 1);
    size_t nl = text.find('\n', pos);
    bool newline = nl != std::string_view::npos && nl < limit;
    size_t end = newline ? nl + 1 : limit;
    std::string_view chunk = text.substr(pos, (newline ? nl : end) - pos);
    out.push_back({number, std::string(chunk.substr(0, chunk.find('\0'))), newline});
    if (newline) ++number;
    pos = end;
  }
  return out;
}

}  // namespace hbd::config
