#include "config/authkeys.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "config/timeval.h"

namespace hbd::config {

namespace {

constexpr int kMaxIndex = 15;

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Reads the file the way heartbeat's scanf formats do: words are runs of
// non-blanks (CR is a blank), numbers are a sign and digits kept in a C int.
class Scanner {
 public:
  explicit Scanner(const std::string& s, size_t pos = 0) : s_(s), pos_(pos) {}

  bool literal(const char* text) {
    size_t n = std::strlen(text);
    if (s_.compare(pos_, n, text) != 0) return false;
    pos_ += n;
    return true;
  }
  bool number(long* out) {
    skip_space();
    size_t b = pos_;
    if (b < s_.size() && (s_[b] == '-' || s_[b] == '+')) ++b;
    size_t e = b;
    while (e < s_.size() && s_[e] >= '0' && s_[e] <= '9') ++e;
    if (e == b) return false;
    long v = std::strtol(s_.substr(pos_, e - pos_).c_str(), nullptr, 10);
    *out = static_cast<int>(static_cast<unsigned long>(v) & 0xffffffffUL);
    pos_ = e;
    return true;
  }
  bool word(std::string* out) {
    skip_space();
    size_t b = pos_;
    while (pos_ < s_.size() && !is_space(s_[pos_])) ++pos_;
    *out = s_.substr(b, pos_ - b);
    return pos_ > b;
  }

 private:
  void skip_space() {
    while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
  }
  const std::string& s_;
  size_t pos_;
};

std::optional<wire::AuthMethod> method_named(const std::string& name) {
  if (name == "crc") return wire::AuthMethod::Crc;
  if (name == "md5") return wire::AuthMethod::Md5;
  if (name == "sha1") return wire::AuthMethod::Sha1;
  return std::nullopt;
}

class Reader {
 public:
  Reader(AuthKeysResult& r, const std::string& path) : r_(r), path_(path) {}

  void line(int number, const std::string& raw) {
    line_ = number;
    size_t b = raw.find_first_not_of(" \t");
    if (b == std::string::npos || raw[b] == '#') return;
    if (raw.find_first_not_of(" \t\r\n\v\f", b) == std::string::npos) return;
    // heartbeat quotes the line with its line end; hbd's line number says where.
    std::string text = raw.substr(b);
    while (!text.empty() && text.back() == '\r') text.pop_back();
    if (raw[b] == 'a')
      auth_line(raw, b, text);
    else
      key_line(raw, b, text);
  }

  void finish() {
    line_ = 0;
    if (!auth_seen_) {
      fail("Missing auth directive in keyfile [" + path_ + "]");
    } else if (!active_found_) {
      fail("Auth Key [" + std::to_string(wanted_) + "] not found in keyfile [" + path_ + "]");
    }
    r_.ok = !has_errors(r_.diagnostics) && !bad_line_;
    if (r_.ok) r_.auth.active = wanted_;
  }

 private:
  void fail(std::string message) {
    r_.diagnostics.push_back({Severity::Error, path_, line_, std::move(message)});
  }

  // "auth N": the word auth, then a C int (auth1, auth 1x and auth 01 all
  // select key 1); a negative N selects nothing.
  void auth_line(const std::string& raw, size_t b, const std::string& text) {
    Scanner in(raw, b);
    long n = 0;
    if (!in.literal("auth") || !in.number(&n)) {
      fail("Invalid auth line [" + text + "] in " + path_);
      return;
    }
    auth_seen_ = n >= 0;
    wanted_ = static_cast<int>(n);
    // Bound when the key line is read: a key given earlier does not count.
    active_found_ = false;
  }

  // "N method [secret]": anything else that is not a comment or blank.
  void key_line(const std::string& raw, size_t b, const std::string& text) {
    Scanner in(raw, b);
    long index = 0;
    std::string method_name, secret;
    if (!in.number(&index) || !in.word(&method_name)) {
      fail("Auth line [" + text + "] is invalid.");
      return;
    }
    in.word(&secret);
    if (index < 0 || index > kMaxIndex) {
      fail("Invalid authnum [" + std::to_string(index) + "] in " + path_);
      return;
    }
    auto method = method_named(method_name);
    if (!method) {
      fail("Invalid authtype [" + method_name + "]");
      return;
    }
    // heartbeat logs this at info level, drops the key and refuses the
    // file, even when the key is not the selected one.
    if (*method == wire::AuthMethod::Crc && !secret.empty()) {
      r_.diagnostics.push_back({Severity::Info, path_, line_, "Auth method [crc] doesn't use a key"});
      bad_line_ = true;
      return;
    }
    if (*method != wire::AuthMethod::Crc && secret.empty()) {
      fail("Auth method [" + method_name + "] requires a key");
      return;
    }
    int i = static_cast<int>(index);
    if (r_.auth.keys.count(i))
      r_.diagnostics.push_back({Severity::Warning, path_, line_,
                                "Key [" + std::to_string(i) + "] given more than once; the last one is used"});
    r_.auth.keys[i] = {*method, secret};
    if (auth_seen_ && i == wanted_) active_found_ = true;
  }

  AuthKeysResult& r_;
  const std::string& path_;
  int line_ = 0;
  bool auth_seen_ = false;
  bool active_found_ = false;
  bool bad_line_ = false;  // heartbeat refuses the file, with only an info line
  int wanted_ = -1;
};

}  // namespace

AuthKeysResult parse_authkeys(const std::string& text, const std::string& path) {
  AuthKeysResult result;
  Reader reader(result, path);
  int number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string::npos ? text.size() : nl;
    reader.line(++number, text.substr(pos, end - pos));
    pos = end + 1;
  }
  reader.finish();
  return result;
}

bool authkeys_mode_ok(unsigned mode) { return (mode & 044) == 0; }

std::string authkeys_exposure_warning(const std::string& path, unsigned mode, unsigned owner) {
  bool writable = (mode & 022) != 0;
  if (!writable && owner == 0) return "";
  char octal[8];
  std::snprintf(octal, sizeof octal, "%04o", mode & 07777);
  std::string fix = writable && owner != 0 ? "chmod 600 and chown root it"
                    : writable             ? "chmod 600 it"
                                           : "chown root it";
  return "keyfile [" + path + "] has mode " + octal + " and owner uid " + std::to_string(owner) +
         ": " + (writable ? "others can rewrite the keys" : "a non-root user can rewrite the keys") +
         "; " + fix + ".";
}

}  // namespace hbd::config
