#include "daemon/intake.h"

namespace hbd::daemon {

IntakeResult Intake::take(std::string_view packet, const std::string& medium,
                          const wire::AuthConfig& auth) {
  IntakeResult out;
  wire::DecodeResult d = wire::decode(packet, auth);
  if (d.ok()) {
    ++counters_.accepted;
    out.accepted = true;
    out.message = std::move(d.msg);
    return out;
  }
  ++counters_.rejected;
  ++counters_.by_reason[static_cast<size_t>(d.rejection.reason)];
  if (d.rejection.reason == wire::Reject::UnknownAuthIndex) {
    out.level = log::Level::Warn;
    out.log_text = d.rejection.text;
  } else {
    out.level = log::Level::Debug;
    out.log_text = "dropped a " + std::to_string(packet.size()) + "-byte packet on " + medium +
                   ": " + wire::reject_name(d.rejection.reason) +
                   (d.rejection.text.empty() ? "" : " (" + d.rejection.text + ")");
  }
  return out;
}

}  // namespace hbd::daemon
