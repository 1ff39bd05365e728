// The resource groups of haresources as the resource manager sees them from
// this node: which are local (listed under our name) and which foreign, in
// file order, and what each group is doing right now.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/haresources.h"

namespace hbd::resources {

enum class GroupState { Stopped, Starting, Running, Stopping, Failed };
const char* state_name(GroupState state);

struct Group {
  std::string key;                          // the first resource token
  std::string node;                         // its haresources node, lowercased
  bool local = false;                       // node is us
  std::vector<config::Resource> resources;  // left to right
  std::string line;                         // "node rsc1 rsc2", as heartbeat logs it
};

// How long a group's starts (or stops) took here, as a histogram for
// hbctl metrics: le[i] counts the durations up to kTransitionBucketsMs[i].
inline constexpr std::size_t kTransitionBuckets = 8;
inline constexpr int64_t kTransitionBucketsMs[kTransitionBuckets] = {100,   500,   1000,  5000,
                                                                      10000, 30000, 60000, 300000};
struct TransitionHistogram {
  uint64_t le[kTransitionBuckets] = {};
  uint64_t count = 0;
  int64_t sum_ms = 0;
  void add(int64_t ms);
};

// What this node knows of one group's life here.
struct GroupStatus {
  GroupState state = GroupState::Stopped;
  int64_t since_ms = -1;             // when the state was entered; -1: never changed
  int64_t transition_started_ms = 0; // when the last start/stop began
  int64_t last_transition_ms = -1;   // how long it took; -1: none yet
  std::string last_error;            // the last failure, for hbctl
  TransitionHistogram starts, stops; // every start and stop that ended here
};

class GroupTable {
 public:
  GroupTable(const std::vector<config::ResourceGroup>& groups, const std::string& local_node);

  const std::vector<Group>& all() const { return groups_; }
  std::size_t size() const { return groups_.size(); }
  const Group& at(std::size_t i) const { return groups_.at(i); }
  // Indexes of the local / foreign / all groups (kLocal, kForeign, kAll), file order.
  std::vector<std::size_t> of_set(int set) const;
  // Indexes of the groups listed under `node` (any case), file order.
  std::vector<std::size_t> of_node(const std::string& node) const;
  // The group with this key (exact match), if any.
  std::optional<std::size_t> by_key(const std::string& key) const;

  const GroupStatus& status(std::size_t i) const { return status_.at(i); }
  void begin(std::size_t i, GroupState state, int64_t now);  // Starting / Stopping
  void finish(std::size_t i, GroupState state, int64_t now, std::string error = "");
  // Groups that are running (or starting) here.
  std::vector<std::size_t> running() const;

 private:
  std::vector<Group> groups_;
  std::vector<GroupStatus> status_;
};

std::string lower(std::string text);

}  // namespace hbd::resources
