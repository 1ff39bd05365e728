#include "resources/vip.h"

#include <arpa/inet.h>

namespace hbd::resources {

std::optional<std::string> vip_of(const config::Resource& resource) {
  if (resource.script != "IPaddr" && resource.script != "IPaddr2") return std::nullopt;
  // Both of heartbeat's wrappers insist on exactly one argument.
  if (resource.args.size() != 1) return std::nullopt;
  std::string address = resource.args.front().substr(0, resource.args.front().find('/'));
  in_addr parsed{};
  if (::inet_pton(AF_INET, address.c_str(), &parsed) != 1) return std::nullopt;
  return address;
}

std::vector<std::string> vips_of(const Group& group) {
  std::vector<std::string> out;
  for (const auto& r : group.resources)
    if (auto ip = vip_of(r)) out.push_back(*ip);
  return out;
}

}  // namespace hbd::resources
