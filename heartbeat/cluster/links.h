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
  // True if the link was not up before.
  bool heard(const std::string& node, const std::string& medium, int64_t now);
  // Links silent for longer than deadtime_of(node) go dead; `skip` is ourselves.
  std::vector<LinkChange> expire(int64_t now, const std::string& skip,
                                 const std::function<int64_t(const std::string&)>& deadtime_of);
  bool is_up(const std::string& node, const std::string& medium) const;
  void forget_node(const std::string& node);

 private:
  struct State {
    int64_t last_heard = 0;
    bool up = false;
  };
  std::map<std::pair<std::string, std::string>, State> links_;
};

}  // namespace hbd::cluster
