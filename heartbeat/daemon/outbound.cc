#include "daemon/outbound.h"

#include "wire/codec.h"

namespace hbd::daemon {

std::string CachedLoadAverage::operator()() {
  int64_t now = now_ms_();
  if (!read_at_ || now - *read_at_ >= kRefreshMs || now < *read_at_) {
    text_ = read_();
    read_at_ = now;
  }
  return text_;
}

std::string encode_for(io::WireFormat format, const wire::Message& message,
                       const WireSettings& settings) {
  switch (format) {
    case io::WireFormat::UdpNetstring:
      return wire::encode_netstring(message, settings.auth, settings.netstring_inner_auth);
    case io::WireFormat::SerialClassic:
      // heartbeat's serial writer re-parses each message and writes it as
      // classic text with a freshly computed inner auth, whatever UDP uses.
      return wire::encode_classic(message, settings.auth, false);
  }
  return {};
}

const std::string& Outbound::bytes(io::WireFormat format) {
  std::optional<std::string>& slot =
      format == io::WireFormat::UdpNetstring ? udp_netstring_ : serial_classic_;
  if (!slot) {
    slot = encode_for(format, message_, settings_);
    ++encodings_;
  }
  return *slot;
}

int send_to_all(const wire::Message& message, const WireSettings& settings,
                const std::vector<std::unique_ptr<io::Medium>>& media) {
  Outbound out(message, settings);
  for (const auto& medium : media) medium->send(out.bytes(medium->format()));
  return out.encodings();
}

}  // namespace hbd::daemon
