#include "control/socket_util.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "io/private_dir.h"

namespace hbd::control {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what, int err) {
  throw std::runtime_error("control socket " + path + ": " + what + ": " + std::strerror(err));
}

bool make_address(const std::string& path, sockaddr_un& addr) {
  std::memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path) return false;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return true;
}

void make_parent_dirs(const std::string& path) {
  for (std::size_t slash = path.find('/', 1); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    std::string dir = path.substr(0, slash);
    if (::mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST) fail(path, "cannot create " + dir, errno);
  }
}

// Someone else's or a group/other-writable directory (normally
// /run/heartbeat) could have the socket swapped under us: not used.
void check_socket_dir(const std::string& path) {
  std::size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  std::string problem = io::check_private_dir(dir);
  if (!problem.empty()) throw std::runtime_error("control socket " + path + ": " + problem);
}

// A socket file whose owner no longer answers is stale; one that answers
// belongs to a running daemon and must not be taken over.
void remove_stale_socket(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return;
  if (!S_ISSOCK(st.st_mode)) throw std::runtime_error("control socket " + path + ": exists and is not a socket");
  int fd = connect_socket(path);
  // EAGAIN: a daemon listens but its backlog is full; it is alive all the same.
  if (fd >= 0 || errno == EAGAIN) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("control socket " + path + ": another daemon is answering there");
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail(path, "cannot remove stale socket", errno);
}

}  // namespace

int bind_private_socket(const std::string& path, const std::function<void()>& after_bind) {
  sockaddr_un addr;
  if (!make_address(path, addr)) throw std::runtime_error("control socket path '" + path + "' is empty or too long");
  make_parent_dirs(path);
  check_socket_dir(path);
  remove_stale_socket(path);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) fail(path, "socket", errno);
  // The umask makes the socket 0600 from birth: no window where others can connect.
  mode_t old_mask = ::umask(0177);
  int rc = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  int err = errno;
  ::umask(old_mask);
  if (rc == 0 && after_bind) after_bind();
  if (rc != 0 || ::listen(fd, 16) != 0) {
    err = rc != 0 ? err : errno;
    ::close(fd);
    fail(path, rc != 0 ? "bind" : "listen", err);
  }
  return fd;
}

bool peer_may_control(int fd) {
  ucred cred;
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return false;
  return cred.uid == 0 || cred.uid == ::geteuid();
}

int connect_socket(const std::string& path) {
  sockaddr_un addr;
  if (!make_address(path, addr)) {
    errno = ENAMETOOLONG;
    return -1;
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  // A non-blocking Unix-socket connect completes at once, fails at once when
  // nobody listens, or gives EAGAIN when the daemon's backlog is full (a
  // blocking one would hang there).
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int err = errno;
    ::close(fd);
    errno = err;
    return -1;
  }
  return fd;
}

}  // namespace hbd::control
