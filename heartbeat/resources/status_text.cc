#include "resources/status_text.h"

#include <cctype>

namespace hbd::resources {

namespace {

bool has_running(std::string_view text) {
  return text.find("running") != std::string_view::npos ||
         text.find("Running") != std::string_view::npos;
}

// heartbeat's glob is *[Nn][Oo][Tt]\ *[Rr]unning*: "not" in any case, then
// a blank, then "running" or "Running" somewhere after it.
bool says_not_running(std::string_view text) {
  for (std::size_t p = 0; p + 4 <= text.size(); ++p) {
    bool is_not = std::tolower(static_cast<unsigned char>(text[p])) == 'n' &&
                  std::tolower(static_cast<unsigned char>(text[p + 1])) == 'o' &&
                  std::tolower(static_cast<unsigned char>(text[p + 2])) == 't' &&
                  text[p + 3] == ' ';
    if (is_not && has_running(text.substr(p + 4))) return true;
  }
  return false;
}

}  // namespace

bool says_running(std::string_view output) {
  if (says_not_running(output)) return false;
  return has_running(output) || output.find("OK") != std::string_view::npos;
}

}  // namespace hbd::resources
