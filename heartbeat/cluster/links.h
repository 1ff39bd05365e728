// Link liveness per (node, local medium) (wire-protocol §5.8): up on any
// packet from that node through that medium, dead after the node's deadtime
// of silence there. Purely local; never on the wire.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace hbd::cluster {

struct LinkChange {
  std::string node;
  std::string medium;
  bool up;
};

class Links {
 public:
  using DeadtimeOf = std::function<int64_t(const std::string&)>;

  // True if the link was not up before.
  bool heard(const std::string& node, const std::string& medium, int64_t now);
  // Links silent for longer than deadtime_of(node) go dead; `skip` is ourselves.
  std::vector<LinkChange> expire(int64_t now, const std::string& skip,
                                 const DeadtimeOf& deadtime_of);
  // The first ms at which expire() would take a link down (INT64_MAX: none).
  int64_t next_expiry(const std::string& skip, const DeadtimeOf& deadtime_of) const;
  bool is_up(const std::string& node, const std::string& medium) const;
  void forget_node(const std::string& node);

 private:
  struct State {
    int64_t last_heard = 0;
    bool up = false;
  };
  // Silence longer than the deadtime: dead from the ms after it.
  static int64_t expiry(const State& s, int64_t deadtime) { return s.last_heard + deadtime + 1; }
  std::map<std::pair<std::string, std::string>, State> links_;
};

}  // namespace hbd::cluster
