// Unix-socket plumbing shared by the control server and its clients.
#pragma once
#include <functional>
#include <string>

namespace hbd::control {

// Creates the socket's directory if missing (0750), refuses it when another
// user owns it or group/others may write it, removes a stale socket
// left by a dead daemon, binds and listens with mode 0600. Throws
// std::runtime_error saying what went wrong (path too long, another daemon
// already answering there, permission...). The mode comes from the umask at
// bind, never from a chmod by path, which would follow a symlink swapped in
// after the bind. `after_bind` lets tests do that swap.
int bind_private_socket(const std::string& path, const std::function<void()>& after_bind = {});

// SO_PEERCRED: only root (or, for tests run unprivileged, our own uid) may
// use the control socket.
bool peer_may_control(int fd);

// Non-blocking connect; -1 with errno set (ENOENT/ECONNREFUSED: nobody
// listens, EACCES: not allowed, EAGAIN: backlog full).
int connect_socket(const std::string& path);

}  // namespace hbd::control
