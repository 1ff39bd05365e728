// hbd.ini [metrics] listen = ADDRESS:PORT: a read-only HTTP listener that
// answers `GET /metrics` with the status in Prometheus' text format (what
// `hbctl metrics` prints), so Prometheus scrapes hbd directly. Off unless
// configured; it binds only the address given; it never changes anything.
// Each connection: one request (at most 8 KiB of head, 5 s), one answer,
// closed; at most 16 at a time.
#pragma once
#include <ev.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace hbd::control {

// The whole HTTP answer to a request head ("GET /metrics HTTP/1.1\r\n…"):
// 200 with `body()` for GET (HEAD: headers only) of /metrics, 404 for other
// paths, 405 for other methods, 400 for anything unreadable.
std::string metrics_http_answer(std::string_view request_head,
                                const std::function<std::string()>& body);

class MetricsHttp {
 public:
  using Render = std::function<std::string()>;
  // Binds and listens; std::runtime_error saying why when it cannot.
  MetricsHttp(struct ev_loop* loop, const std::string& host, int port, Render render);
  ~MetricsHttp();
  MetricsHttp(const MetricsHttp&) = delete;
  MetricsHttp& operator=(const MetricsHttp&) = delete;

  int port() const;  // the bound port (port 0, for tests: the one the kernel chose)

  struct Connection;
  void accept_all();
  void close(Connection* c);
  void resume_accepting();
  struct ev_loop* loop() const { return loop_; }
  const Render& render() const { return render_; }

 private:
  struct ev_loop* loop_;
  Render render_;
  int fd_ = -1;
  ev_io accept_watcher_;
  ev_timer accept_pause_;  // out of descriptors: accept again a second later
  std::map<Connection*, std::unique_ptr<Connection>> connections_;
};

}  // namespace hbd::control
