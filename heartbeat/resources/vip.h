// The virtual IPv4 addresses a group carries: IPaddr and IPaddr2 resources
// (and the bare-IP shorthand, which means IPaddr) take
// `ip[/mask[/interface[/broadcast]]]` as their first argument. Used to
// re-announce a group's addresses after a split brain heals.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "config/haresources.h"
#include "resources/group_table.h"

namespace hbd::resources {

// The address of an IPaddr/IPaddr2 resource, or nullopt.
std::optional<std::string> vip_of(const config::Resource& resource);
// Every such address of the group, left to right.
std::vector<std::string> vips_of(const Group& group);

}  // namespace hbd::resources
