#include "io/udp_medium.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/ip.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "wire/codec.h"

namespace hbd::io {

namespace {

constexpr double kRetrySeconds = 1.0;
constexpr int kMaxReadsPerWakeup = 64;

std::string sys_error(const std::string& what) { return what + ": " + std::strerror(errno); }

bool set_int(int fd, int level, int option, int value) {
  return ::setsockopt(fd, level, option, &value, sizeof value) == 0;
}

bool bind_to_device(int fd, const std::string& dev) {
  return ::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev.c_str(),
                      static_cast<socklen_t>(dev.size() + 1)) == 0;
}

// The IPv4 address (SIOCGIFADDR) or broadcast address (SIOCGIFBRDADDR) of `dev`.
bool interface_address(const std::string& dev, unsigned long request, in_addr& out,
                       std::string& error) {
  if (dev.size() >= IFNAMSIZ) {
    error = "interface name too long: " + dev;
    return false;
  }
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = sys_error("socket");
    return false;
  }
  ifreq ifr{};
  std::memcpy(ifr.ifr_name, dev.c_str(), dev.size());
  bool ok = ::ioctl(fd, request, &ifr) == 0;
  if (ok) out = reinterpret_cast<sockaddr_in*>(&ifr.ifr_addr)->sin_addr;
  else error = sys_error("cannot get address of interface " + dev);
  ::close(fd);
  return ok;
}

int new_udp_socket(std::string& error) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) error = sys_error("socket");
  return fd;
}

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

UdpMedium::UdpMedium(struct ev_loop* loop, UdpSpec spec, OnPacket on_packet, OnLog on_log)
    : loop_(loop), spec_(std::move(spec)), on_packet_(std::move(on_packet)),
      on_log_(std::move(on_log)) {
  ev_io_init(&read_watcher_, read_cb, -1, EV_READ);
  read_watcher_.data = this;
  ev_timer_init(&retry_timer_, retry_cb, kRetrySeconds, 0.);
  retry_timer_.data = this;
}

UdpMedium::~UdpMedium() {
  ev_timer_stop(loop_, &retry_timer_);
  close_sockets();
}

void UdpMedium::start() {
  std::string error;
  if (open_sockets(error)) {
    if (failing_) info("glib: " + describe(spec_) + ": medium usable again");
    failing_ = false;
    log_started();
    return;
  }
  close_sockets();
  if (!failing_) on_log_(log::Level::Error, "glib: cannot open " + describe(spec_) + ": " + error +
                                                " (retrying every second)");
  else on_log_(log::Level::Debug, "glib: still cannot open " + describe(spec_) + ": " + error);
  failing_ = true;
  ev_timer_set(&retry_timer_, kRetrySeconds, 0.);
  ev_timer_start(loop_, &retry_timer_);
}

void UdpMedium::on_retry() { start(); }

bool UdpMedium::open_sockets(std::string& error) {
  if (!resolve_destination(error) || !open_send(error) || !open_receive(error)) return false;
  ev_io_set(&read_watcher_, recv_fd_, EV_READ);
  ev_io_start(loop_, &read_watcher_);
  return true;
}

bool UdpMedium::resolve_destination(std::string& error) {
  destination_ = {};
  destination_.sin_family = AF_INET;
  destination_.sin_port = htons(static_cast<uint16_t>(spec_.port));
  switch (spec_.kind) {
    case UdpKind::Bcast:
      return interface_address(spec_.dev, SIOCGIFBRDADDR, destination_.sin_addr, error);
    case UdpKind::Mcast:
      if (::inet_pton(AF_INET, spec_.group.c_str(), &destination_.sin_addr) != 1) {
        error = "bad multicast group " + spec_.group;
        return false;
      }
      return interface_address(spec_.dev, SIOCGIFADDR, interface_addr_, error);
    case UdpKind::Ucast: {
      addrinfo hints{};
      hints.ai_family = AF_INET;
      hints.ai_socktype = SOCK_DGRAM;
      addrinfo* res = nullptr;
      int rc = ::getaddrinfo(spec_.peer.c_str(), nullptr, &hints, &res);
      if (rc != 0 || !res) {
        error = "cannot resolve " + spec_.peer + ": " + ::gai_strerror(rc);
        return false;
      }
      destination_.sin_addr = reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr;
      ::freeaddrinfo(res);
      return true;
    }
  }
  return false;
}

