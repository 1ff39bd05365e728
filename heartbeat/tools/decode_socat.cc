#include "tools/decode_socat.h"

#include <cctype>

namespace hbd::tools {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// " 3e 3e 3e 0a    >>>." -> ">>>\n": hex pairs until the text column.
void append_hex_line(std::string_view line, std::string& out) {
  for (size_t i = 0; i + 2 < line.size() && i < 48; i += 3) {
    int hi = hex_digit(line[i + 1]), lo = hex_digit(line[i + 2]);
    if (line[i] != ' ' || hi < 0 || lo < 0) break;
    if (i + 3 < line.size() && line[i + 3] != ' ') break;
    out += static_cast<char>(hi * 16 + lo);
  }
}

bool is_header(std::string_view line) {
  return line.size() > 2 && (line[0] == '>' || line[0] == '<') && line[1] == ' ';
}

// "> 2026/11/21 21:27:44.000280754  length=509 ..." -> "2026/11/21 21:27:44.000280754"
std::string header_time(std::string_view line) {
  std::string_view rest = line.substr(2);
  size_t end = rest.find("  ");
  if (end == std::string_view::npos) end = rest.find(" length=");
  return std::string(rest.substr(0, end));
}

template <class Each>
void for_each_line(std::string_view text, Each each) {
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!each(line)) return;
    if (nl == std::string_view::npos) return;
    text.remove_prefix(nl + 1);
  }
}

}  // namespace

std::vector<SocatChunk> parse_socat_log(std::string_view text) {
  std::vector<SocatChunk> chunks;
  bool open = false;
  for_each_line(text, [&](std::string_view line) {
    if (is_header(line)) {
      chunks.push_back({line[0], {}, header_time(line)});
      open = true;
    } else if (open && !line.empty() && line[0] == ' ') {
      append_hex_line(line, chunks.back().bytes);
    } else {
      open = false;
    }
    return true;
  });
  return chunks;
}

bool looks_like_socat_log(std::string_view text) {
  bool found = false;
  for_each_line(text, [&](std::string_view line) {
    found = is_header(line) && line.find("length=") != std::string_view::npos;
    return !found;
  });
  return found;
}

}  // namespace hbd::tools
