// haresources: one resource group per logical line.
#pragma once
#include <string>
#include <vector>

#include "config/diagnostic.h"

namespace hbd::config {

struct Resource {
  std::string token;               // as written, e.g. "Filesystem::/dev/sdb1::/data"
  std::string script;              // "Filesystem"; "IPaddr" for an IP shorthand
  std::vector<std::string> args;   // empty arguments dropped
};

struct ResourceGroup {
  std::string node;                // as written (match case-insensitively)
  std::vector<Resource> resources; // at least one
  std::string key() const { return resources.front().token; }
  std::string line_text;           // the logical line, blanks collapsed
  int line = 0;                    // physical line where the group starts
};

struct NodeLine {
  std::string node;
  int line = 0;
};

struct HaResourcesResult {
  std::vector<ResourceGroup> groups;
  // The first token of every logical line, groups or not, in file order:
  // heartbeat checks each against the node list.
  std::vector<NodeLine> node_lines;
  Diagnostics diagnostics;
};

HaResourcesResult parse_haresources(const std::string& text, const std::string& path);

// heartbeat's IP shorthand test: starts with a digit and has three dots,
// each followed by a digit.
bool is_ip_shorthand(const std::string& token);

Resource parse_resource(const std::string& token);

}  // namespace hbd::config
