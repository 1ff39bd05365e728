#include "wire/auth.h"

// SHA1_* and MD5_* are deprecated in OpenSSL 3 in favour of EVP, but still
// exported; see PadStates for why hbd uses them.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/md5.h>
#include <openssl/sha.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <memory>
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

thread_local uint64_t g_keys_prepared = 0;

constexpr size_t kHmacBlock = 64;  // MD5 and SHA-1 alike

// HMAC (RFC 2104) of one key: the states after hashing key^ipad and
// key^opad are computed once; a message copies them by value and hashes on.
// No allocation, no provider dispatch: EVP_MAC (even a reused context,
// restarted with EVP_MAC_init) duplicates digest contexts on the heap for
// every message, and on an idle daemon whose caches are cold by the next
// keepalive that path cost more than the hashing. The digest functions are
// OpenSSL's own; the same code path serves a keyed SHA-1 and MD5.
template <class Ctx, int (*Init)(Ctx*), int (*Update)(Ctx*, const void*, size_t),
          int (*Final)(unsigned char*, Ctx*), size_t kLen>
class PadStates {
 public:
  explicit PadStates(std::string_view key) {
    unsigned char k[kHmacBlock] = {};
    if (key.size() > kHmacBlock) {
      hash(key, k);  // a long key is replaced by its digest
    } else {
      std::memcpy(k, key.data(), key.size());
    }
    start(inner_, k, 0x36);
    start(outer_, k, 0x5c);
    OPENSSL_cleanse(k, sizeof k);
  }
  ~PadStates() {
    OPENSSL_cleanse(&inner_, sizeof inner_);
    OPENSSL_cleanse(&outer_, sizeof outer_);
  }

  std::string hex(std::string_view data) const {
    unsigned char h[kLen];
    Ctx c = inner_;
    Update(&c, data.data(), data.size());
    Final(h, &c);
    c = outer_;
    Update(&c, h, kLen);
    Final(h, &c);
    OPENSSL_cleanse(&c, sizeof c);
    return to_hex(h, kLen);
  }

 private:
  static void hash(std::string_view data, unsigned char* out) {
    Ctx c;
    Init(&c);
    Update(&c, data.data(), data.size());
    Final(out, &c);
  }
  static void start(Ctx& c, const unsigned char* key, unsigned char pad) {
    unsigned char block[kHmacBlock];
    for (size_t i = 0; i < kHmacBlock; ++i) block[i] = key[i] ^ pad;
    Init(&c);
    Update(&c, block, kHmacBlock);
    OPENSSL_cleanse(block, sizeof block);
  }
  Ctx inner_;
  Ctx outer_;
};

using Sha1Pads = PadStates<SHA_CTX, SHA1_Init, SHA1_Update, SHA1_Final, SHA_DIGEST_LENGTH>;
using Md5Pads = PadStates<MD5_CTX, MD5_Init, MD5_Update, MD5_Final, MD5_DIGEST_LENGTH>;

// The prepared keys in use (authkeys has at most 16 indexes).
class PreparedKeys {
 public:
  std::string hex(AuthMethod method, std::string_view key, std::string_view data) {
    for (const Entry& e : entries_)
      if (e.method == method && e.key == key) return e.hex(data);
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_.push_back(prepare(method, key));
    ++g_keys_prepared;
    return entries_.back().hex(data);
  }

 private:
  static constexpr size_t kMaxEntries = 32;
  struct Entry {
    AuthMethod method;
    std::string key;
    std::unique_ptr<Sha1Pads> sha1;
    std::unique_ptr<Md5Pads> md5;
    std::string hex(std::string_view data) const { return sha1 ? sha1->hex(data) : md5->hex(data); }
  };
  static Entry prepare(AuthMethod method, std::string_view key) {
    Entry e{method, std::string(key), nullptr, nullptr};
    if (method == AuthMethod::Sha1) {
      e.sha1 = std::make_unique<Sha1Pads>(key);
    } else {
      e.md5 = std::make_unique<Md5Pads>(key);
    }
    return e;
  }
  std::vector<Entry> entries_;
};

std::string hmac_hex(AuthMethod method, std::string_view key, std::string_view data) {
  thread_local PreparedKeys keys;
  return keys.hex(method, key, data);
}

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool same_text(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Rejection reject(Reject reason, std::string text) { return Rejection{reason, std::move(text)}; }

}  // namespace

uint64_t hmac_keys_prepared() { return g_keys_prepared; }

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
    case AuthMethod::Md5: return hmac_hex(key.method, key.secret, data);
    case AuthMethod::Sha1: return hmac_hex(key.method, key.secret, data);
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
