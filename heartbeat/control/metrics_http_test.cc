#include "control/metrics_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <stdexcept>

#include "control/test_support.h"

using namespace hbd::control;

namespace {

std::string body() { return "hbd_up 1\n"; }

// One request over TCP to 127.0.0.1:port; the whole answer.
std::string fetch(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return "connect failed";
  }
  timeval limit{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

}  // namespace

TEST_CASE("metrics http: GET /metrics only; HEAD without a body; the rest refused",
          "[control][metrics]") {
  std::string ok = metrics_http_answer("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", body);
  CHECK(ok == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
              "Content-Length: 9\r\nConnection: close\r\n\r\nhbd_up 1\n");
  CHECK(metrics_http_answer("GET /metrics?x=1 HTTP/1.0\r\n\r\n", body).rfind("HTTP/1.1 200", 0) == 0);
  std::string head = metrics_http_answer("HEAD /metrics HTTP/1.1\r\n\r\n", body);
  CHECK(head.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(head.find("hbd_up") == std::string::npos);
  CHECK(metrics_http_answer("GET / HTTP/1.1\r\n\r\n", body).rfind("HTTP/1.1 404", 0) == 0);
  CHECK(metrics_http_answer("POST /metrics HTTP/1.1\r\n\r\n", body).rfind("HTTP/1.1 405", 0) == 0);
  CHECK(metrics_http_answer("hello\r\n\r\n", body).rfind("HTTP/1.1 400", 0) == 0);
  CHECK(metrics_http_answer("", body).rfind("HTTP/1.1 400", 0) == 0);
}

TEST_CASE("metrics http: a live listener answers a scrape and closes", "[control][metrics]") {
  struct ev_loop* loop = ev_loop_new(EVFLAG_AUTO);
  {
    int renders = 0;
    MetricsHttp http(loop, "127.0.0.1", 0, [&] { return "hbd_up 1\nrender " + std::to_string(++renders) + "\n"; });
    REQUIRE(http.port() > 0);
    std::string first, second, bogus;
    testing::serve_while(loop, [&] {
      first = fetch(http.port(), "GET /metrics HTTP/1.1\r\nHost: h\r\n\r\n");
      second = fetch(http.port(), "GET /metrics HTTP/1.1\r\n\r\n");
      bogus = fetch(http.port(), std::string(9000, 'x'));  // no end of head within 8 KiB
    });
    CHECK(first.find("\r\n\r\nhbd_up 1\nrender 1\n") != std::string::npos);
    CHECK(second.find("render 2") != std::string::npos);  // fresh at every scrape
    CHECK(bogus.rfind("HTTP/1.1 400", 0) == 0);
  }
  ev_loop_destroy(loop);
  CHECK_THROWS_WITH(MetricsHttp(ev_default_loop(0), "localhost", 9101, body),
                    "metrics listener: 'localhost' is not an IPv4 or IPv6 address");
}
