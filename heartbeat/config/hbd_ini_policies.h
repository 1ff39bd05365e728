// From a parsed hbd.ini and haresources' groups to what the resource
// manager is handed (resources/policies.h). Pure.
#pragma once
#include <vector>

#include "config/haresources.h"
#include "config/hbd_ini.h"
#include "resources/policies.h"

namespace hbd::config {

// One policy per resource of every group with at least one monitored
// resource, built from the defaults, then [monitor], [group "KEY"],
// [resource "SCRIPT"], [resource "TOKEN"], each overriding the keys it sets.
// Groups where no resource ends with an interval above 0 are left out.
resources::MonitorPolicies monitor_policies(const HbdIni& ini,
                                            const std::vector<ResourceGroup>& groups);

// [fence] over the defaults; `required` defaults to yes.
resources::FencePolicy fence_policy(const HbdIni& ini);

}  // namespace hbd::config
