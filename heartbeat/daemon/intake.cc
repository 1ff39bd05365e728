#include "daemon/intake.h"

namespace hbd::daemon {

namespace {

// Who a rejected packet claims to be from (unauthenticated: for the log only).
std::string claimed_sender(const wire::Message& partial, const std::string& medium) {
  constexpr size_t kMaxShown = 64;  // the key must not grow with the packet
  std::string src = partial.get_or("src", "?").substr(0, kMaxShown);
  return src + " on " + medium;
}

}  // namespace

IntakeResult Intake::take(std::string_view packet, const std::string& medium,
                          const wire::AuthConfig& auth, int64_t now_ms) {
  IntakeResult out;
  wire::DecodeResult d = wire::decode(packet, auth);
  if (d.ok()) {
    ++counters_.accepted;
    out.accepted = true;
    out.message = std::move(d.msg);
    return out;
  }
  wire::Reject reason = d.rejection.reason;
  ++counters_.rejected;
  ++counters_.by_reason[static_cast<size_t>(reason)];
  out.level = reason == wire::Reject::UnknownAuthIndex ? log::Level::Warn : log::Level::Debug;
  std::string key = std::string(wire::reject_name(reason)) + " from " +
                    claimed_sender(d.msg, medium);
  if (!limit_.allow(key, out.level, now_ms)) return out;
  if (reason == wire::Reject::UnknownAuthIndex) {
    out.log_text = d.rejection.text;
  } else {
    out.log_text = "dropped a " + std::to_string(packet.size()) + "-byte packet on " + medium +
                   ": " + wire::reject_name(reason) +
                   (d.rejection.text.empty() ? "" : " (" + d.rejection.text + ")");
  }
  return out;
}

}  // namespace hbd::daemon
