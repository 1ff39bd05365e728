#include "io/startup_pages.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "catch2/catch.hpp"

namespace hbd::io {
namespace {

// A mapping of /proc/self/smaps with only the fields that matter here.
std::string mapping(const std::string& header, int anonymous_kb) {
  return header + "\nSize:                 64 kB\nRss:                  64 kB\nAnonymous:" +
         "          " + std::to_string(anonymous_kb) + " kB\nVmFlags: rd ex mr mw me\n";
}

std::vector<PageRange> ranges_of(const std::string& text) {
  std::istringstream in(text);
  return releasable_ranges(in);
}

}  // namespace

TEST_CASE("startup pages: only unmodified read-only private file mappings are released", "[realtime]") {
  std::string smaps =
      mapping("7f0000000000-7f0000010000 r-xp 00000000 08:01 12 /usr/lib/libcrypto.so.3", 0) +
      mapping("7f0000010000-7f0000020000 r--p 00010000 08:01 12 /usr/lib/libcrypto.so.3", 0) +
      // relocated (copied on write), then made read-only: dropping it would undo the relocations
      mapping("7f0000020000-7f0000030000 r--p 00020000 08:01 12 /usr/lib/libcrypto.so.3", 8) +
      mapping("7f0000030000-7f0000040000 rw-p 00030000 08:01 12 /usr/lib/libcrypto.so.3", 0) +
      mapping("7f0000040000-7f0000050000 ---p 00040000 08:01 12 /usr/lib/libcrypto.so.3", 0) +
      mapping("7f0000050000-7f0000060000 r--s 00000000 08:01 13 /dev/shm/shared", 0) +
      mapping("7f0000060000-7f0000070000 rw-p 00000000 00:00 0 [heap]", 64) +
      mapping("7f0000070000-7f0000071000 r-xp 00000000 00:00 0 [vdso]", 0) +
      mapping("7f0000080000-7f0000090000 r-xp 00000000 08:01 14 /usr/sbin/hbd", 0);
  auto ranges = ranges_of(smaps);
  REQUIRE(ranges.size() == 3);
  CHECK(ranges[0].start == 0x7f0000000000);
  CHECK(ranges[0].end == 0x7f0000010000);
  CHECK(ranges[1].start == 0x7f0000010000);
  CHECK(ranges[2].start == 0x7f0000080000);  // the last mapping of the file counts too
  CHECK(ranges[2].end == 0x7f0000090000);
}

TEST_CASE("startup pages: a mapping whose Anonymous line is missing is left alone", "[realtime]") {
  CHECK(ranges_of("7f0000000000-7f0000010000 r-xp 00000000 08:01 12 /usr/lib/libc.so.6\n").empty());
  CHECK(ranges_of("").empty());
}

TEST_CASE("startup pages: releasing keeps the contents of the pages", "[realtime]") {
  char path[] = "/tmp/hbd-startup-pages-XXXXXX";
  int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  std::string text(3 * 4096, 'h');
  REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  void* p = ::mmap(nullptr, text.size(), PROT_READ, MAP_PRIVATE, fd, 0);
  REQUIRE(p != MAP_FAILED);
  CHECK(static_cast<const char*>(p)[5000] == 'h');  // faulted in
  release_startup_pages();
  CHECK(std::memcmp(p, text.data(), text.size()) == 0);  // read back from the file
  ::munmap(p, text.size());
  ::close(fd);
  ::unlink(path);
}

}  // namespace hbd::io
