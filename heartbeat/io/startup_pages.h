// Pages only start-up used. By the time the daemon locks its memory it has
// parsed its configuration and initialised OpenSSL, touching megabytes of
// library code and constants (and the kernel maps page-cache neighbours
// around each fault). The loop uses a fraction of them. Unmapping the
// read-only file pages just before mlockall(MCL_ONFAULT) lets the first
// rounds of the loop fault back, and lock, only what it uses.
#pragma once
#include <cstdint>
#include <istream>
#include <vector>

namespace hbd::io {

struct PageRange {
  uintptr_t start;
  uintptr_t end;
};

// From /proc/self/smaps text: the private, non-writable mappings of a file
// holding no copied-on-write page (Anonymous: 0 kB). Dropping their pages
// loses nothing: the next access reads the same bytes from the file. Any
// mapping with a modified page (a relocated one, say) is left alone.
std::vector<PageRange> releasable_ranges(std::istream& smaps);

// Drops the pages of releasable_ranges(/proc/self/smaps) from this process
// (MADV_DONTNEED). Must run before mlockall: locked pages cannot be dropped.
void release_startup_pages();

}  // namespace hbd::io
