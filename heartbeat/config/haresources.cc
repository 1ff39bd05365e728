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

// Joins physical lines ending in a backslash (immediately before the
// newline; a CR or blank in between breaks the continuation).
std::vector<LogicalLine> logical_lines(const std::string& text) {
  std::vector<LogicalLine> out;
  LogicalLine cur;
  bool continuing = false;
  int number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string::npos ? text.size() : nl;
    std::string physical = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (!continuing) cur = {"", number};
    continuing = nl != std::string::npos && !physical.empty() && physical.back() == '\\';
    if (continuing) physical.pop_back();
    cur.text += physical;
    if (continuing) cur.text += ' ';
    else out.push_back(cur);
  }
  if (continuing) out.push_back(cur);
  return out;
}

std::vector<std::string> tokens(const std::string& line) {
  return split_words(std::string_view(line).substr(0, line.find('#')), " \t\r\f\v");
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
    auto words = tokens(logical.text);
    if (words.empty()) continue;
    ResourceGroup g;
    g.node = words[0];
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
