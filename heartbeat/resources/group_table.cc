#include "resources/group_table.h"

#include <algorithm>
#include <cctype>

#include "resources/types.h"

namespace hbd::resources {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

const char* state_name(GroupState state) {
  switch (state) {
    case GroupState::Stopped: return "stopped";
    case GroupState::Starting: return "starting";
    case GroupState::Running: return "running";
    case GroupState::Stopping: return "stopping";
    case GroupState::Failed: return "failed";
  }
  return "stopped";
}

GroupTable::GroupTable(const std::vector<config::ResourceGroup>& groups,
                       const std::string& local_node) {
  std::string me = lower(local_node);
  for (const auto& g : groups) {
    if (g.resources.empty()) continue;
    Group group;
    group.key = g.key();
    group.node = lower(g.node);
    group.local = group.node == me;
    group.resources = g.resources;
    // ResourceManager lowercases the node and keeps the tokens as written.
    group.line = group.node;
    for (const auto& r : g.resources) group.line += " " + r.token;
    groups_.push_back(std::move(group));
  }
  status_.resize(groups_.size());
}

std::vector<std::size_t> GroupTable::of_set(int set) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < groups_.size(); ++i) {
    bool wanted = groups_[i].local ? (set & kLocal) : (set & kForeign);
    if (wanted) out.push_back(i);
  }
  return out;
}

std::vector<std::size_t> GroupTable::of_node(const std::string& node) const {
  std::string wanted = lower(node);
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < groups_.size(); ++i)
    if (groups_[i].node == wanted) out.push_back(i);
  return out;
}

std::optional<std::size_t> GroupTable::by_key(const std::string& key) const {
  for (std::size_t i = 0; i < groups_.size(); ++i)
    if (groups_[i].key == key) return i;
  return std::nullopt;
}

void GroupTable::begin(std::size_t i, GroupState state, int64_t now) {
  GroupStatus& s = status_.at(i);
  s.state = state;
  s.since_ms = now;
  s.transition_started_ms = now;
}

void TransitionHistogram::add(int64_t ms) {
  for (std::size_t b = 0; b < kTransitionBuckets; ++b)
    if (ms <= kTransitionBucketsMs[b]) ++le[b];
  ++count;
  sum_ms += ms;
}

void GroupTable::finish(std::size_t i, GroupState state, int64_t now, std::string error) {
  GroupStatus& s = status_.at(i);
  int64_t took = now - s.transition_started_ms;
  if (s.state == GroupState::Starting) s.starts.add(took);
  if (s.state == GroupState::Stopping) s.stops.add(took);
  s.state = state;
  s.since_ms = now;
  s.last_transition_ms = took;
  if (!error.empty()) s.last_error = std::move(error);
}

std::vector<std::size_t> GroupTable::running() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < status_.size(); ++i)
    if (status_[i].state == GroupState::Running || status_[i].state == GroupState::Starting)
      out.push_back(i);
  return out;
}

}  // namespace hbd::resources
