// One UDP medium (wire-protocol §4.2-4.4): a send socket and a receive
// socket with exactly heartbeat's socket options, and the libev watcher that
// reads the receive socket. A medium that fails (interface missing, socket
// error) is logged and reopened every second; it never stops the loop.
#pragma once
#include <netinet/in.h>

#include <string>
#include <string_view>

#include <ev.h>

#include "config/defaults.h"
#include "io/medium.h"
#include "log/format.h"

namespace hbd::io {

enum class UdpKind { Bcast, Ucast, Mcast };

struct UdpSpec {
  UdpKind kind = UdpKind::Bcast;
  std::string dev;    // interface; also the medium (link) name
  std::string peer;   // ucast: IP or host name
  std::string group;  // mcast: class-D group
  int port = config::defaults::kUdpPort;
  int ttl = 1;        // mcast
  int loop = 0;       // mcast
};

// "bcast eth0", "ucast eth0 198.18.1.12", "mcast eth0 239.18.0.1": for logs.
std::string describe(const UdpSpec& spec);

class UdpMedium : public Medium {
 public:
  UdpMedium(struct ev_loop* loop, UdpSpec spec, OnPacket on_packet, OnLog on_log);
  ~UdpMedium() override;
  UdpMedium(const UdpMedium&) = delete;
  UdpMedium& operator=(const UdpMedium&) = delete;

  // Opens both sockets; on failure logs and keeps retrying from the loop.
  void start() override;
  // Sends one packet; silently dropped (and counted) while the medium is down.
  void send(std::string_view packet) override;

  const std::string& name() const override { return spec_.dev; }
  bool is_open() const override { return recv_fd_ >= 0 && send_fd_ >= 0; }
  WireFormat format() const override { return WireFormat::UdpNetstring; }
  const UdpSpec& spec() const { return spec_; }
  unsigned long send_failures() const { return send_failures_; }

  void on_readable();
  void on_retry();

 private:
  bool open_sockets(std::string& error);
  bool open_send(std::string& error);
  bool open_receive(std::string& error);
  bool resolve_destination(std::string& error);
  void close_sockets();
  void fail(const std::string& why);
  void log_started();
  void info(const std::string& text) { on_log_(log::Level::Info, text); }

  struct ev_loop* loop_;
  UdpSpec spec_;
  OnPacket on_packet_;
  OnLog on_log_;
  ev_io read_watcher_;
  ev_timer retry_timer_;
  int send_fd_ = -1;
  int recv_fd_ = -1;
  sockaddr_in destination_{};
  in_addr interface_addr_{};
  bool failing_ = false;       // last open failed: log the next failure at debug only
  bool send_failing_ = false;  // a send error was already logged
  unsigned long send_failures_ = 0;
};

}  // namespace hbd::io
