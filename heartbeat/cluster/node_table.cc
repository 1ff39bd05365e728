#include "cluster/node_table.h"

#include <algorithm>

namespace hbd::cluster {

void Node::forget_session() {
  seqs.reset();
  any_packets = false;
  last_ts = 0;
  last_status_seq = 0;
  heard_status = false;
  // Its acks were about what its previous session received; a new session
  // may ask again for seqs it once acknowledged.
  acked = 0;
}

void NodeTable::add(std::string name, NodeType type) {
  if (find(name)) return;
  Node node;
  node.name = std::move(name);
  node.type = type;
  nodes_.push_back(std::move(node));
}

Node* NodeTable::find(const std::string& name) {
  for (auto& n : nodes_) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

const Node* NodeTable::find(const std::string& name) const {
  return const_cast<NodeTable*>(this)->find(name);
}

Node* NodeTable::find_by_uuid(const std::string& uuid) {
  if (uuid.empty() || uuid_is_null(uuid)) return nullptr;
  for (auto& n : nodes_) {
    if (n.uuid == uuid) return &n;
  }
  return nullptr;
}

bool NodeTable::remove(const std::string& name) {
  auto it = std::find_if(nodes_.begin(), nodes_.end(),
                         [&](const Node& n) { return n.name == name; });
  if (it == nodes_.end()) return false;
  nodes_.erase(it);
  return true;
}

std::string uuid_text(const std::string& raw) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    unsigned char c = static_cast<unsigned char>(raw[i]);
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

bool uuid_is_null(const std::string& raw) {
  return std::all_of(raw.begin(), raw.end(), [](char c) { return c == 0; });
}

}  // namespace hbd::cluster
