// Unix-socket plumbing shared by the control server and its clients.
#pragma once
#include <string>

namespace hbd::control {

// Creates the socket's directory if missing (0750), removes a stale socket
// left by a dead daemon, binds and listens with mode 0600. Throws
// std::runtime_error saying what went wrong (path too long, another daemon
// already answering there, permission...).
int bind_private_socket(const std::string& path);

// SO_PEERCRED: only root (or, for tests run unprivileged, our own uid) may
// use the control socket.
bool peer_may_control(int fd);

// Non-blocking connect; -1 with errno set (ENOENT/ECONNREFUSED: nobody
// listens, EACCES: not allowed, EAGAIN: backlog full).
int connect_socket(const std::string& path);

}  // namespace hbd::control
