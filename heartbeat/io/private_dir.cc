#include "io/private_dir.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace hbd::io {

std::string private_dir_problem(const std::string& path, const DirFacts& facts,
                                const std::vector<uid_t>& owners) {
  if (!facts.exists) return "";  // created by us when needed
  if (!facts.is_directory) return path + " is not a directory";
  char octal[8];
  std::snprintf(octal, sizeof octal, "%04o", facts.mode & 07777);
  if (std::find(owners.begin(), owners.end(), facts.owner) == owners.end())
    return path + " is owned by uid " + std::to_string(facts.owner) +
           ", not root: refusing to use it (chown root " + path + ")";
  if ((facts.mode & 022) != 0)
    return path + " has mode " + octal + ", writable by group or others: refusing to use it " +
           "(chmod go-w " + path + ")";
  return "";
}

std::vector<uid_t> trusted_dir_owners() {
  std::vector<uid_t> owners{0, ::geteuid()};
  if (const passwd* pw = ::getpwnam("hacluster")) owners.push_back(pw->pw_uid);
  return owners;
}

std::string check_private_dir(const std::string& path) {
  struct stat st;
  DirFacts facts;
  if (::stat(path.c_str(), &st) == 0) {
    facts.exists = true;
    facts.is_directory = S_ISDIR(st.st_mode);
    facts.owner = st.st_uid;
    facts.mode = st.st_mode & 07777;
  }
  return private_dir_problem(path, facts, trusted_dir_owners());
}

}  // namespace hbd::io
