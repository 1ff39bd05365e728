#include "control/client.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "control/protocol.h"
#include "control/socket_util.h"

namespace hbd::control {
namespace {

// A snapshot of even a large cluster is a few kilobytes; more is garbage.
constexpr std::size_t kMaxResponseBytes = 1 << 20;

using Clock = std::chrono::steady_clock;

int ms_left(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

FetchResult failed(FetchStatus status, std::string detail) {
  FetchResult r;
  r.status = status;
  r.detail = std::move(detail);
  return r;
}

// Connects, retrying while the daemon's backlog is full.
int connect_until(const std::string& path, Clock::time_point deadline, FetchResult& why) {
  while (true) {
    int fd = connect_socket(path);
    if (fd >= 0) return fd;
    int err = errno;
    if (err == EACCES || err == EPERM) {
      why = failed(FetchStatus::Refused, std::strerror(err));
      return -1;
    }
    if (err != EAGAIN) {
      why = failed(FetchStatus::NotRunning, std::strerror(err));
      return -1;
    }
    if (ms_left(deadline) == 0) {
      why = failed(FetchStatus::TimedOut, "daemon busy");
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(20, ms_left(deadline))));
  }
}

bool wait_for(int fd, short events, Clock::time_point deadline) {
  pollfd p{fd, events, 0};
  while (true) {
    int n = ::poll(&p, 1, ms_left(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return false;
  }
}

// Sends the request line; false with `why` set on failure.
bool send_request(int fd, Clock::time_point deadline, FetchResult& why,
                  const std::string& line = kSnapshotRequest) {
  std::string request = line + '\n';
  std::size_t sent = 0;
  while (sent < request.size()) {
    if (!wait_for(fd, POLLOUT, deadline)) {
      why = failed(FetchStatus::TimedOut, "no timely response");
      return false;
    }
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n < 0) {
      why = failed(FetchStatus::Refused, std::strerror(errno));
      return false;
    }
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// The whole answer, until the daemon hangs up; `why` set when there is none.
bool read_all(int fd, Clock::time_point deadline, std::string& response, FetchResult& why) {
  char buf[4096];
  while (true) {
    if (!wait_for(fd, POLLIN, deadline)) {
      why = failed(FetchStatus::TimedOut, "no timely response");
      return false;
    }
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n < 0 && response.empty()) {
      why = failed(FetchStatus::Refused, std::strerror(errno));
      return false;
    }
    if (n <= 0) break;
    response.append(buf, static_cast<std::size_t>(n));
    if (response.size() > kMaxResponseBytes) {
      why = failed(FetchStatus::BadResponse, "response too large");
      return false;
    }
  }
  // The server hangs up without a word on clients it does not accept.
  if (response.empty()) {
    why = failed(FetchStatus::Refused, "connection closed by the daemon");
    return false;
  }
  return true;
}

FetchResult read_response(int fd, Clock::time_point deadline) {
  std::string response;
  FetchResult why;
  if (!read_all(fd, deadline, response, why)) return why;
  DecodeResult decoded = decode_response(response);
  if (!decoded.snapshot) return failed(FetchStatus::BadResponse, decoded.error);
  FetchResult ok;
  ok.status = FetchStatus::Ok;
  ok.snapshot = std::move(*decoded.snapshot);
  return ok;
}

}  // namespace

FetchResult fetch_snapshot(const std::string& socket_path, int timeout_ms) {
  Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  FetchResult result;
  int fd = connect_until(socket_path, deadline, result);
  if (fd < 0) return result;
  if (send_request(fd, deadline, result)) result = read_response(fd, deadline);
  ::close(fd);
  return result;
}

CommandResult send_command(const std::string& socket_path, const std::string& command,
                           int timeout_ms) {
  Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  FetchResult why;
  std::string response;
  int fd = connect_until(socket_path, deadline, why);
  bool answered = fd >= 0 && send_request(fd, deadline, why, command) &&
                  read_all(fd, deadline, response, why);
  if (fd >= 0) ::close(fd);
  if (!answered) return {why.status, why.detail};
  while (!response.empty() && (response.back() == '\n' || response.back() == '\r'))
    response.pop_back();
  if (response == kOkResponse) return {FetchStatus::Ok, ""};
  const std::string prefix = "error ";
  if (response.rfind(prefix, 0) == 0) return {FetchStatus::BadResponse, response.substr(prefix.size())};
  return {FetchStatus::BadResponse, "unexpected answer: " + response.substr(0, 200)};
}

}  // namespace hbd::control
