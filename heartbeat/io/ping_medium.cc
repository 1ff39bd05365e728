#include "io/ping_medium.h"

#include <arpa/inet.h>
#include <linux/icmp.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "io/receive_buffer.h"

namespace hbd::io {

namespace {

constexpr double kFirstRetrySeconds = 1.0;
constexpr double kMaxRetrySeconds = 30.0;
constexpr double kSendErrorLogSeconds = 60.0;
constexpr int kMaxReadsPerWakeup = 64;
constexpr size_t kIcmpHeader = 8;
constexpr uint8_t kEchoReply = 0;
constexpr uint8_t kEchoRequest = 8;

uint8_t byte_at(std::string_view s, size_t i) { return static_cast<uint8_t>(s[i]); }
uint16_t be16_at(std::string_view s, size_t i) {
  return static_cast<uint16_t>(byte_at(s, i) << 8 | byte_at(s, i + 1));
}

std::string dotted(uint32_t addr_network_order) {
  char text[INET_ADDRSTRLEN] = "?";
  in_addr a{addr_network_order};
  ::inet_ntop(AF_INET, &a, text, sizeof text);
  return text;
}

// Numeric first (no resolver involved for the usual `ping 10.0.0.254`),
// then the resolver, as ping.c's inet_pton-then-gethostbyname.
bool resolve(const std::string& host, in_addr& out, std::string& error) {
  if (::inet_pton(AF_INET, host.c_str(), &out) == 1) return true;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_RAW;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &res);
  if (rc != 0 || !res) {
    error = "unknown host: " + host + ": " + ::gai_strerror(rc);
    return false;
  }
  out = reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr;
  ::freeaddrinfo(res);
  return true;
}

void read_cb(struct ev_loop*, ev_io* w, int) { static_cast<PingMedium*>(w->data)->on_readable(); }
void retry_cb(struct ev_loop*, ev_timer* w, int) { static_cast<PingMedium*>(w->data)->on_retry(); }

}  // namespace

uint16_t internet_checksum(std::string_view bytes) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < bytes.size(); i += 2) sum += be16_at(bytes, i);
  if (bytes.size() % 2) sum += static_cast<uint32_t>(byte_at(bytes, bytes.size() - 1)) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

std::string icmp_echo_request(uint16_t id_host_order, uint16_t seq, std::string_view payload) {
  std::string p(kIcmpHeader, '\0');
  p[0] = static_cast<char>(kEchoRequest);
  std::memcpy(&p[4], &id_host_order, 2);  // unconverted, like `icp->icmp_id = ei->ident`
  p[6] = static_cast<char>(seq >> 8);
  p[7] = static_cast<char>(seq & 0xff);
  p.append(payload);
  uint16_t sum = internet_checksum(p);
  p[2] = static_cast<char>(sum >> 8);
  p[3] = static_cast<char>(sum & 0xff);
  return p;
}

std::optional<EchoReply> parse_echo_reply(std::string_view ip) {
  if (ip.size() < 20 || byte_at(ip, 0) >> 4 != 4) return std::nullopt;
  size_t header = static_cast<size_t>(byte_at(ip, 0) & 0x0f) * 4;
  if (header < 20 || byte_at(ip, 9) != IPPROTO_ICMP) return std::nullopt;
  // Linux hands raw sockets the total length as on the wire: trim any padding.
  size_t total = be16_at(ip, 2);
  if (total >= header && total < ip.size()) ip = ip.substr(0, total);
  if (ip.size() < header + kIcmpHeader) return std::nullopt;
  std::string_view icmp = ip.substr(header);
  if (byte_at(icmp, 0) != kEchoReply || internet_checksum(icmp) != 0) return std::nullopt;
  EchoReply r;
  std::memcpy(&r.from, ip.data() + 12, 4);
  std::memcpy(&r.id, icmp.data() + 4, 2);
  r.seq = be16_at(icmp, 6);
  r.payload.assign(icmp.substr(kIcmpHeader));
  return r;
}

bool SeqWindow::first(uint16_t seq) {
  int32_t& slot = slots_[seq % slots_.size()];
  if (slot == seq) return false;
  slot = seq;
  return true;
}

PingMedium::PingMedium(struct ev_loop* loop, PingSpec spec, OnPacket on_packet, OnLog on_log,
                       uint16_t icmp_id)
    : loop_(loop), spec_(std::move(spec)), on_packet_(std::move(on_packet)),
      on_log_(std::move(on_log)), id_(icmp_id) {
  ev_io_init(&read_watcher_, read_cb, -1, EV_READ);
  read_watcher_.data = this;
  ev_timer_init(&retry_timer_, retry_cb, kFirstRetrySeconds, 0.);
  retry_timer_.data = this;
}

PingMedium::~PingMedium() {
  ev_timer_stop(loop_, &retry_timer_);
  close_socket();
}

