// Test helpers shared by the unit tests: a private temporary directory that
// is removed with everything in it, and reading a whole file.
#pragma once
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace hbd::testing {

class TempDir {
 public:
  explicit TempDir(const char* prefix = "hbd-test") {
    std::string pattern = std::string("/tmp/") + prefix + ".XXXXXX";
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp " + pattern + " failed");
    path_ = pattern;
  }
  // remove_all does not follow symlinks, so a link a test planted inside
  // cannot take anything outside the directory with it.
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace hbd::testing
