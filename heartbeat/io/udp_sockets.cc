#include "io/udp_sockets.h"

#include <net/if.h>
#include <netdb.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hbd::io {

struct SystemUdpSockets::Request {
  std::string host;
  addrinfo hints{};
  gaicb cb{};
};

SystemUdpSockets::SystemUdpSockets() = default;

// A look-up still under way belongs to its resolver thread: cancelled if it
// can be, otherwise left to it (only at exit).
SystemUdpSockets::~SystemUdpSockets() {
  for (auto& [host, request] : lookups_) {
    int rc = ::gai_cancel(&request->cb);
    if (rc == EAI_NOTCANCELED) {
      request.release();
      continue;
    }
    if (rc == EAI_ALLDONE && request->cb.ar_result) ::freeaddrinfo(request->cb.ar_result);
  }
}

int SystemUdpSockets::open_socket() {
  return ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
}

int SystemUdpSockets::set_option(int fd, int level, int option, const void* value,
                                 socklen_t size) {
  return ::setsockopt(fd, level, option, value, size);
}

int SystemUdpSockets::bind(int fd, const sockaddr_in& local) {
  return ::bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local);
}

ssize_t SystemUdpSockets::send_to(int fd, std::string_view bytes, const sockaddr_in& to) {
  return ::sendto(fd, bytes.data(), bytes.size(), MSG_DONTWAIT,
                  reinterpret_cast<const sockaddr*>(&to), sizeof to);
}

ssize_t SystemUdpSockets::receive(int fd, char* buf, size_t size) {
  return ::recv(fd, buf, size, MSG_DONTWAIT);
}

void SystemUdpSockets::close(int fd) { ::close(fd); }

bool SystemUdpSockets::interface_address(const std::string& dev, unsigned long request,
                                         in_addr& out, std::string& error) {
  if (dev.size() >= IFNAMSIZ) {
    error = "interface name too long: " + dev;
    return false;
  }
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  ifreq ifr{};
  std::memcpy(ifr.ifr_name, dev.c_str(), dev.size());
  bool ok = ::ioctl(fd, request, &ifr) == 0;
  if (ok) out = reinterpret_cast<sockaddr_in*>(&ifr.ifr_addr)->sin_addr;
  else error = "cannot get address of interface " + dev + ": " + std::strerror(errno);
  ::close(fd);
  return ok;
}

Lookup SystemUdpSockets::lookup(const std::string& host, in_addr& out, std::string& error) {
  auto it = lookups_.find(host);
  if (it == lookups_.end()) {
    auto request = std::make_unique<Request>();
    request->host = host;
    request->hints.ai_family = AF_INET;
    request->hints.ai_socktype = SOCK_DGRAM;
    request->cb.ar_name = request->host.c_str();
    request->cb.ar_request = &request->hints;
    gaicb* list[] = {&request->cb};
    int rc = ::getaddrinfo_a(GAI_NOWAIT, list, 1, nullptr);
    if (rc != 0) {
      error = "cannot resolve " + host + ": " + ::gai_strerror(rc);
      return Lookup::Failed;
    }
    it = lookups_.emplace(host, std::move(request)).first;
  }
  gaicb& cb = it->second->cb;
  int rc = ::gai_error(&cb);
  if (rc == EAI_INPROGRESS) return Lookup::Pending;
  Lookup result = Lookup::Failed;
  if (rc == 0 && cb.ar_result) {
    out = reinterpret_cast<sockaddr_in*>(cb.ar_result->ai_addr)->sin_addr;
    result = Lookup::Done;
  } else {
    error = "cannot resolve " + host + ": " + ::gai_strerror(rc);
  }
  if (cb.ar_result) ::freeaddrinfo(cb.ar_result);
  lookups_.erase(it);
  return result;
}

}  // namespace hbd::io