void PingMedium::start() {
  if (is_open()) return;
  std::string error;
  if (!open(error)) return schedule_retry(error);
  if (failing_) on_log_(log::Level::Info, "glib: ping " + spec_.name + ": medium usable again");
  failing_ = false;
  retry_delay_ = kFirstRetrySeconds;
  on_log_(log::Level::Info, spec_.group ? "glib: ping group heartbeat started."
                                        : "glib: ping heartbeat started.");
}

void PingMedium::on_retry() { start(); }

bool PingMedium::open(std::string& error) {
  if (!resolve_targets(error)) return false;
  fd_ = ::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
  if (fd_ < 0) {
    error = std::string("Can't open RAW socket.: ") + std::strerror(errno);
    return false;
  }
  // A raw ICMP socket gets a copy of every ICMP packet the host receives
  // (on lo, our own requests too): let the kernel pass only Echo Replies.
  // An optimisation only; on_datagram() checks everything anyway.
  icmp_filter filter{~(1u << ICMP_ECHOREPLY)};
  ::setsockopt(fd_, SOL_RAW, ICMP_FILTER, &filter, sizeof filter);
  ev_io_set(&read_watcher_, fd_, EV_READ);
  ev_io_start(loop_, &read_watcher_);
  return true;
}

// Resolved once: a name that later changes its address needs a restart,
// as with heartbeat (which resolves while parsing ha.cf).
bool PingMedium::resolve_targets(std::string& error) {
  if (!addresses_.empty()) return true;
  if (spec_.targets.empty()) return error = "no ping target", false;
  std::vector<sockaddr_in> resolved;
  for (const auto& host : spec_.targets) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    if (!resolve(host, a.sin_addr, error)) return false;
    resolved.push_back(a);
  }
  addresses_ = std::move(resolved);
  return true;
}

void PingMedium::close_socket() {
  ev_io_stop(loop_, &read_watcher_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

// Logs the first failure of a series as an error, the retries at debug.
void PingMedium::schedule_retry(const std::string& error) {
  close_socket();
  if (!failing_)
    on_log_(log::Level::Error, "glib: ping " + spec_.name + ": " + error + " (retrying)");
  else
    on_log_(log::Level::Debug, "glib: ping " + spec_.name + ": still failing: " + error);
  failing_ = true;
  ev_timer_set(&retry_timer_, retry_delay_, 0.);
  ev_timer_start(loop_, &retry_timer_);
  retry_delay_ = std::min(retry_delay_ * 2, kMaxRetrySeconds);
}

void PingMedium::send(std::string_view bytes) {
  if (!is_open()) {
    ++send_failures_;
    return;
  }
  std::string packet = icmp_echo_request(id_, seq_++, bytes);
  for (const auto& target : addresses_) send_to(target, packet);
}

void PingMedium::send_to(const sockaddr_in& target, const std::string& packet) {
  ssize_t n = ::sendto(fd_, packet.data(), packet.size(), MSG_DONTWAIT,
                       reinterpret_cast<const sockaddr*>(&target), sizeof target);
  if (n == static_cast<ssize_t>(packet.size())) {
    ++sent_;
    return;
  }
  note_send_error(target, n < 0 ? errno : EMSGSIZE);
}

// An unreachable ping target is the very thing ping nodes exist to notice
// (deadping does that): not an error of the medium, so quiet and rare.
void PingMedium::note_send_error(const sockaddr_in& target, int err) {
  ++send_failures_;
  ev_tstamp now = ev_now(loop_);
  if (now - last_send_error_log_ < kSendErrorLogSeconds) return;
  last_send_error_log_ = now;
  on_log_(log::Level::Debug, "glib: ping " + spec_.name + ": cannot send to " +
                                 dotted(target.sin_addr.s_addr) + ": " + std::strerror(err));
}

void PingMedium::on_readable() {
  char* buf = receive_buffer();  // shared with the other media, see receive_buffer.h
  for (int i = 0; i < kMaxReadsPerWakeup && fd_ >= 0; ++i) {
    ssize_t n = ::recv(fd_, buf, kReceiveBufferSize, MSG_DONTWAIT);
    if (n >= 0) {
      on_datagram(std::string_view(buf, static_cast<size_t>(n)));
      continue;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    if (errno == EINTR || errno == ENOBUFS || errno == ENOMEM) continue;
    return schedule_retry(std::string("Error receiving from socket: ") + std::strerror(errno));
  }
}

// Every host's ICMP traffic reaches this socket: other pings, other ping
// media of this daemon (same id, other targets). Only our own echoes count.
void PingMedium::on_datagram(std::string_view ip_packet) {
  auto reply = parse_echo_reply(ip_packet);
  bool ours = reply && reply->id == id_ && is_target(reply->from);
  if (!ours || (spec_.group && !answered_.first(reply->seq))) {
    ++ignored_;
    return;
  }
  ++accepted_;
  on_packet_(reply->payload, spec_.name);
}

bool PingMedium::is_target(uint32_t addr) const {
  return std::any_of(addresses_.begin(), addresses_.end(),
                     [addr](const sockaddr_in& a) { return a.sin_addr.s_addr == addr; });
}

}  // namespace hbd::io
