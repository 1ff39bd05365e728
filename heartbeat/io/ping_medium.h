// The ICMP "ping medium" behind heartbeat's `ping` and `ping_group` nodes
// (wire-protocol §5.9): for every status message it sends one ICMP Echo
// Request per target carrying a message that claims to come from the ping
// node; the target echoes it back and the echo is read as that node's
// heartbeat. Like heartbeat's ping.c / ping_group.c (3.0.6):
//  - the ICMP id is pid & 0xffff stored in HOST byte order (the plugins
//    assign it to icmp_id unconverted), the seq is a per-medium counter in
//    network order starting at 0, one seq shared by all targets of a send;
//  - a group accepts ONE reply per seq, from whichever member answers first
//    (ping_group.c keeps `slot[seq % 128] == seq`); the others are dropped.
// Unlike heartbeat, replies are also matched on their source address (for a
// plain `ping` too), so a medium never hands up another ping node's echo.
#pragma once
#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <ev.h>

#include "io/medium.h"
#include "log/format.h"

namespace hbd::io {

struct PingSpec {
  std::string name;                  // the ping node: the address (`ping`), the group name (`ping_group`)
  std::vector<std::string> targets;  // IPv4 addresses or host names, resolved once when opening
  bool group = false;
};

// RFC 1071 Internet checksum of `bytes` (an odd tail byte padded with 0).
// A packet that carries its own correct checksum sums to 0.
uint16_t internet_checksum(std::string_view bytes);

// An ICMP Echo Request (type 8, code 0) with its checksum. `id` is stored in
// host byte order as heartbeat does, `seq` in network order.
std::string icmp_echo_request(uint16_t id_host_order, uint16_t seq, std::string_view payload);

struct EchoReply {
  uint32_t from = 0;  // IPv4 source, network order
  uint16_t id = 0;    // read back the way icmp_echo_request writes it
  uint16_t seq = 0;   // host order
  std::string payload;
};

// Decodes one raw-socket read (IPv4 header, options included, then ICMP).
// Only a well-formed ICMP Echo Reply with a valid checksum is returned.
std::optional<EchoReply> parse_echo_reply(std::string_view ip_packet);

// The seqs a ping group has already accepted, as ping_group.c's 128 slots,
// but starting empty (heartbeat's zeroed slots drop the first reply to seq 0).
class SeqWindow {
 public:
  SeqWindow() { slots_.fill(-1); }
  // True the first time `seq` is seen (within the last 128 seqs).
  bool first(uint16_t seq);

 private:
  std::array<int32_t, 128> slots_;
};

class PingMedium : public Medium {
 public:
  PingMedium(struct ev_loop* loop, PingSpec spec, OnPacket on_packet, OnLog on_log,
             uint16_t icmp_id);
  ~PingMedium() override;
  PingMedium(const PingMedium&) = delete;
  PingMedium& operator=(const PingMedium&) = delete;

  // Resolves the targets and opens the raw ICMP socket (needs CAP_NET_RAW);
  // on failure logs and retries after 1 s, doubling up to 30 s.
  void start() override;
  // The ping node's name: also the link name ("Link 10.0.0.254:10.0.0.254 up.").
  const std::string& name() const override { return spec_.name; }
  // One Echo Request per target carrying `bytes`; dropped and counted while closed.
  void send(std::string_view bytes) override;
  bool is_open() const override { return fd_ >= 0; }
  WireFormat format() const override { return WireFormat::UdpNetstring; }

  const PingSpec& spec() const { return spec_; }
  uint16_t icmp_id() const { return id_; }
  unsigned long sent() const { return sent_; }                    // Echo Requests sent
  unsigned long send_failures() const { return send_failures_; }  // errors + dropped while closed
  unsigned long replies_accepted() const { return accepted_; }
  unsigned long replies_ignored() const { return ignored_; }      // not ours, or a group duplicate

  void on_readable();
  void on_retry();

 private:
  bool open(std::string& error);
  bool resolve_targets(std::string& error);
  void close_socket();
  void schedule_retry(const std::string& error);
  void send_to(const sockaddr_in& target, const std::string& packet);
  void note_send_error(const sockaddr_in& target, int err);
  void on_datagram(std::string_view ip_packet);
  bool is_target(uint32_t addr) const;

  struct ev_loop* loop_;
  PingSpec spec_;
  OnPacket on_packet_;
  OnLog on_log_;
  uint16_t id_;
  ev_io read_watcher_;
  ev_timer retry_timer_;
  int fd_ = -1;
  std::vector<sockaddr_in> addresses_;  // resolved targets; empty until the first success
  uint16_t seq_ = 0;
  SeqWindow answered_;                  // groups: seqs already accepted
  double retry_delay_ = 1.0;
  bool failing_ = false;                // last open failed: log the next failure at debug only
  ev_tstamp last_send_error_log_ = -1e9;
  unsigned long sent_ = 0;
  unsigned long send_failures_ = 0;
  unsigned long accepted_ = 0;
  unsigned long ignored_ = 0;
};

}  // namespace hbd::io
