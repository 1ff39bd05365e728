#include "config/authkeys.h"

#include <cstdio>
#include <sstream>
#include <vector>

#include "config/timeval.h"

namespace hbd::config {

namespace {

constexpr int kMaxIndex = 15;

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

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
    std::string text = raw.substr(0, raw.find_first_of("\r"));
    size_t b = text.find_first_not_of(" \t");
    if (b == std::string::npos || text[b] == '#') return;
    auto w = words(text);
    if (text[b] == 'a')
      auth_line(text, w);
    else if (text[b] >= '0' && text[b] <= '9')
      key_line(w);
    else
      fail("Auth line [" + text + "] is invalid.");
  }

  void finish() {
    line_ = 0;
    if (!auth_seen_) {
      fail("Missing auth directive in keyfile [" + path_ + "]");
    } else if (!active_found_) {
      fail("Auth Key [" + std::to_string(wanted_) + "] not found in keyfile [" + path_ + "]");
    }
    r_.ok = !has_errors(r_.diagnostics);
    if (r_.ok) r_.auth.active = wanted_;
  }

 private:
  void fail(std::string message) {
    r_.diagnostics.push_back({Severity::Error, path_, line_, std::move(message)});
  }

  void auth_line(const std::string& text, const std::vector<std::string>& w) {
    auto n = w.size() >= 2 && w[0] == "auth" ? parse_uint(w[1], 1000000) : std::nullopt;
    if (!n) {
      fail("Invalid auth line [" + text + "] in " + path_);
      return;
    }
    auth_seen_ = true;
    wanted_ = static_cast<int>(*n);
    // Bound when the key line is read: a key given earlier does not count.
    active_found_ = false;
  }

  void key_line(const std::vector<std::string>& w) {
    auto index = parse_uint(w[0], 1000000);
    if (!index || *index > kMaxIndex) {
      fail("Invalid authnum [" + w[0] + "] in " + path_);
      return;
    }
    std::string method_name = w.size() > 1 ? w[1] : "";
    auto method = method_named(method_name);
    if (!method) {
      fail("Invalid authtype [" + method_name + "]");
      return;
    }
    std::string secret = w.size() > 2 ? w[2] : "";
    // heartbeat only notes this and drops the key; it is fatal only when
    // the key is the one `auth` selects (then it is "not found").
    if (*method == wire::AuthMethod::Crc && !secret.empty()) {
      r_.diagnostics.push_back({Severity::Warning, path_, line_, "Auth method [crc] doesn't use a key"});
      return;
    }
    if (*method != wire::AuthMethod::Crc && secret.empty()) {
      fail("Auth method [" + method_name + "] requires a key");
      return;
    }
    int i = static_cast<int>(*index);
    if (r_.auth.keys.count(i))
      r_.diagnostics.push_back({Severity::Warning, path_, line_,
                                "Key [" + w[0] + "] given more than once; the last one is used"});
    r_.auth.keys[i] = {*method, secret};
    if (auth_seen_ && i == wanted_) active_found_ = true;
  }

  AuthKeysResult& r_;
  const std::string& path_;
  int line_ = 0;
  bool auth_seen_ = false;
  bool active_found_ = false;
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
