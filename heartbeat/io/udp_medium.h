// One UDP medium (wire-protocol §4.2-4.4): a send socket and a receive
// socket with exactly heartbeat's socket options, and the libev watcher that
// reads the receive socket. A medium that fails (interface missing, a send
// or receive error saying the interface went away or down) is closed and
// reopened at most once a second, logged once per outage and once when it
// works again; it never stops or blocks the loop. A ucast peer's name is
// looked up once, off the loop, and kept for every reopen.
#pragma once
#include <netinet/in.h>

#include <optional>
#include <string>
#include <string_view>

#include <ev.h>

#include "config/defaults.h"
#include "io/medium.h"
#include "io/udp_sockets.h"
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

struct UdpTiming {
  double retry = 1.0;         // between reopen attempts: at most one a second
  double lookup_poll = 0.1;   // while a peer's name is being looked up
};

// "bcast eth0", "ucast eth0 198.18.1.12", "mcast eth0 239.18.0.1": for logs.
std::string describe(const UdpSpec& spec);

class UdpMedium : public Medium {
 public:
  // `sockets` must outlive the medium.
  UdpMedium(struct ev_loop* loop, UdpSpec spec, UdpSockets& sockets, OnPacket on_packet,
            OnLog on_log, UdpTiming timing = {});
  ~UdpMedium() override;
  UdpMedium(const UdpMedium&) = delete;
  UdpMedium& operator=(const UdpMedium&) = delete;

  // Opens both sockets; on failure logs and keeps retrying from the loop.
  void start() override;
  // Sends one packet; dropped (and counted) while the medium is down. An
  // error saying the interface is gone or down (ENODEV, ENXIO, ENETDOWN)
  // closes the sockets for a reopen within a second.
  void send(std::string_view packet) override;

  const std::string& name() const override { return spec_.dev; }
  bool is_open() const override { return recv_fd_ >= 0 && send_fd_ >= 0; }
  WireFormat format() const override { return WireFormat::UdpNetstring; }
  const UdpSpec& spec() const { return spec_; }
  unsigned long send_failures() const { return send_failures_; }
  unsigned long reopens() const { return reopens_; }  // opens after the first
  bool reopen_pending() const { return ev_is_active(&retry_timer_); }

  void on_readable();
  void on_retry();

 private:
  bool open_sockets(std::string& error);
  bool open_send(std::string& error);
  bool open_receive(std::string& error);
  Lookup resolve_destination(std::string& error);
  Lookup resolve_peer(std::string& error);
  bool set_int(int fd, int level, int option, int value);
  bool bind_to_device(int fd);
  void opened();
  void close_sockets();
  void retry_in(double seconds);
  void fail(const std::string& why);
  void note_failure(const std::string& text);
  void note_success();
  void log_started();
  // heartbeat's socket set-up lines: at info on the first attempt only.
  void setup_note(const std::string& text) {
    on_log_(first_attempt_ ? log::Level::Info : log::Level::Debug, text);
  }

  struct ev_loop* loop_;
  UdpSpec spec_;
  UdpSockets& sockets_;
  OnPacket on_packet_;
  OnLog on_log_;
  UdpTiming timing_;
  ev_io read_watcher_;
  ev_timer retry_timer_;
  int send_fd_ = -1;
  int recv_fd_ = -1;
  sockaddr_in destination_{};
  in_addr interface_addr_{};
  std::optional<in_addr> peer_;  // ucast: looked up once, kept for reopens
  bool first_attempt_ = true;
  bool opened_once_ = false;
  bool outage_ = false;  // a failure was logged; the next one goes to debug
  unsigned long send_failures_ = 0;
  unsigned long reopens_ = 0;
};

}  // namespace hbd::io
