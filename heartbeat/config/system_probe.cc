#include "config/system_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <netdb.h>
#include <pwd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hbd::config {

std::string RealSystemProbe::node_name() const {
  struct utsname u;
  if (uname(&u) != 0) return "";
  return u.nodename;
}

// Asks the kernel exactly what a broadcast sender needs: the interface's
// IPv4 broadcast address (fails for a missing interface or one without an
// IPv4 address).
ProbeResult RealSystemProbe::broadcast_address(const std::string& ifname) const {
  struct ifreq req;
  if (ifname.size() >= sizeof req.ifr_name) return ProbeResult::failure(strerror(ENODEV));
  std::memset(&req, 0, sizeof req);
  std::memcpy(req.ifr_name, ifname.data(), ifname.size());
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return ProbeResult::failure(strerror(errno));
  int rc = ioctl(fd, SIOCGIFBRDADDR, &req);
  int err = errno;
  close(fd);
  if (rc != 0) return ProbeResult::failure(strerror(err));
  return ProbeResult::success();
}

bool RealSystemProbe::interface_exists(const std::string& ifname) const {
  return if_nametoindex(ifname.c_str()) != 0;
}

ProbeResult RealSystemProbe::resolve_host(const std::string& host) const {
  struct addrinfo hints;
  std::memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_INET;
  struct addrinfo* res = nullptr;
  int rc = getaddrinfo(host.c_str(), nullptr, &hints, &res);
  if (rc != 0) return ProbeResult::failure(gai_strerror(rc));
  freeaddrinfo(res);
  return ProbeResult::success();
}

bool RealSystemProbe::user_exists(const std::string& name) const {
  return getpwnam(name.c_str()) != nullptr;
}

bool RealSystemProbe::group_exists(const std::string& name) const {
  return getgrnam(name.c_str()) != nullptr;
}

bool RealSystemProbe::path_exists(const std::string& path) const {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

bool RealSystemProbe::is_directory(const std::string& path) const {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool RealSystemProbe::is_char_device(const std::string& path) const {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

bool RealSystemProbe::is_executable_file(const std::string& path) const {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         access(path.c_str(), X_OK) == 0;
}

std::optional<std::string> RealSystemProbe::udp_service_name(int port) const {
  struct servent* s = getservbyport(htons(static_cast<uint16_t>(port)), "udp");
  if (!s) return std::nullopt;
  return std::string(s->s_name);
}

std::optional<int> RealSystemProbe::udp_service_port(const std::string& name) const {
  struct servent* s = getservbyname(name.c_str(), "udp");
  if (!s) return std::nullopt;
  return ntohs(static_cast<uint16_t>(s->s_port));
}

FileContent RealSystemProbe::read_file(const std::string& path) const {
  FileContent out;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    out.error = errno;
    return out;
  }
  struct stat st;
  if (fstat(fd, &st) == 0) {
    out.mode = st.st_mode & 07777;
    out.owner = st.st_uid;
  }
  char buf[8192];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) out.error = errno;
    if (n <= 0) break;
    out.text.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

}  // namespace hbd::config
