// What we know about each configured node (wire-protocol §5.4, §5.5, §5.10).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cluster/seqtrack.h"

namespace hbd::cluster {

enum class NodeType { Normal, Ping };

struct Node {
  std::string name;
  NodeType type = NodeType::Normal;
  std::string status = "init";         // init, up, active, dead, ping
  std::string uuid;                    // 16 raw bytes once known
  std::optional<uint64_t> generation;  // last hg seen
  std::optional<int64_t> dt_ms;        // deadtime the node advertises
  int64_t last_status_ms = 0;          // monotonic time of last accepted status
  bool heard_status = false;           // last_status_ms is meaningful
  bool any_packets = false;            // for the "heard from everyone" gate
  int64_t last_ts = 0;                 // remote wall clock of the last status
  uint64_t last_status_seq = 0;
  // The highest seq of this generation before we last declared it dead:
  // forget_session() keeps it, so that a replayed copy cannot revive it.
  uint64_t replay_floor = 0;
  SeqTracker seqs;
  int ack_trigger = 0;                 // 0..9: which seqs we acknowledge
  uint64_t acked = 0;                  // highest of our seqs it acknowledged
  bool flow_control = true;            // false once a status lacked `protocol`

  bool is_dead() const { return status == "dead"; }
  bool is_up() const { return status == "up" || status == "active"; }
  // Forget per-incarnation state (death, restart).
  void forget_session();
};

class NodeTable {
 public:
  void add(std::string name, NodeType type);
  Node* find(const std::string& name);
  const Node* find(const std::string& name) const;
  Node* find_by_uuid(const std::string& uuid);
  bool remove(const std::string& name);

  std::vector<Node>& all() { return nodes_; }
  const std::vector<Node>& all() const { return nodes_; }

 private:
  std::vector<Node> nodes_;  // config order
};

// 16 raw bytes as 8-4-4-4-12 lowercase hex, as heartbeat prints uuids.
std::string uuid_text(const std::string& raw);
bool uuid_is_null(const std::string& raw);

}  // namespace hbd::cluster
