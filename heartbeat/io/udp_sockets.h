// The system calls a UDP medium makes, behind an interface so that tests can
// make a send fail with ENODEV and the reopen succeed (an interface deleted
// and re-created) without a test host. Each call stands for the system call
// of its name: -1 (or false) with errno set on failure.
#pragma once
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace hbd::io {

// Where a name look-up stands.
enum class Lookup { Pending, Done, Failed };

class UdpSockets {
 public:
  virtual ~UdpSockets() = default;
  // A non-blocking, close-on-exec IPv4 UDP socket.
  virtual int open_socket() = 0;
  virtual int set_option(int fd, int level, int option, const void* value, socklen_t size) = 0;
  virtual int bind(int fd, const sockaddr_in& local) = 0;
  // Never blocks (MSG_DONTWAIT).
  virtual ssize_t send_to(int fd, std::string_view bytes, const sockaddr_in& to) = 0;
  virtual ssize_t receive(int fd, char* buf, size_t size) = 0;
  virtual void close(int fd) = 0;
  // The IPv4 address (SIOCGIFADDR) or broadcast address (SIOCGIFBRDADDR) of `dev`.
  virtual bool interface_address(const std::string& dev, unsigned long request, in_addr& out,
                                 std::string& error) = 0;
  // Looks `host` up without blocking the caller: the first call starts the
  // look-up, later calls say how it stands. Done fills `out`; Failed gives
  // the reason, and the next call starts over.
  virtual Lookup lookup(const std::string& host, in_addr& out, std::string& error) = 0;
};

// The real calls; look-ups run in glibc's resolver threads (getaddrinfo_a).
class SystemUdpSockets : public UdpSockets {
 public:
  SystemUdpSockets();
  ~SystemUdpSockets() override;
  SystemUdpSockets(const SystemUdpSockets&) = delete;
  SystemUdpSockets& operator=(const SystemUdpSockets&) = delete;

  int open_socket() override;
  int set_option(int fd, int level, int option, const void* value, socklen_t size) override;
  int bind(int fd, const sockaddr_in& local) override;
  ssize_t send_to(int fd, std::string_view bytes, const sockaddr_in& to) override;
  ssize_t receive(int fd, char* buf, size_t size) override;
  void close(int fd) override;
  bool interface_address(const std::string& dev, unsigned long request, in_addr& out,
                         std::string& error) override;
  Lookup lookup(const std::string& host, in_addr& out, std::string& error) override;

 private:
  struct Request;
  std::map<std::string, std::unique_ptr<Request>> lookups_;  // by host: those under way
};

}  // namespace hbd::io
