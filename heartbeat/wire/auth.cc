#include "wire/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>

#include <array>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "wire/classic.h"

namespace hbd::wire {
namespace {

constexpr uint32_t kCrcPoly = 0x04C11DB7;

std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i << 24;
    for (int bit = 0; bit < 8; ++bit) c = (c & 0x80000000u) ? (c << 1) ^ kCrcPoly : c << 1;
    table[i] = c;
  }
  return table;
}

std::string to_hex(const unsigned char* bytes, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 15];
  }
  return out;
}

thread_local uint64_t g_contexts_allocated = 0;

// Through EVP_MAC rather than HMAC(): cluster-glue's libplumb exports its own
// HMAC symbol, which would win over OpenSSL's in a process linking both.
EVP_MAC_CTX* new_keyed_hmac(const char* digest_name, std::string_view key) {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  static const unsigned char kNoKey[1] = {0};  // HMAC wants a non-null key pointer
  const auto* key_bytes =
      key.empty() ? kNoKey : reinterpret_cast<const unsigned char*>(key.data());
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest_name), 0),
      OSSL_PARAM_construct_end()};
  EVP_MAC_CTX* ctx = mac ? EVP_MAC_CTX_new(mac) : nullptr;
  if (ctx) ++g_contexts_allocated;
  if (ctx && !EVP_MAC_init(ctx, key_bytes, key.size(), params)) {
    EVP_MAC_CTX_free(ctx);
    ctx = nullptr;
  }
  return ctx;
}

// One keyed context per (digest, key), reused for every message: fetching
// the digest, hashing the key, or even duplicating a keyed context (five
// allocations) would cost more than hashing a 300-byte packet.
class KeyedHmacCache {
 public:
  ~KeyedHmacCache() { clear(); }
  EVP_MAC_CTX* get(const char* digest_name, std::string_view key) {
    for (const Entry& e : entries_)
      if (std::string_view(e.digest_name) == digest_name && e.key == key) return e.ctx;
    if (entries_.size() >= kMaxEntries) clear();
    EVP_MAC_CTX* ctx = new_keyed_hmac(digest_name, key);
    if (ctx) entries_.push_back(Entry{digest_name, std::string(key), ctx});
    return ctx;
  }
  // A context whose last use failed part way is in an unknown state.
  void drop(EVP_MAC_CTX* ctx) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it)
      if (it->ctx == ctx) {
        EVP_MAC_CTX_free(ctx);
        entries_.erase(it);
        return;
      }
  }

 private:
  static constexpr size_t kMaxEntries = 32;  // authkeys has at most 16 indexes
  struct Entry {
    const char* digest_name;
    std::string key;
    EVP_MAC_CTX* ctx;
  };
  void clear() {
    for (Entry& e : entries_) EVP_MAC_CTX_free(e.ctx);
    entries_.clear();
  }
  std::vector<Entry> entries_;
};

// EVP_MAC_init with no key restarts HMAC from the stored key state
// (OpenSSL 3: "reinit", no allocation beyond the digest's own copy).
std::string hmac_hex(const char* digest_name, std::string_view key, std::string_view data) {
  thread_local KeyedHmacCache cache;
  EVP_MAC_CTX* ctx = cache.get(digest_name, key);
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t len = 0;
  bool ok = ctx && EVP_MAC_init(ctx, nullptr, 0, nullptr) &&
            EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) &&
            EVP_MAC_final(ctx, out, &len, sizeof out);
  if (!ok) {
    if (ctx) cache.drop(ctx);
    return {};  // never matches a digest: verification fails closed
  }
  return to_hex(out, len);
}

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool same_text(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Rejection reject(Reject reason, std::string text) { return Rejection{reason, std::move(text)}; }

}  // namespace

uint64_t hmac_contexts_allocated() { return g_contexts_allocated; }

uint32_t crc32_cksum(std::string_view data) {
  static const std::array<uint32_t, 256> table = make_crc_table();
  uint32_t crc = 0;
  for (unsigned char c : data) crc = (crc << 8) ^ table[(crc >> 24) ^ c];
  return ~crc;
}

const char* auth_method_name(AuthMethod method) {
  switch (method) {
    case AuthMethod::Crc: return "crc";
    case AuthMethod::Md5: return "md5";
    case AuthMethod::Sha1: return "sha1";
  }
  return "unknown";
}

std::string digest_hex(const AuthKey& key, std::string_view data) {
  switch (key.method) {
    case AuthMethod::Crc: {
      char text[9];
      std::snprintf(text, sizeof text, "%lx", static_cast<unsigned long>(crc32_cksum(data)));
      return text;
    }
    case AuthMethod::Md5: return hmac_hex("MD5", key.secret, data);
    case AuthMethod::Sha1: return hmac_hex("SHA1", key.secret, data);
  }
  return {};
}

std::optional<AuthToken> parse_auth_token(std::string_view text) {
  size_t space = text.find(' ');
  if (space == 0 || space == std::string_view::npos || space > 2) return std::nullopt;
  int index = 0;
  for (size_t i = 0; i < space; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    index = index * 10 + (text[i] - '0');
  }
  std::string_view digest = text.substr(space + 1);
  if (digest.empty()) return std::nullopt;
  for (char c : digest)
    if (!is_lower_hex(c)) return std::nullopt;
  return AuthToken{index, digest};
}

Rejection verify_auth_token(std::string_view token, std::string_view data,
                            const AuthConfig& auth) {
  std::optional<AuthToken> parsed = parse_auth_token(token);
  if (!parsed) return reject(Reject::BadAuthToken, "Bad/invalid auth token");
  auto key = auth.keys.find(parsed->index);
  if (key == auth.keys.end())
    return reject(Reject::UnknownAuthIndex, "Invalid authentication type [" +
                                                std::to_string(parsed->index) + "] in message!");
  if (!same_text(digest_hex(key->second, data), parsed->digest))
    return reject(Reject::BadDigest, std::string("bad ") + auth_method_name(key->second.method) +
                                         " digest with auth index " +
                                         std::to_string(parsed->index));
  return {};
}

const AuthKey& signing_key(const AuthConfig& auth) {
  auto key = auth.keys.find(auth.active);
  if (key == auth.keys.end())
    throw std::invalid_argument("no authentication key for active index " +
                                std::to_string(auth.active));
  return key->second;
}

std::string sign_token(std::string_view data, const AuthConfig& auth) {
  return std::to_string(auth.active) + ' ' + digest_hex(signing_key(auth), data);
}

std::string inner_auth_input(const Message& msg) {
  std::string text;
  render_classic_fields(msg, /*skip_auth=*/true, text);
  return text;
}

void set_inner_auth(Message& msg, const AuthConfig& auth) {
  msg.set("auth", sign_token(inner_auth_input(msg), auth));
}

Rejection verify_inner_auth(const Message& msg, const AuthConfig& auth) {
  const std::string* token = msg.get("auth");
  if (!token) return reject(Reject::MissingAuth, "Bad/invalid auth token: no auth field");
  return verify_auth_token(*token, inner_auth_input(msg), auth);
}

}  // namespace hbd::wire
