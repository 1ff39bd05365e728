// The local control socket (root only) that cl_status and hbctl talk to.
// Owns its listening socket and libev watchers; answers each request from a
// fresh Snapshot.
#pragma once
#include <sys/types.h>

#include <memory>
#include <string>

#include "control/snapshot.h"

struct ev_loop;

namespace hbd::control {

// Default path of the socket (heartbeat's API socket lives beside it).
constexpr const char* kDefaultSocketPath = "/run/heartbeat/hbd.sock";

class Server {
 public:
  // Binds `path` (removing a stale socket), mode 0600, or 0660 for
  // `read_group` (hbd.ini [status] group; control/socket_util.h). Throws
  // std::runtime_error with a clear message when it cannot.
  Server(struct ev_loop* loop, std::string path, SnapshotSource& source,
         gid_t read_group = static_cast<gid_t>(-1));
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  const std::string& path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hbd::control
