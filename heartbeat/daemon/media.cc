#include "daemon/media.h"

#include <unistd.h>

#include "serial/serial_medium.h"

namespace hbd::daemon {

std::unique_ptr<io::Medium> SystemMediaFactory::udp(const io::UdpSpec& spec,
                                                    io::Medium::OnPacket on_packet,
                                                    io::Medium::OnLog on_log) {
  return std::make_unique<io::UdpMedium>(loop_, spec, udp_sockets_, std::move(on_packet),
                                          std::move(on_log));
}

std::unique_ptr<io::Medium> SystemMediaFactory::serial(const serial::PortSpec& spec,
                                                       io::Medium::OnPacket on_packet,
                                                       io::Medium::OnLog on_log) {
  return std::make_unique<serial::SerialMedium>(loop_, spec, tty_opener_, std::move(on_packet),
                                                std::move(on_log));
}

std::unique_ptr<io::Medium> SystemMediaFactory::ping(const io::PingSpec& spec,
                                                     io::Medium::OnPacket on_packet,
                                                     io::Medium::OnLog on_log) {
  // heartbeat's ICMP id: the daemon's pid (wire-protocol §5.9).
  return std::make_unique<io::PingMedium>(loop_, spec, std::move(on_packet), std::move(on_log),
                                          static_cast<uint16_t>(::getpid() & 0xffff));
}

std::vector<std::unique_ptr<io::Medium>> make_media(const MediaPlan& plan, MediaFactory& factory,
                                                    const io::Medium::OnPacket& on_packet,
                                                    const io::Medium::OnLog& on_log) {
  std::vector<std::unique_ptr<io::Medium>> media;
  for (const auto& spec : plan.udp) media.push_back(factory.udp(spec, on_packet, on_log));
  for (const auto& spec : plan.serial) media.push_back(factory.serial(spec, on_packet, on_log));
  return media;
}

}  // namespace hbd::daemon

namespace hbd::daemon {

std::vector<std::unique_ptr<io::Medium>> make_ping_media(const MediaPlan& plan,
                                                         MediaFactory& factory,
                                                         const io::Medium::OnPacket& on_packet,
                                                         const io::Medium::OnLog& on_log) {
  std::vector<std::unique_ptr<io::Medium>> media;
  for (const auto& spec : plan.ping)
    if (auto m = factory.ping(spec, on_packet, on_log)) media.push_back(std::move(m));
  return media;
}

}  // namespace hbd::daemon
