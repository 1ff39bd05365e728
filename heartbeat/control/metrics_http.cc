#include "control/metrics_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace hbd::control {
namespace {

constexpr std::size_t kMaxHead = 8192;
constexpr std::size_t kMaxConnections = 16;
constexpr double kConnectionTimeout = 5.0;

std::string answer(const std::string& status, const std::string& body, bool with_body,
                   const std::string& type = "text/plain; charset=utf-8") {
  std::string out = "HTTP/1.1 " + status + "\r\nContent-Type: " + type +
                    "\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\nConnection: close\r\n\r\n";
  return with_body ? out + body : out;
}

[[noreturn]] void fail(const std::string& what, int err) {
  throw std::runtime_error("metrics listener: " + what + ": " + std::strerror(err));
}

// A socket bound to host:port (IPv4 or IPv6 literal), listening.
int listen_on(const std::string& host, int port) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    len = sizeof *v4;
  } else if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    len = sizeof *v6;
  } else {
    throw std::runtime_error("metrics listener: '" + host + "' is not an IPv4 or IPv6 address");
  }
  int fd = ::socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("socket", errno);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 || ::listen(fd, 8) != 0) {
    int err = errno;
    ::close(fd);
    fail("cannot listen on " + host + ":" + std::to_string(port), err);
  }
  return fd;
}

void on_accept(struct ev_loop*, ev_io* w, int) { static_cast<MetricsHttp*>(w->data)->accept_all(); }
void on_accept_pause(struct ev_loop*, ev_timer* w, int) {
  static_cast<MetricsHttp*>(w->data)->resume_accepting();
}

}  // namespace

std::string metrics_http_answer(std::string_view head, const std::function<std::string()>& body) {
  std::size_t eol = head.find("\r\n");
  std::string_view line = head.substr(0, eol == std::string_view::npos ? head.size() : eol);
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.substr(sp2 + 1).rfind("HTTP/1.", 0) != 0)
    return answer("400 Bad Request", "bad request\n", true);
  std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  bool head_only = method == "HEAD";
  if (method != "GET" && !head_only) return answer("405 Method Not Allowed", "GET only\n", true);
  std::string_view path = target.substr(0, target.find('?'));
  if (path != "/metrics") return answer("404 Not Found", "only /metrics is here\n", !head_only);
  return answer("200 OK", body(), !head_only, "text/plain; version=0.0.4; charset=utf-8");
}

struct MetricsHttp::Connection {
  Connection(MetricsHttp* owner, int fd);
  ~Connection();
  void readable();
  void writable();

  MetricsHttp* owner;
  int fd;
  ev_io read_watcher, write_watcher;
  ev_timer timer;
  std::string input, output;
  std::size_t sent = 0;
};

namespace {
void on_readable(struct ev_loop*, ev_io* w, int) {
  static_cast<MetricsHttp::Connection*>(w->data)->readable();
}
void on_writable(struct ev_loop*, ev_io* w, int) {
  static_cast<MetricsHttp::Connection*>(w->data)->writable();
}
void on_timeout(struct ev_loop*, ev_timer* w, int) {
  auto* c = static_cast<MetricsHttp::Connection*>(w->data);
  c->owner->close(c);
}
}  // namespace

MetricsHttp::Connection::Connection(MetricsHttp* owner_, int fd_) : owner(owner_), fd(fd_) {
  ev_io_init(&read_watcher, on_readable, fd, EV_READ);
  read_watcher.data = this;
  ev_io_init(&write_watcher, on_writable, fd, EV_WRITE);
  write_watcher.data = this;
  ev_timer_init(&timer, on_timeout, kConnectionTimeout, 0.);
  timer.data = this;
  ev_io_start(owner->loop(), &read_watcher);
  ev_timer_start(owner->loop(), &timer);
}

MetricsHttp::Connection::~Connection() {
  ev_io_stop(owner->loop(), &read_watcher);
  ev_io_stop(owner->loop(), &write_watcher);
  ev_timer_stop(owner->loop(), &timer);
  ::close(fd);
}

void MetricsHttp::Connection::readable() {
  char buf[2048];
  ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n <= 0) return owner->close(this);
  input.append(buf, static_cast<std::size_t>(n));
  bool complete = input.find("\r\n\r\n") != std::string::npos;
  if (!complete && input.size() < kMaxHead) return;
  output = complete ? metrics_http_answer(input, owner->render())
                    : metrics_http_answer("", owner->render());  // too long: 400
  ev_io_stop(owner->loop(), &read_watcher);
  ev_io_start(owner->loop(), &write_watcher);
}

void MetricsHttp::Connection::writable() {
  while (sent < output.size()) {
    ssize_t n = ::send(fd, output.data() + sent, output.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n < 0) break;
    sent += static_cast<std::size_t>(n);
  }
  owner->close(this);
}

MetricsHttp::MetricsHttp(struct ev_loop* loop, const std::string& host, int port, Render render)
    : loop_(loop), render_(std::move(render)), fd_(listen_on(host, port)) {
  ev_io_init(&accept_watcher_, on_accept, fd_, EV_READ);
  accept_watcher_.data = this;
  ev_timer_init(&accept_pause_, on_accept_pause, 1.0, 0.);
  accept_pause_.data = this;
  ev_io_start(loop_, &accept_watcher_);
}

void MetricsHttp::resume_accepting() { ev_io_start(loop_, &accept_watcher_); }

MetricsHttp::~MetricsHttp() {
  connections_.clear();
  ev_io_stop(loop_, &accept_watcher_);
  ev_timer_stop(loop_, &accept_pause_);
  ::close(fd_);
}

int MetricsHttp::port() const {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return -1;
  if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
}

void MetricsHttp::accept_all() {
  while (true) {
    int fd = ::accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      // Out of descriptors: the socket stays readable, so stop looking for a
      // second rather than spin.
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        ev_io_stop(loop_, &accept_watcher_);
        ev_timer_start(loop_, &accept_pause_);
      }
      return;
    }
    if (connections_.size() >= kMaxConnections) {
      ::close(fd);
      continue;
    }
    auto c = std::make_unique<Connection>(this, fd);
    Connection* key = c.get();
    connections_.emplace(key, std::move(c));
  }
}

void MetricsHttp::close(Connection* c) { connections_.erase(c); }

}  // namespace hbd::control
