// hbd's resource monitoring bookkeeping (hbd.ini, resources/policies.h):
// when each watched resource's next `status` is due, how often it failed and
// why, its restarts within the window and what a new failure leads to. Pure
// data and arithmetic; the manager (manager_monitor.cc) runs the jobs.
// heartbeat 3.0.6 has none of this: it never looks at a resource after start.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "resources/group_table.h"
#include "resources/policies.h"

namespace hbd::resources {

// What hbctl shows per resource.
struct FailCount {
  int count = 0;
  int64_t last_ms = -1;  // the core's clock; -1: never failed
  std::string reason;
};

struct ResourceWatch {
  MonitorPolicy policy;
  int64_t due_ms = 0;  // the next status (when its group is stable here)
  FailCount fails;
  std::deque<int64_t> restarts;  // restarts within the window, oldest first
};

struct GroupWatch {
  std::vector<ResourceWatch> resources;  // haresources order; absent policy: off
  int64_t seen_since = -2;  // the group's GroupStatus::since_ms when the dues were set
  int64_t restart_at = 0;   // a restart waiting for its backoff; 0: none
  int restart_from = -1;    // its leftmost resource
  bool relocate_pending = false;  // to be handed to the peer when a standby may start
  bool relocated_away = false;    // handed away after failures: not taken back
  bool failed_both = false;       // handed back after failing there too: left stopped
  bool degraded = false;          // could not be relocated: no more restarts here
  bool watched() const;
};

// What a failure leads to.
struct Verdict {
  enum class Kind { Ignore, Restart, Relocate };
  Kind kind = Kind::Ignore;
  int64_t delay_ms = 0;  // Restart: the backoff
  int restart = 0;       // Restart: which one within the window (1 = first)
  bool beyond_max = false;  // Relocate because max_restarts was reached
};

class Monitor {
 public:
  Monitor(const MonitorPolicies& policies, const GroupTable& table);

  bool any() const { return any_; }
  std::size_t size() const { return groups_.size(); }
  GroupWatch& at(std::size_t g) { return groups_.at(g); }
  const GroupWatch& at(std::size_t g) const { return groups_.at(g); }

  // Counts a failure of resource r of group g.
  void record_failure(std::size_t g, std::size_t r, int64_t now, std::string reason);
  // What the policy makes of a failure just recorded; a Restart is counted
  // in the window.
  Verdict decide(std::size_t g, std::size_t r, int64_t now);
  // Sets every watched resource's next status `now + interval`.
  void reschedule(std::size_t g, int64_t now);
  // Forgets the failures, restarts and relocation of one resource (r) or of
  // the whole group (nullopt).
  void cleanup(std::size_t g, std::optional<std::size_t> r);

 private:
  std::vector<GroupWatch> groups_;
  bool any_ = false;
};

}  // namespace hbd::resources
