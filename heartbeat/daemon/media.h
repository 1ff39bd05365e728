// Where the daemon's media come from: a factory injected into the Daemon,
// so tests hand it fake media and the real one opens sockets and ttys.
#pragma once
#include <memory>
#include <vector>

#include <ev.h>

#include "daemon/settings.h"
#include "io/medium.h"
#include "io/udp_medium.h"
#include "io/udp_sockets.h"
#include "serial/serial_port.h"

namespace hbd::daemon {

class MediaFactory {
 public:
  virtual ~MediaFactory() = default;
  // A medium not yet started; it reports packets and log lines through the callbacks.
  virtual std::unique_ptr<io::Medium> udp(const io::UdpSpec& spec, io::Medium::OnPacket on_packet,
                                          io::Medium::OnLog on_log) = 0;
  virtual std::unique_ptr<io::Medium> serial(const serial::PortSpec& spec,
                                             io::Medium::OnPacket on_packet,
                                             io::Medium::OnLog on_log) = 0;
  // A ping node's ICMP medium; none (nullptr) where a factory has no ICMP.
  virtual std::unique_ptr<io::Medium> ping(const io::PingSpec& spec, io::Medium::OnPacket on_packet,
                                           io::Medium::OnLog on_log) {
    (void)spec, (void)on_packet, (void)on_log;
    return nullptr;
  }
};

// io::UdpMedium and serial::SerialMedium on real interfaces and ttys. Must
// outlive the media it makes (they use its tty opener and socket calls).
class SystemMediaFactory : public MediaFactory {
 public:
  explicit SystemMediaFactory(struct ev_loop* loop) : loop_(loop) {}
  std::unique_ptr<io::Medium> udp(const io::UdpSpec& spec, io::Medium::OnPacket on_packet,
                                  io::Medium::OnLog on_log) override;
  std::unique_ptr<io::Medium> serial(const serial::PortSpec& spec, io::Medium::OnPacket on_packet,
                                     io::Medium::OnLog on_log) override;
  std::unique_ptr<io::Medium> ping(const io::PingSpec& spec, io::Medium::OnPacket on_packet,
                                   io::Medium::OnLog on_log) override;

 private:
  struct ev_loop* loop_;
  serial::TtyOpener tty_opener_;
  io::SystemUdpSockets udp_sockets_;
};

// The planned media, UDP ones first then serial lines (the link order of
// cl_status), not yet started.
std::vector<std::unique_ptr<io::Medium>> make_media(const MediaPlan& plan, MediaFactory& factory,
                                                    const io::Medium::OnPacket& on_packet,
                                                    const io::Medium::OnLog& on_log);

// The ping nodes' media, in plan order (kept apart: they carry only the
// NS_st echoes, never the cluster's messages).
std::vector<std::unique_ptr<io::Medium>> make_ping_media(const MediaPlan& plan,
                                                         MediaFactory& factory,
                                                         const io::Medium::OnPacket& on_packet,
                                                         const io::Medium::OnLog& on_log);

}  // namespace hbd::daemon
