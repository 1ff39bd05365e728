// One heartbeat medium as the daemon sees it: a UDP socket pair on an
// interface (io::UdpMedium) or a serial line (serial::SerialMedium). Both
// open themselves from the loop, retry on failure, hand received packets to
// OnPacket and take outgoing messages already encoded in their format().
#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "log/format.h"

namespace hbd::io {

// How a medium carries a message on its wire (wire-protocol §1.6, §1.7).
enum class WireFormat {
  UdpNetstring,   // 3.0.6's netstring with trailer, inner auth unless msgfmt netstring
  SerialClassic,  // classic text with a freshly computed inner auth, no NUL
};

class Medium {
 public:
  using OnPacket = std::function<void(std::string_view packet, const std::string& medium)>;
  using OnLog = std::function<void(log::Level, const std::string&)>;

  virtual ~Medium() = default;
  // Opens the medium; on failure logs and keeps retrying from the loop.
  virtual void start() = 0;
  // The link name: the interface, or the tty path.
  virtual const std::string& name() const = 0;
  // Sends one message encoded in format(); dropped (and counted) while down.
  virtual void send(std::string_view bytes) = 0;
  virtual bool is_open() const = 0;
  virtual WireFormat format() const = 0;
};

}  // namespace hbd::io
