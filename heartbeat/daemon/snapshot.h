// The control socket's view of the daemon (control::Snapshot), built from
// the membership core's node and link tables, the media names and the
// daemon's settings. Pure: tested without a daemon.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "cluster/membership.h"
#include "node/node_core.h"
#include "control/snapshot.h"
#include "daemon/intake.h"
#include "resources/manager.h"

namespace hbd::daemon {

// What the snapshot says whether or not the core runs yet.
struct SnapshotBase {
  std::string version;
  std::string local_node;
  long pid = 0;
  std::map<std::string, std::string> parameters;  // ha.cf values as recorded
};

// Nodes in the core's order with one link per medium (in `media` order);
// only the base when `membership` is null (not started).
// `media`: the cluster media (a ping node's one link is its own medium).
control::Snapshot make_snapshot(const SnapshotBase& base, const std::vector<std::string>& media,
                                const cluster::Membership* membership, int64_t now_ms = 0);

// The exact counts of packets taken and dropped: by the intake (decode and
// authentication) and by the membership core (authenticated but refused).
void add_counters(control::Snapshot& snapshot, const IntakeCounters& intake,
                  const cluster::Membership* membership);
// Messages sent, retransmissions served, rexmit requests, late heartbeats.
void add_traffic(control::Snapshot& snapshot, const node::TrafficCounters& traffic);

// cl_status rscstatus and the groups for hbctl, ages counted to `now_ms`.
void add_resources(control::Snapshot& snapshot, const resources::Manager& manager,
                   int64_t now_ms);

}  // namespace hbd::daemon
