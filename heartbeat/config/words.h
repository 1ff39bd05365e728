// Splitting configuration text into words, as heartbeat's files are read.
#pragma once
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

}  // namespace hbd::config
