// The uucp lock a serial port is guarded with, as heartbeat (cluster-glue's
// tty lock) writes it: <lockdir>/LCK..<tty basename> holding the owner's pid
// as ten right-aligned digits and a newline. A lock whose owner is gone is
// stale and taken over.
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace hbd::serial {

// "/run/lock" if it exists, else "/var/lock".
std::string default_lock_dir();
// "<dir>/LCK..ttyS0" for "/dev/ttyS0".
std::string lock_path(const std::string& dir, const std::string& tty);
// "     12345\n"
std::string format_lock_pid(pid_t pid);
// The pid in a lock file's text (ASCII, leading blanks), if any.
std::optional<pid_t> parse_lock_pid(std::string_view text);

class UucpLock {
 public:
  UucpLock() = default;
  ~UucpLock() { release(); }
  UucpLock(const UucpLock&) = delete;
  UucpLock& operator=(const UucpLock&) = delete;

  // Creates the lock for this process (atomically, through link(2)); takes
  // over a stale one. False with a reason when a live process holds it.
  bool acquire(const std::string& dir, const std::string& tty, std::string& error);
  // Removes the lock if it is still ours.
  void release();
  bool held() const { return !path_.empty(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace hbd::serial
