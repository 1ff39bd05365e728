// ha.cf lexing: comments, line ends, directive kinds and the per-value split.
#include "config/hacf.h"

#include "config/hacf_directives.h"
#include "config/words.h"

namespace hbd::config {

namespace {

// heartbeat reads ha.cf lines into a fixed buffer of this size; the rest of
// a longer line is read as the next line.
constexpr size_t kLineBuffer = 5120;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// The meaningful part of a physical line: up to CR/LF or '#', trimmed.
std::string strip_line(const std::string& raw) {
  size_t end = raw.find_first_of("\r#");
  std::string s = raw.substr(0, end);
  size_t b = 0;  // heartbeat skips any white space here, form feeds included
  while (b < s.size() && (is_blank(s[b]) || s[b] == '\f' || s[b] == '\v')) ++b;
  size_t e = s.size();
  while (e > b && (is_blank(s[e - 1]) || s[e - 1] == '\f' || s[e - 1] == '\v')) --e;
  return s.substr(b, e - b);
}

// Option values are separated by blanks and commas.
std::vector<std::string> split_values(const std::string& s) { return split_words(s, " \t,"); }

class Parser {
 public:
  Parser(HaCfResult& r, const std::string& path, const SystemProbe& probe)
      : r_(r), ctx_{r.config, r.diagnostics, probe, path, 0} {}

  void line(int number, const std::string& raw) {
    ctx_.line = number;
    std::string s = strip_line(raw);
    if (s.empty()) return;
    size_t name_end = 0;
    while (name_end < s.size() && !is_blank(s[name_end])) ++name_end;
    std::string name = s.substr(0, name_end);
    size_t rest_begin = name_end;
    while (rest_begin < s.size() && is_blank(s[rest_begin])) ++rest_begin;
    directive(name, s.substr(rest_begin));
  }

 private:
  void directive(std::string name, const std::string& rest) {
    if (name == "udp") {
      ctx_.warn("WARNING: directive 'udp' replaced by 'bcast'");
      name = "bcast";
    }
    r_.config.lines[name] = ctx_.line;
    if (const auto* opt = hacf::find_option(name)) {
      for (const auto& v : split_values(rest)) {
        bool ok = opt->handle(ctx_, v);
        error(ok);
        if (ok && opt->record_as) r_.config.params[opt->record_as] = v;
      }
    } else if (auto whole = hacf::find_line_directive(name)) {
      error(whole(ctx_, rest));
    } else if (auto medium = hacf::find_value_medium(name)) {
      for (const auto& v : split_values(rest)) error(medium(ctx_, v));
    } else {
      error(ctx_.fail("Illegal directive [" + name + "] in " + ctx_.path));
    }
  }

  void error(bool ok) {
    if (!ok) ++r_.errors;
  }

  HaCfResult& r_;
  hacf::Context ctx_;
};

}  // namespace

HaCfResult parse_hacf(const std::string& text, const std::string& path,
                      const SystemProbe& probe) {
  HaCfResult result;
  Parser parser(result, path, probe);
  for (const auto& read : fgets_lines(text, kLineBuffer)) {
    if (!read.newline && read.text.size() == kLineBuffer - 1)
      result.diagnostics.push_back({Severity::Warning, path, read.line,
                                    "Line longer than " + std::to_string(kLineBuffer - 2) +
                                        " characters: heartbeat reads the rest as a new line"});
    parser.line(read.line, read.text);
  }
  return result;
}

}  // namespace hbd::config
