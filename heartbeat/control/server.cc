// The control socket server, in nghttpx's libev style: each connection owns
// its watchers and stops them in its destructor; callbacks are small free
// functions that recover their object from w->data.
#include "control/server.h"

#include <ev.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>

#include "control/protocol.h"
#include "control/socket_util.h"

namespace hbd::control {
namespace {

// A client gets this long to send its request and read the answer; one that
// stalls is dropped so it cannot hold a descriptor forever.
constexpr double kConnectionTimeout = 10.0;
// Connections beyond this are closed at once (a local flood cannot exhaust fds).
constexpr std::size_t kMaxConnections = 32;
// After EMFILE/ENFILE the listener rests this long instead of spinning.
constexpr double kAcceptPause = 1.0;

void on_accept(struct ev_loop* loop, ev_io* w, int revents);
void on_accept_resume(struct ev_loop* loop, ev_timer* w, int revents);
void on_readable(struct ev_loop* loop, ev_io* w, int revents);
void on_writable(struct ev_loop* loop, ev_io* w, int revents);
void on_timeout(struct ev_loop* loop, ev_timer* w, int revents);

}  // namespace

struct ControlConnection;

// Everything the server owns; a plain struct so the callbacks can name it.
struct ControlServerState {
  ControlServerState(struct ev_loop* loop, std::string path, SnapshotSource& source,
                     gid_t read_group);
  ~ControlServerState();
  ControlServerState(const ControlServerState&) = delete;
  ControlServerState& operator=(const ControlServerState&) = delete;

  void accept_all();
  void close(ControlConnection* conn);

  struct ev_loop* loop;
  std::string path;
  SnapshotSource& source;
  gid_t read_group;  // kNoGroup: root only
  int listen_fd = -1;
  ev_io accept_watcher;
  ev_timer accept_pause;
  std::map<ControlConnection*, std::unique_ptr<ControlConnection>> connections;
};

struct ControlConnection {
  ControlConnection(ControlServerState* owner, int fd, bool privileged);
  ~ControlConnection();
  ControlConnection(const ControlConnection&) = delete;
  ControlConnection& operator=(const ControlConnection&) = delete;

  void read_request();
  void answer(const std::string& request_line);
  void flush();

  std::string command(const std::string& request);

