#include "io/udp_medium.h"

#include <arpa/inet.h>
#include <netinet/ip.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

#include "io/receive_buffer.h"

namespace hbd::io {

namespace {

constexpr int kMaxReadsPerWakeup = 64;

std::string sys_error(const std::string& what) { return what + ": " + std::strerror(errno); }

// Errors saying the interface under the sockets went away (deleted, perhaps
// re-created with a new index) or down: only new sockets, bound again to the
// device by name, can use it again.
bool interface_lost(int err) { return err == ENODEV || err == ENXIO || err == ENETDOWN; }

void read_cb(struct ev_loop*, ev_io* w, int) { static_cast<UdpMedium*>(w->data)->on_readable(); }
void retry_cb(struct ev_loop*, ev_timer* w, int) { static_cast<UdpMedium*>(w->data)->on_retry(); }

}  // namespace

std::string describe(const UdpSpec& spec) {
  switch (spec.kind) {
    case UdpKind::Bcast: return "bcast " + spec.dev;
    case UdpKind::Ucast: return "ucast " + spec.dev + " " + spec.peer;
    case UdpKind::Mcast: return "mcast " + spec.dev + " " + spec.group;
  }
  return spec.dev;
}

UdpMedium::UdpMedium(struct ev_loop* loop, UdpSpec spec, UdpSockets& sockets,
                     OnPacket on_packet, OnLog on_log, UdpTiming timing)
    : loop_(loop), spec_(std::move(spec)), sockets_(sockets), on_packet_(std::move(on_packet)),
      on_log_(std::move(on_log)), timing_(timing) {
  ev_io_init(&read_watcher_, read_cb, -1, EV_READ);
  read_watcher_.data = this;
  ev_timer_init(&retry_timer_, retry_cb, timing_.retry, 0.);
  retry_timer_.data = this;
}

UdpMedium::~UdpMedium() {
  ev_timer_stop(loop_, &retry_timer_);
  close_sockets();
}

// Every attempt returns at once: a peer's name still being looked up is
// asked about again shortly, a failure is retried in a second.
void UdpMedium::start() {
  std::string error;
  Lookup destination = resolve_destination(error);
  if (destination == Lookup::Pending) return retry_in(timing_.lookup_poll);
  if (destination == Lookup::Done && open_sockets(error)) return opened();
  close_sockets();
  note_failure("glib: cannot open " + describe(spec_) + ": " + error + " (retrying)");
  first_attempt_ = false;
  retry_in(timing_.retry);
}

void UdpMedium::on_retry() { start(); }

void UdpMedium::opened() {
  if (opened_once_) {
    ++reopens_;
    on_log_(log::Level::Debug, "glib: " + describe(spec_) + ": reopened");
  } else {
    log_started();
  }
  opened_once_ = true;
  first_attempt_ = false;
}

void UdpMedium::retry_in(double seconds) {
  ev_timer_stop(loop_, &retry_timer_);
  ev_timer_set(&retry_timer_, seconds, 0.);
  ev_timer_start(loop_, &retry_timer_);
}

bool UdpMedium::open_sockets(std::string& error) {
  if (!open_send(error) || !open_receive(error)) return false;
  ev_io_set(&read_watcher_, recv_fd_, EV_READ);
  ev_io_start(loop_, &read_watcher_);
  return true;
}

Lookup UdpMedium::resolve_destination(std::string& error) {
  destination_ = {};
  destination_.sin_family = AF_INET;
  destination_.sin_port = htons(static_cast<uint16_t>(spec_.port));
  switch (spec_.kind) {
    case UdpKind::Bcast:
      return sockets_.interface_address(spec_.dev, SIOCGIFBRDADDR, destination_.sin_addr, error)
                 ? Lookup::Done : Lookup::Failed;
    case UdpKind::Mcast:
      if (::inet_pton(AF_INET, spec_.group.c_str(), &destination_.sin_addr) != 1) {
        error = "bad multicast group " + spec_.group;
        return Lookup::Failed;
      }
      return sockets_.interface_address(spec_.dev, SIOCGIFADDR, interface_addr_, error)
                 ? Lookup::Done : Lookup::Failed;
    case UdpKind::Ucast: {
      Lookup peer = resolve_peer(error);
      if (peer == Lookup::Done) destination_.sin_addr = *peer_;
      return peer;
    }
  }
  return Lookup::Failed;
}

// An address is taken as it is; a name is looked up (off the loop) until
// that succeeds once, as heartbeat resolves it once when opening.
Lookup UdpMedium::resolve_peer(std::string& error) {
  if (peer_) return Lookup::Done;
  in_addr addr{};
  Lookup result = Lookup::Done;
  if (::inet_pton(AF_INET, spec_.peer.c_str(), &addr) != 1)
    result = sockets_.lookup(spec_.peer, addr, error);
  if (result == Lookup::Done) peer_ = addr;
  return result;
}

bool UdpMedium::set_int(int fd, int level, int option, int value) {
  return sockets_.set_option(fd, level, option, &value, sizeof value) == 0;
}

bool UdpMedium::bind_to_device(int fd) {
  return sockets_.set_option(fd, SOL_SOCKET, SO_BINDTODEVICE, spec_.dev.c_str(),
                             static_cast<socklen_t>(spec_.dev.size() + 1)) == 0;
}

bool UdpMedium::open_send(std::string& error) {
  send_fd_ = sockets_.open_socket();
  if (send_fd_ < 0) return error = sys_error("socket"), false;
  switch (spec_.kind) {
    case UdpKind::Bcast:
      if (!set_int(send_fd_, SOL_SOCKET, SO_BROADCAST, 1)) return error = sys_error("SO_BROADCAST"), false;
      if (!set_int(send_fd_, SOL_SOCKET, SO_DONTROUTE, 1)) return error = sys_error("SO_DONTROUTE"), false;
      if (!bind_to_device(send_fd_)) return error = sys_error("SO_BINDTODEVICE"), false;
      return true;
    case UdpKind::Ucast:
      if (!set_int(send_fd_, IPPROTO_IP, IP_TOS, IPTOS_LOWDELAY)) return error = sys_error("IP_TOS"), false;
      setup_note("glib: ucast: write socket priority set to IPTOS_LOWDELAY on " + spec_.dev);
      if (!bind_to_device(send_fd_)) return error = sys_error("SO_BINDTODEVICE"), false;
      setup_note("glib: ucast: bound send socket to device: " + spec_.dev);
      if (!set_int(send_fd_, SOL_SOCKET, SO_REUSEPORT, 1)) return error = sys_error("SO_REUSEPORT"), false;
      setup_note("glib: ucast: set SO_REUSEPORT(w)");
      return true;
    case UdpKind::Mcast:
      if (sockets_.set_option(send_fd_, IPPROTO_IP, IP_MULTICAST_IF, &interface_addr_, sizeof interface_addr_) != 0)
        return error = sys_error("IP_MULTICAST_IF"), false;
      if (!set_int(send_fd_, IPPROTO_IP, IP_MULTICAST_TTL, spec_.ttl)) return error = sys_error("IP_MULTICAST_TTL"), false;
      if (!set_int(send_fd_, IPPROTO_IP, IP_MULTICAST_LOOP, spec_.loop)) return error = sys_error("IP_MULTICAST_LOOP"), false;
      return true;
  }
  return false;
}

bool UdpMedium::open_receive(std::string& error) {
  recv_fd_ = sockets_.open_socket();
  if (recv_fd_ < 0) return error = sys_error("socket"), false;
  if (!set_int(recv_fd_, SOL_SOCKET, SO_REUSEADDR, 1)) return error = sys_error("SO_REUSEADDR"), false;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_port = htons(static_cast<uint16_t>(spec_.port));
  local.sin_addr.s_addr = htonl(INADDR_ANY);
  if (spec_.kind == UdpKind::Mcast) {
    local.sin_addr = destination_.sin_addr;  // bound to the group, not INADDR_ANY
  } else {
    if (spec_.kind == UdpKind::Ucast) setup_note("glib: ucast: set SO_REUSEADDR");
    if (!bind_to_device(recv_fd_)) return error = sys_error("SO_BINDTODEVICE"), false;
    if (spec_.kind == UdpKind::Ucast) {
      setup_note("glib: ucast: bound receive socket to device: " + spec_.dev);
      if (set_int(recv_fd_, SOL_SOCKET, SO_REUSEPORT, 1)) setup_note("glib: ucast: set SO_REUSEPORT");
      else if (errno == ENOPROTOOPT) on_log_(log::Level::Warn, "glib: ucast: SO_REUSEPORT not supported");
      else return error = sys_error("SO_REUSEPORT"), false;
    }
  }
  if (sockets_.bind(recv_fd_, local) != 0)
    return error = sys_error("bind port " + std::to_string(spec_.port)), false;
  if (spec_.kind == UdpKind::Mcast) {
    ip_mreq mreq{};
    mreq.imr_multiaddr = destination_.sin_addr;
    mreq.imr_interface = interface_addr_;
    if (sockets_.set_option(recv_fd_, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof mreq) != 0)
      return error = sys_error("IP_ADD_MEMBERSHIP"), false;
  }
  return true;
}

void UdpMedium::log_started() {
  auto info = [this](const std::string& text) { on_log_(log::Level::Info, text); };
  std::string port = std::to_string(spec_.port);
  switch (spec_.kind) {
    case UdpKind::Bcast:
      info("glib: UDP Broadcast heartbeat started on port " + port + " (" + port + ") interface " + spec_.dev);
      break;
    case UdpKind::Ucast:
      info("glib: ucast: started on port " + port + " interface " + spec_.dev + " to " + spec_.peer);
      break;
    case UdpKind::Mcast:
      info("glib: UDP multicast heartbeat started for group " + spec_.group + " port " + port +
           " interface " + spec_.dev + " (ttl=" + std::to_string(spec_.ttl) +
           " loop=" + std::to_string(spec_.loop) + ")");
      break;
  }
}

void UdpMedium::close_sockets() {
  ev_io_stop(loop_, &read_watcher_);
  if (send_fd_ >= 0) sockets_.close(send_fd_);
  if (recv_fd_ >= 0) sockets_.close(recv_fd_);
  send_fd_ = recv_fd_ = -1;
}

// Closes the sockets for a reopen a second after the first failure: new
// failures meanwhile neither reopen sooner nor log again.
void UdpMedium::fail(const std::string& why) {
  note_failure("glib: " + describe(spec_) + ": " + why + " - reopening");
  close_sockets();
  if (!ev_is_active(&retry_timer_)) retry_in(timing_.retry);
}

// Link faults go on for many heartbeats: the first failure of an outage is
// an error, the rest are debug lines until a packet goes out again.
void UdpMedium::note_failure(const std::string& text) {
  on_log_(outage_ ? log::Level::Debug : log::Level::Error, text);
  outage_ = true;
}

void UdpMedium::note_success() {
  if (outage_) on_log_(log::Level::Info, "glib: " + describe(spec_) + ": medium usable again");
  outage_ = false;
}

void UdpMedium::send(std::string_view packet) {
  if (send_fd_ < 0) {
    ++send_failures_;
    return;
  }
  ssize_t n = sockets_.send_to(send_fd_, packet, destination_);
  if (n == static_cast<ssize_t>(packet.size())) return note_success();
  int err = n < 0 ? errno : EMSGSIZE;
  ++send_failures_;
  std::string why = "Unable to send " + describe(spec_) + " packet: " + std::strerror(err);
  if (interface_lost(err)) return fail(why);
  note_failure("glib: " + why);  // ENETUNREACH, ENOBUFS...: the sockets are fine
}

void UdpMedium::on_readable() {
  // MAXMSG is enough: an IPv4 datagram cannot be longer than 65535 bytes,
  // so no datagram is ever truncated.
  char* buf = receive_buffer();
  for (int i = 0; i < kMaxReadsPerWakeup && recv_fd_ >= 0; ++i) {
    ssize_t n = sockets_.receive(recv_fd_, buf, kReceiveBufferSize);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
      // ICMP errors from an earlier send surface here; they are not fatal.
      if (errno == ECONNREFUSED || errno == EHOSTUNREACH || errno == ENETUNREACH) continue;
      return fail(sys_error("receive"));
    }
    on_packet_(std::string_view(buf, static_cast<size_t>(n)), spec_.dev);
  }
}

}  // namespace hbd::io
