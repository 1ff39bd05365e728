#include "control/socket_util.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
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

// The socket's directory, given to the read group so that its members can
// reach the socket (0750: they may look, never write). The directory was
// checked private just before, so changing it by path is safe.
void share_dir_with(const std::string& path, gid_t group) {
  std::string dir = path.substr(0, path.rfind('/'));
  if (dir.empty()) return;
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) fail(path, "cannot stat " + dir, errno);
  if (st.st_gid != group && ::lchown(dir.c_str(), static_cast<uid_t>(-1), group) != 0)
    fail(path, "cannot give " + dir + " to the status group", errno);
  if ((st.st_mode & 0070) != 0050 && ::chmod(dir.c_str(), (st.st_mode & 07707) | 0050) != 0)
    fail(path, "cannot let the status group into " + dir, errno);
}

// bind() with the socket's mode and group set from birth: the umask gives
// 0600 (0660 with a read group) and, with a read group, the effective gid at
// bind gives the group. No window where others can connect.
int bind_with_mode(int fd, const sockaddr_un& addr, gid_t read_group) {
  bool shared = read_group != kNoGroup;
  gid_t old_gid = ::getegid();
  if (shared && ::setegid(read_group) != 0) return -1;
  mode_t old_mask = ::umask(shared ? 0117 : 0177);
  int rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  int err = errno;
  ::umask(old_mask);
  if (shared && ::setegid(old_gid) != 0 && rc == 0) {
    err = errno;  // bound, but we could not become ourselves again
    rc = -1;
  }
  errno = err;
  return rc;
}

}  // namespace

int bind_private_socket(const std::string& path, const std::function<void()>& after_bind,
                        gid_t read_group) {
  sockaddr_un addr;
  if (!make_address(path, addr)) throw std::runtime_error("control socket path '" + path + "' is empty or too long");
  make_parent_dirs(path);
  check_socket_dir(path);
  remove_stale_socket(path);
  if (read_group != kNoGroup) share_dir_with(path, read_group);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) fail(path, "socket", errno);
  int rc = bind_with_mode(fd, addr, read_group);
  int err = errno;
  if (rc == 0 && after_bind) after_bind();
  if (rc != 0 || ::listen(fd, 16) != 0) {
    err = rc != 0 ? err : errno;
    ::close(fd);
    fail(path, rc != 0 ? "bind" : "listen", err);
  }
  return fd;
}

bool peer_allowed(uid_t uid, gid_t gid, const std::vector<gid_t>& groups, uid_t self,
                  gid_t read_group) {
  if (uid == 0 || uid == self) return true;
  if (read_group == kNoGroup) return false;
  return gid == read_group || std::find(groups.begin(), groups.end(), read_group) != groups.end();
}

std::vector<gid_t> parse_status_groups(const std::string& text) {
  std::vector<gid_t> out;
  std::size_t at = text.rfind("\nGroups:", std::string::npos);
  if (at == std::string::npos) return out;
  std::istringstream words(text.substr(at + 9, text.find('\n', at + 1) - at - 9));
  unsigned long g;
  while (words >> g) out.push_back(static_cast<gid_t>(g));
  return out;
}

bool peer_may_control(int fd, gid_t read_group) {
  ucred cred;
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return false;
  std::vector<gid_t> groups;
  if (read_group != kNoGroup && cred.uid != 0 && cred.gid != read_group) {
    // The peer process's own supplementary groups (it is connected, so its
    // pid is live): what the kernel would check for a file of that group.
    std::ifstream status("/proc/" + std::to_string(cred.pid) + "/status");
    std::string text((std::istreambuf_iterator<char>(status)), std::istreambuf_iterator<char>());
    groups = parse_status_groups("\n" + text);
  }
  return peer_allowed(cred.uid, cred.gid, groups, ::geteuid(), read_group);
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
