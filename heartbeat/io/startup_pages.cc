#include "io/startup_pages.h"

#include <sys/mman.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace hbd::io {

namespace {

struct Mapping {
  PageRange range{0, 0};
  std::string perms;
  bool file = false;
  bool modified = true;  // until smaps says "Anonymous: 0 kB"
};

// "start-end perms offset dev inode [path]"; false for a field line.
bool parse_header(const std::string& line, Mapping& m) {
  std::istringstream in(line);
  std::string span, offset, dev, inode, path;
  if (!(in >> span >> m.perms >> offset >> dev >> inode)) return false;
  size_t dash = span.find('-');
  if (dash == std::string::npos || m.perms.size() != 4) return false;
  char* end = nullptr;
  m.range.start = std::strtoull(span.c_str(), &end, 16);
  if (end != span.c_str() + dash) return false;
  m.range.end = std::strtoull(span.c_str() + dash + 1, &end, 16);
  if (*end != '\0') return false;
  in >> path;
  m.file = !path.empty() && path[0] == '/';
  m.modified = true;
  return true;
}

bool releasable(const Mapping& m) {
  bool readable = m.perms[0] == 'r' || m.perms[2] == 'x';
  return m.file && readable && m.perms[1] != 'w' && m.perms[3] == 'p' && !m.modified;
}

}  // namespace

std::vector<PageRange> releasable_ranges(std::istream& smaps) {
  std::vector<PageRange> out;
  Mapping current;
  bool have = false;
  std::string line;
  while (std::getline(smaps, line)) {
    Mapping next;
    if (parse_header(line, next)) {
      if (have && releasable(current)) out.push_back(current.range);
      current = next;
      have = true;
    } else if (have && line.rfind("Anonymous:", 0) == 0) {
      current.modified = std::strtoull(line.c_str() + 10, nullptr, 10) != 0;
    }
  }
  if (have && releasable(current)) out.push_back(current.range);
  return out;
}

void release_startup_pages() {
  std::ifstream smaps("/proc/self/smaps");
  for (const PageRange& r : releasable_ranges(smaps))
    ::madvise(reinterpret_cast<void*>(r.start), r.end - r.start, MADV_DONTNEED);
}

}  // namespace hbd::io
