// One message on its way to every medium: encoded lazily in each wire format
// a medium asks for, at most once per format whatever the number of media.
// The encoding is a pure function of the message and the keys, so a
// retransmission (cluster::History keeps the message as first sent: same
// seq, ts and fields) encodes to the bytes first sent.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/medium.h"
#include "wire/auth_config.h"
#include "wire/message.h"

namespace hbd::daemon {

// The "ld" text of every status message (wire-protocol §2). The kernel
// recomputes its load averages every 5 s (LOAD_FREQ), so reading and
// formatting them for each keepalive (ten a second at 100 ms) would
// repeat one text at the cost of a sysinfo call and a printf; it is
// read again only once that interval is over.
class CachedLoadAverage {
 public:
  static constexpr int64_t kRefreshMs = 5000;
  CachedLoadAverage(std::function<std::string()> read, std::function<int64_t()> now_ms)
      : read_(std::move(read)), now_ms_(std::move(now_ms)) {}
  std::string operator()();

 private:
  std::function<std::string()> read_;
  std::function<int64_t()> now_ms_;
  std::optional<int64_t> read_at_;
  std::string text_;
};

struct WireSettings {
  wire::AuthConfig auth;
  bool netstring_inner_auth = true;  // false with ha.cf "msgfmt netstring"
};

// The bytes of `message` in `format`: UDP netstring (inner auth as settings
// say), or serial classic text with a fresh inner auth and no NUL.
std::string encode_for(io::WireFormat format, const wire::Message& message,
                       const WireSettings& settings);

class Outbound {
 public:
  // Both are referenced, not copied: an Outbound lives for one send.
  Outbound(const wire::Message& message, const WireSettings& settings)
      : message_(message), settings_(settings) {}

  const std::string& bytes(io::WireFormat format);
  int encodings() const { return encodings_; }

 private:
  const wire::Message& message_;
  const WireSettings& settings_;
  std::optional<std::string> udp_netstring_;
  std::optional<std::string> serial_classic_;
  int encodings_ = 0;
};

// Sends `message` on every medium in its format; returns the encodings made.
int send_to_all(const wire::Message& message, const WireSettings& settings,
                const std::vector<std::unique_ptr<io::Medium>>& media);

}  // namespace hbd::daemon
