#include "config/haresources.h"

#include "config/words.h"

#include <map>
#include <sstream>

namespace hbd::config {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

struct LogicalLine {
  std::string text;
  int first_line = 0;
};

// heartbeat reads haresources lines into a fixed buffer: the rest of a
// longer line is read as a line of its own (corpus: gen-haresources-long-*).
constexpr size_t kLineBuffer = 5119;

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Joins reads ending in a backslash immediately before the newline (a CR or
// blank in between breaks the continuation). A backslash on the last line
// has nothing to join and stays.
std::vector<LogicalLine> logical_lines(const std::string& text) {
  std::vector<LogicalLine> out;
  LogicalLine cur;
  bool continuing = false;
  for (const auto& read : fgets_lines(text, kLineBuffer)) {
    std::string physical = read.text;
    if (!continuing) cur = {"", read.line};
    continuing = read.newline && !physical.empty() && physical.back() == '\\';
    if (continuing) physical.back() = ' ';
    cur.text += physical;
    if (!continuing) out.push_back(cur);
  }
  if (continuing) {
    cur.text.back() = '\\';
    out.push_back(cur);
  }
  return out;
}

// The resources of a line: words up to a '#' (the script layer strips
// comments anywhere).
std::vector<std::string> tokens(const std::string& line) {
  return split_words(std::string_view(line).substr(0, line.find('#')), " \t\r\f\v");
}

// heartbeat's node check takes the first word as it is: '#' only makes a
// comment at the start of a line ("node1#x" is a bad node name).
std::string first_word(const std::string& line, size_t* end) {
  size_t b = 0;
  while (b < line.size() && is_space(line[b])) ++b;
  size_t e = b;
  while (e < line.size() && !is_space(line[e])) ++e;
  *end = e;
  return line.substr(b, e - b);
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace

bool is_ip_shorthand(const std::string& token) {
  if (token.empty() || !is_digit(token[0])) return false;
  int dots = 0;
  for (size_t i = 0; i + 1 < token.size(); ++i)
    if (token[i] == '.' && is_digit(token[i + 1])) ++dots;
  return dots >= 3;
}

Resource parse_resource(const std::string& token) {
  Resource r;
  r.token = token;
  if (is_ip_shorthand(token)) {
    r.script = "IPaddr";
    r.args.push_back(token);
    return r;
  }
  size_t sep = token.find("::");
  r.script = token.substr(0, sep);
  while (sep != std::string::npos) {
    size_t begin = sep + 2;
    sep = token.find("::", begin);
    std::string arg = token.substr(begin, sep == std::string::npos ? std::string::npos : sep - begin);
    if (!arg.empty()) r.args.push_back(arg);
  }
  return r;
}

HaResourcesResult parse_haresources(const std::string& text, const std::string& path) {
  HaResourcesResult result;
  std::map<std::string, int> key_lines;
  for (const auto& logical : logical_lines(text)) {
    size_t node_end = 0;
    std::string node = first_word(logical.text, &node_end);
    if (node.empty() || node[0] == '#') continue;
    auto words = tokens(logical.text.substr(node_end));
    words.insert(words.begin(), node);
    ResourceGroup g;
    g.node = node;
    g.line = logical.first_line;
    g.line_text = join(words);
    result.node_lines.push_back({g.node, g.line});
    if (words.size() == 1) {
      result.diagnostics.push_back({Severity::Warning, path, g.line,
                                    "Node [" + g.node + "] has a line without resources"});
      continue;
    }
    for (size_t i = 1; i < words.size(); ++i) g.resources.push_back(parse_resource(words[i]));
    auto [it, fresh] = key_lines.emplace(g.key(), g.line);
    if (!fresh)
      result.diagnostics.push_back(
          {Severity::Warning, path, g.line,
           "Resource group key [" + g.key() + "] is already the key of the group on line " +
               std::to_string(it->second) + "; heartbeat would merge the two groups"});
    result.groups.push_back(std::move(g));
  }
  return result;
}

}  // namespace hbd::config
