// A problem found in a configuration file, with where it was found.
#pragma once
#include <string>
#include <vector>

namespace hbd::config {

enum class Severity { Error, Warning, Info };

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string file;  // path as given to the parser
  int line = 0;      // 1-based; 0 when the problem is not tied to a line
  std::string message;
};

using Diagnostics = std::vector<Diagnostic>;

inline bool has_errors(const Diagnostics& ds) {
  for (const auto& d : ds)
    if (d.severity == Severity::Error) return true;
  return false;
}

}  // namespace hbd::config