  ControlServerState* owner;
  int fd;
  bool privileged;  // root (or ourselves): may change things, not only read
  ev_io read_watcher;
  ev_io write_watcher;
  ev_timer timer;
  std::string input;
  std::string output;
  std::size_t sent = 0;
};

ControlConnection::ControlConnection(ControlServerState* owner_, int fd_, bool privileged_)
    : owner(owner_), fd(fd_), privileged(privileged_) {
  ev_io_init(&read_watcher, on_readable, fd, EV_READ);
  read_watcher.data = this;
  ev_io_init(&write_watcher, on_writable, fd, EV_WRITE);
  write_watcher.data = this;
  ev_timer_init(&timer, on_timeout, kConnectionTimeout, 0.0);
  timer.data = this;
  ev_io_start(owner->loop, &read_watcher);
  ev_timer_start(owner->loop, &timer);
}

ControlConnection::~ControlConnection() {
  ev_io_stop(owner->loop, &read_watcher);
  ev_io_stop(owner->loop, &write_watcher);
  ev_timer_stop(owner->loop, &timer);
  ::close(fd);
}

void ControlConnection::read_request() {
  char buf[kMaxRequestBytes];
  ssize_t n = recv(fd, buf, sizeof buf, 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
  if (n <= 0) {  // error, or EOF before a whole request
    owner->close(this);
    return;
  }
  input.append(buf, static_cast<std::size_t>(n));
  std::size_t newline = input.find('\n');
  if (newline != std::string::npos) {
    answer(input.substr(0, newline + 1));
  } else if (input.size() >= kMaxRequestBytes) {
    output = encode_error("request too long");
    ev_io_stop(owner->loop, &read_watcher);
    flush();
  }
}

void ControlConnection::answer(const std::string& request_line) {
  std::string request = parse_request_line(request_line);
  if (request == kSnapshotRequest) {
    // A failing source must not take the daemon down with it.
    try {
      output = encode_snapshot(owner->source.snapshot());
    } catch (const std::exception& e) {
      output = encode_error(std::string("snapshot failed: ") + e.what());
    }
  } else {
    output = command(request);
  }
  ev_io_stop(owner->loop, &read_watcher);
  flush();
}

// Requests that change something: root's (and our own uid's) only, never a
// read group member's.
std::string ControlConnection::command(const std::string& request) {
  std::string word = request.substr(0, request.find(' '));
  if (word != kCleanupRequest) return encode_error("unknown request '" + request + "'");
  if (!privileged) return encode_error("cleanup: only root may change the cluster");
  std::string target = request.size() > word.size() ? request.substr(word.size() + 1) : "";
  try {
    std::string why = owner->source.cleanup(target);
    return why.empty() ? std::string(kOkResponse) + "\n" : encode_error(why);
  } catch (const std::exception& e) {
    return encode_error(std::string("cleanup failed: ") + e.what());
  }
}

// Writes what the socket takes now; the rest waits for EV_WRITE, so a client
// that never reads only costs its own buffer until the timeout.
void ControlConnection::flush() {
  while (sent < output.size()) {
    ssize_t n = send(fd, output.data() + sent, output.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      ev_io_start(owner->loop, &write_watcher);
      return;
    }
    if (n < 0) {
      owner->close(this);
      return;
    }
    sent += static_cast<std::size_t>(n);
  }
  owner->close(this);
}

ControlServerState::ControlServerState(struct ev_loop* loop_, std::string path_,
                                       SnapshotSource& source_, gid_t read_group_)
    : loop(loop_), path(std::move(path_)), source(source_), read_group(read_group_) {
  listen_fd = bind_private_socket(path, {}, read_group);
  ev_io_init(&accept_watcher, on_accept, listen_fd, EV_READ);
  accept_watcher.data = this;
  ev_timer_init(&accept_pause, on_accept_resume, kAcceptPause, 0.0);
  accept_pause.data = this;
  ev_io_start(loop, &accept_watcher);
}

ControlServerState::~ControlServerState() {
  connections.clear();
  ev_io_stop(loop, &accept_watcher);
  ev_timer_stop(loop, &accept_pause);
  ::close(listen_fd);
  ::unlink(path.c_str());
}

void ControlServerState::accept_all() {
  while (true) {
    int fd = accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        ev_io_stop(loop, &accept_watcher);
        ev_timer_start(loop, &accept_pause);
      }
      return;  // EAGAIN, or a connection that vanished: nothing more to take now
    }
    // Closing without an answer is what a client that may not talk to us sees.
    if (!peer_may_control(fd, read_group) || connections.size() >= kMaxConnections) {
      ::close(fd);
      continue;
    }
    auto conn = std::make_unique<ControlConnection>(this, fd, peer_may_control(fd));
    ControlConnection* key = conn.get();
    connections.emplace(key, std::move(conn));
  }
}

void ControlServerState::close(ControlConnection* conn) { connections.erase(conn); }

namespace {

void on_accept(struct ev_loop*, ev_io* w, int) {
  static_cast<ControlServerState*>(w->data)->accept_all();
}

void on_accept_resume(struct ev_loop* loop, ev_timer* w, int) {
  auto* impl = static_cast<ControlServerState*>(w->data);
  ev_io_start(loop, &impl->accept_watcher);
}

void on_readable(struct ev_loop*, ev_io* w, int) {
  static_cast<ControlConnection*>(w->data)->read_request();
}

void on_writable(struct ev_loop* loop, ev_io* w, int) {
  ev_io_stop(loop, w);
  static_cast<ControlConnection*>(w->data)->flush();
}

void on_timeout(struct ev_loop*, ev_timer* w, int) {
  auto* conn = static_cast<ControlConnection*>(w->data);
  conn->owner->close(conn);
}

}  // namespace

struct Server::Impl : ControlServerState {
  using ControlServerState::ControlServerState;
};

Server::Server(struct ev_loop* loop, std::string path, SnapshotSource& source,
               gid_t read_group)
    : impl_(std::make_unique<Impl>(loop, std::move(path), source, read_group)) {}

Server::~Server() = default;

const std::string& Server::path() const { return impl_->path; }

}  // namespace hbd::control
