#include "daemon/settings.h"

#include <algorithm>
#include <cctype>

#include "config/defaults.h"
#include "io/respawn_policy.h"

namespace hbd::daemon {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

cluster::Params make_params(const config::HaConfig& cfg, const std::string& local_node,
                            uint64_t generation, const std::string& uuid) {
  cluster::Params p;
  p.local_node = lower(local_node);
  for (const auto& n : cfg.nodes) p.nodes.push_back(lower(n));
  p.ping_nodes = cfg.ping_nodes;
  for (const auto& g : cfg.ping_groups) p.ping_nodes.push_back(g.name);
  // Validation applied the defaults; the fallbacks only serve a bare HaConfig.
  namespace d = config::defaults;
  p.keepalive_ms = cfg.keepalive_ms.value_or(d::kKeepaliveMs);
  p.deadtime_ms = cfg.deadtime_ms.value_or(d::kDeadtimeMs);
  p.warntime_ms = cfg.warntime_ms.value_or(d::warntime_for(p.deadtime_ms));
  p.initdead_ms = cfg.initdead_ms.value_or(d::initdead_for(p.deadtime_ms));
  p.deadping_ms = cfg.deadping_ms.value_or(d::deadping_for(p.deadtime_ms));
  p.max_rexmit_delay_ms = cfg.max_rexmit_delay_ms;
  p.hopfudge = cfg.hopfudge;
  p.generation = generation;
  p.uuid = uuid;
  p.flow_control = true;
  return p;
}

MediaPlan plan_media(const config::HaConfig& cfg) {
  MediaPlan plan;
  int udpport = cfg.udpport.value_or(config::defaults::kUdpPort);
  for (const auto& m : cfg.media) {
    io::UdpSpec s;
    s.dev = m.dev;
    // The parser latches udpport into bcast/ucast media when it reads them.
    s.port = m.port > 0 ? m.port : udpport;
    switch (m.kind) {
      case config::MediumKind::Bcast: s.kind = io::UdpKind::Bcast; break;
      case config::MediumKind::Ucast:
        s.kind = io::UdpKind::Ucast;
        s.peer = m.peer;
        break;
      case config::MediumKind::Mcast:
        s.kind = io::UdpKind::Mcast;
        s.group = m.group;
        s.ttl = m.ttl;
        s.loop = m.loop;
        break;
      case config::MediumKind::Serial: plan.serial.push_back({m.dev, m.baud, ""}); continue;
      case config::MediumKind::Mcast6: plan.unsupported.push_back("mcast6 " + m.dev); continue;
      case config::MediumKind::Ucast6: plan.unsupported.push_back("ucast6 " + m.dev); continue;
    }
    plan.udp.push_back(s);
  }
  for (const auto& address : cfg.ping_nodes) plan.ping.push_back({address, {address}, false});
  for (const auto& g : cfg.ping_groups) plan.ping.push_back({g.name, g.hosts, true});
  return plan;
}

std::optional<resources::IpfailSettings> ipfail_settings(const config::HaConfig& cfg,
                                                         const cluster::Params& params,
                                                         resources::Mode mode,
                                                         bool has_groups) {
  bool wanted = std::any_of(cfg.clients.begin(), cfg.clients.end(), [](const auto& c) {
    return io::is_heartbeat_ipfail(c.command);
  });
  if (!wanted) return std::nullopt;
  resources::IpfailSettings s;
  s.me = params.local_node;
  for (const auto& n : params.nodes)
    if (n != params.local_node) s.peer = n;
  s.keepalive_ms = params.keepalive_ms;
  s.auto_failback_on = mode == resources::Mode::On;
  s.legacy = mode == resources::Mode::Legacy;
  s.has_resources = has_groups;
  return s;
}

log::Destinations log_destinations(const config::HaConfig& cfg, bool copy_to_stderr) {
  log::Destinations d;
  int facility = cfg.logfacility ? log::facility_from_name(*cfg.logfacility) : -1;
  d.facility = facility;
  d.logfile = cfg.logfile.value_or("");
  d.debugfile = cfg.debugfile.value_or("");
  if (facility >= 0 && !cfg.logfile && !cfg.debugfile) d.logfile = d.debugfile = "/dev/null";
  // No destination in ha.cf: heartbeat hands every line to its logging
  // daemon (ha_logd), which hbd has no client for. Write where ha_logd does
  // without a logd.cf, rather than nowhere.
  if (facility < 0 && !cfg.logfile && !cfg.debugfile) {
    d.logfile = config::defaults::kLogdLogfile;
    d.debugfile = config::defaults::kLogdDebugfile;
    d.facility = log::facility_from_name(config::defaults::kLogdFacility);
  }
  d.syslogmsgfmt = cfg.syslogmsgfmt.value_or(true);
  d.copy_to_stderr = copy_to_stderr;
  return d;
}

}  // namespace hbd::daemon
