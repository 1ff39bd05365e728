// From a validated ha.cf to what the daemon's parts need: the membership
// core's Params, the UDP media and the log destinations. Pure, so the
// mapping is tested without sockets or files.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cluster/params.h"
#include "config/hacf.h"
#include "io/ping_medium.h"
#include "io/udp_medium.h"
#include "log/logger.h"
#include "resources/ipfail.h"
#include "resources/types.h"
#include "serial/serial_port.h"

namespace hbd::daemon {

// `local_node` is `uname -n` (lowercased here); `generation` is already
// incremented and persisted; `uuid` 16 raw bytes.
cluster::Params make_params(const config::HaConfig& cfg, const std::string& local_node,
                            uint64_t generation, const std::string& uuid);

struct MediaPlan {
  std::vector<io::UdpSpec> udp;
  std::vector<serial::PortSpec> serial;  // serial lines, each with the baud before it
  std::vector<std::string> unsupported;  // "mcast6 eth0", ...: not opened yet
  std::vector<io::PingSpec> ping;        // ping nodes, then ping groups
};

// bcast/ucast/mcast lines in file order; bcast/ucast take `udpport`; serial
// lines the `baud` set before them.
MediaPlan plan_media(const config::HaConfig& cfg);

// The built-in ipfail's settings when ha.cf has a `respawn … ipfail` line
// (heartbeat's ipfail, under any path), else none. `mode` and `has_groups`
// come from the resource settings.
std::optional<resources::IpfailSettings> ipfail_settings(const config::HaConfig& cfg,
                                                         const cluster::Params& params,
                                                         resources::Mode mode,
                                                         bool has_groups);

// logfile / debugfile / logfacility / syslogmsgfmt. A facility without files
// means no files (heartbeat sets them to /dev/null).
log::Destinations log_destinations(const config::HaConfig& cfg, bool copy_to_stderr);

}  // namespace hbd::daemon