bool UdpMedium::open_send(std::string& error) {
  send_fd_ = new_udp_socket(error);
  if (send_fd_ < 0) return false;
  switch (spec_.kind) {
    case UdpKind::Bcast:
      if (!set_int(send_fd_, SOL_SOCKET, SO_BROADCAST, 1)) return error = sys_error("SO_BROADCAST"), false;
      if (!set_int(send_fd_, SOL_SOCKET, SO_DONTROUTE, 1)) return error = sys_error("SO_DONTROUTE"), false;
      if (!bind_to_device(send_fd_, spec_.dev)) return error = sys_error("SO_BINDTODEVICE"), false;
      return true;
    case UdpKind::Ucast:
      if (!set_int(send_fd_, IPPROTO_IP, IP_TOS, IPTOS_LOWDELAY)) return error = sys_error("IP_TOS"), false;
      info("glib: ucast: write socket priority set to IPTOS_LOWDELAY on " + spec_.dev);
      if (!bind_to_device(send_fd_, spec_.dev)) return error = sys_error("SO_BINDTODEVICE"), false;
      info("glib: ucast: bound send socket to device: " + spec_.dev);
      if (!set_int(send_fd_, SOL_SOCKET, SO_REUSEPORT, 1)) return error = sys_error("SO_REUSEPORT"), false;
      info("glib: ucast: set SO_REUSEPORT(w)");
      return true;
    case UdpKind::Mcast:
      if (::setsockopt(send_fd_, IPPROTO_IP, IP_MULTICAST_IF, &interface_addr_, sizeof interface_addr_) != 0)
        return error = sys_error("IP_MULTICAST_IF"), false;
      if (!set_int(send_fd_, IPPROTO_IP, IP_MULTICAST_TTL, spec_.ttl)) return error = sys_error("IP_MULTICAST_TTL"), false;
      if (!set_int(send_fd_, IPPROTO_IP, IP_MULTICAST_LOOP, spec_.loop)) return error = sys_error("IP_MULTICAST_LOOP"), false;
      return true;
  }
  return false;
}

bool UdpMedium::open_receive(std::string& error) {
  recv_fd_ = new_udp_socket(error);
  if (recv_fd_ < 0) return false;
  if (!set_int(recv_fd_, SOL_SOCKET, SO_REUSEADDR, 1)) return error = sys_error("SO_REUSEADDR"), false;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_port = htons(static_cast<uint16_t>(spec_.port));
  local.sin_addr.s_addr = htonl(INADDR_ANY);
  if (spec_.kind == UdpKind::Mcast) {
    local.sin_addr = destination_.sin_addr;  // bound to the group, not INADDR_ANY
  } else {
    if (spec_.kind == UdpKind::Ucast) info("glib: ucast: set SO_REUSEADDR");
    if (!bind_to_device(recv_fd_, spec_.dev)) return error = sys_error("SO_BINDTODEVICE"), false;
    if (spec_.kind == UdpKind::Ucast) {
      info("glib: ucast: bound receive socket to device: " + spec_.dev);
      if (set_int(recv_fd_, SOL_SOCKET, SO_REUSEPORT, 1)) info("glib: ucast: set SO_REUSEPORT");
      else if (errno == ENOPROTOOPT) on_log_(log::Level::Warn, "glib: ucast: SO_REUSEPORT not supported");
      else return error = sys_error("SO_REUSEPORT"), false;
    }
  }
  if (::bind(recv_fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0)
    return error = sys_error("bind port " + std::to_string(spec_.port)), false;
  if (spec_.kind == UdpKind::Mcast) {
    ip_mreq mreq{};
    mreq.imr_multiaddr = destination_.sin_addr;
    mreq.imr_interface = interface_addr_;
    if (::setsockopt(recv_fd_, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof mreq) != 0)
      return error = sys_error("IP_ADD_MEMBERSHIP"), false;
  }
  return true;
}

void UdpMedium::log_started() {
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
  if (send_fd_ >= 0) ::close(send_fd_);
  if (recv_fd_ >= 0) ::close(recv_fd_);
  send_fd_ = recv_fd_ = -1;
}

void UdpMedium::fail(const std::string& why) {
  on_log_(log::Level::Error, "glib: " + describe(spec_) + ": " + why + " - reopening");
  close_sockets();
  failing_ = true;
  ev_timer_set(&retry_timer_, kRetrySeconds, 0.);
  ev_timer_start(loop_, &retry_timer_);
}

void UdpMedium::send(std::string_view packet) {
  if (send_fd_ < 0) {
    ++send_failures_;
    return;
  }
  ssize_t n = ::sendto(send_fd_, packet.data(), packet.size(), MSG_DONTWAIT,
                       reinterpret_cast<const sockaddr*>(&destination_), sizeof destination_);
  if (n == static_cast<ssize_t>(packet.size())) {
    if (send_failing_) info("glib: " + describe(spec_) + ": sending again");
    send_failing_ = false;
    return;
  }
  ++send_failures_;
  // A down link (ENETDOWN, ENETUNREACH, ENOBUFS) is expected during faults:
  // log the first failure of a series, not every heartbeat.
  if (!send_failing_)
    on_log_(log::Level::Error, "glib: Unable to send " + describe(spec_) + " packet: " +
                                   std::strerror(errno));
  send_failing_ = true;
}

void UdpMedium::on_readable() {
  static std::vector<char> buf(wire::kMaxWireMessage + 1);
  for (int i = 0; i < kMaxReadsPerWakeup && recv_fd_ >= 0; ++i) {
    ssize_t n = ::recv(recv_fd_, buf.data(), buf.size(), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
      // ICMP errors from an earlier send surface here; they are not fatal.
      if (errno == ECONNREFUSED || errno == EHOSTUNREACH || errno == ENETUNREACH) continue;
      return fail(sys_error("receive"));
    }
    on_packet_(std::string_view(buf.data(), static_cast<size_t>(n)), spec_.dev);
  }
}

}  // namespace hbd::io
