#include "serial/socat_log.h"

#include <cctype>
#include <fstream>

namespace hbd::serial::test {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// " 3e 3e 3e 0a    >>>." -> ">>>\n": hex pairs until the text column.
void append_hex_line(const std::string& line, std::string& out) {
  for (size_t i = 0; i + 2 < line.size() && i < 48; i += 3) {
    int hi = hex_digit(line[i + 1]), lo = hex_digit(line[i + 2]);
    if (line[i] != ' ' || hi < 0 || lo < 0) break;
    if (i + 3 < line.size() && line[i + 3] != ' ') break;
    out += static_cast<char>(hi * 16 + lo);
  }
}

}  // namespace

std::vector<SocatChunk> read_socat_log(const std::string& path) {
  std::ifstream in(path);
  std::vector<SocatChunk> chunks;
  std::string line;
  bool open = false;
  while (std::getline(in, line)) {
    if (line.size() > 2 && (line[0] == '>' || line[0] == '<') && line[1] == ' ') {
      chunks.push_back({line[0], {}});
      open = true;
    } else if (open && !line.empty() && line[0] == ' ') {
      append_hex_line(line, chunks.back().bytes);
    } else {
      open = false;
    }
  }
  return chunks;
}

}  // namespace hbd::serial::test
