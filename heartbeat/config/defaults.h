// The directives with fixed defaults, as `heartbeat -D` lists them.
#pragma once
#include <string>
#include <vector>

namespace hbd::config {

struct DirectiveDefault {
  const char* name;
  const char* value;
  const char* description;
};

const std::vector<DirectiveDefault>& directive_defaults();

// The -D table: three left-aligned columns, a dashed rule, one row each.
std::string format_defaults_table();

}  // namespace hbd::config

namespace hbd::config {
// The -D -W form: a wiki table with a link per directive.
std::string format_defaults_wiki(const std::string& version);
}  // namespace hbd::config
