// Unix-socket plumbing shared by the control server and its clients.
#pragma once
#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace hbd::control {

// Creates the socket's directory if missing (0750), refuses it when another
// user owns it or group/others may write it, removes a stale socket
// left by a dead daemon, binds and listens with mode 0600. Throws
// std::runtime_error saying what went wrong (path too long, another daemon
// already answering there, permission...). The mode comes from the umask at
// bind, never from a chmod by path, which would follow a symlink swapped in
// after the bind. `after_bind` lets tests do that swap.
//
// With a `read_group` (hbd.ini [status] group) the socket is made mode 0660
// and that group's from birth (umask and effective gid at bind, for the same
// reason), and the directory is given to the group (0750) so its members
// can reach the socket; they may read the status, nothing else.
constexpr gid_t kNoGroup = static_cast<gid_t>(-1);
int bind_private_socket(const std::string& path, const std::function<void()>& after_bind = {},
                        gid_t read_group = kNoGroup);

// SO_PEERCRED: root (or, for tests run unprivileged, our own uid) may use the
// control socket; with a read group, also a process in that group (its
// effective gid or one of its supplementary groups).
bool peer_may_control(int fd, gid_t read_group = kNoGroup);

// The rule of peer_may_control, pure: `groups` are the peer's supplementary groups.
bool peer_allowed(uid_t uid, gid_t gid, const std::vector<gid_t>& groups, uid_t self,
                  gid_t read_group);

// The "Groups:" line of a /proc/PID/status text (empty when there is none).
std::vector<gid_t> parse_status_groups(const std::string& status_text);

// Non-blocking connect; -1 with errno set (ENOENT/ECONNREFUSED: nobody
// listens, EACCES: not allowed, EAGAIN: backlog full).
int connect_socket(const std::string& path);

}  // namespace hbd::control
