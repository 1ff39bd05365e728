// /run/heartbeat and /var/lib/heartbeat hold what the daemon trusts (its
// generation, uuid, fifo and control socket). A directory another user owns,
// or that group/others may write, would let them plant or swap those files,
// so the daemon refuses it with a message saying how to fix it.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

namespace hbd::io {

struct DirFacts {
  bool exists = false;
  bool is_directory = false;
  uid_t owner = 0;
  unsigned mode = 0;  // permission bits
};

// "" when `path` is safe to use, else the complaint. `owners` are the uids
// that may own it.
std::string private_dir_problem(const std::string& path, const DirFacts& facts,
                                const std::vector<uid_t>& owners);

// The uids that may own our directories: root, ourselves, and hacluster
// (heartbeat's packages give /run/heartbeat to it) when that user exists.
std::vector<uid_t> trusted_dir_owners();

// private_dir_problem for the directory as it is on disk.
std::string check_private_dir(const std::string& path);

}  // namespace hbd::io
