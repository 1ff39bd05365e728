// What the daemon tells local tools (cl_status, hbctl) about the cluster:
// a plain snapshot, built by the daemon on each request.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace hbd::control {

struct LinkState {
  std::string name;    // medium: interface name, tty path, or ping target
  std::string status;  // "up" or "dead"
};

struct NodeState {
  std::string name;    // lowercase node name, or ping node address / group name
  std::string type;    // "normal" or "ping"
  std::string status;  // "init", "up", "active", "dead", "ping"
  std::vector<LinkState> links;
  int weight = 100;    // cl_status nodeweight (heartbeat's default)
  std::string site = "";  // cl_status nodesite (empty unless set)
  long heard_ms_ago = -1; // since its last status (ping node: last echo reply); -1 never/us
};

// One haresources group as this node sees it (hbctl status).
struct GroupState {
  std::string key;           // the group's first resource token
  std::string home;          // the node haresources lists it under
  std::string owner;         // who runs it as far as we know: a node, "none", "unknown"
  std::string state;         // here: stopped, starting, running, stopping, failed
  long age_ms = -1;          // how long it has been in that state (here); -1: always
  long last_transition_ms = -1;  // how long its last start/stop took here; -1: none
  std::string error;         // its last failure here, if any
};

// A histogram of a group's start or stop durations here (hbctl metrics):
// le[i] counts those up to le_ms[i]; record "transitions".
struct TransitionCounts {
  std::string group, kind;  // kind: "start" or "stop"
  std::vector<long> le_ms;
  std::vector<unsigned long long> le;
  unsigned long long count = 0;
  long sum_ms = 0;
};

// hbd.ini monitoring: one resource of a watched group.
struct ResourceFailures {
  std::string resource;           // its haresources token
  bool watched = false;           // a periodic status runs for it
  int count = 0;                  // failures since the last cleanup
  long last_failure_ms_ago = -1;  // -1: none
  std::string reason;             // of the last failure
};

// hbd.ini monitoring of one group (hbctl status, cleanup).
struct GroupMonitor {
  bool relocated_away = false;  // handed to the peer after failures, not taken back
  bool failed_both = false;     // failed on both nodes: stopped until a cleanup
  std::vector<ResourceFailures> resources;  // haresources order
};

struct Snapshot {
  std::string version;      // hbd version, e.g. "0.1.0"
  std::string local_node;   // our node name
  long pid = 0;             // the daemon's pid
  std::vector<NodeState> nodes;                   // config order, ping nodes last
  std::map<std::string, std::string> parameters;  // ha.cf values as recorded (raw text)
  std::string rsc_status = "none";  // none | local | foreign | all | transition
  bool comm_up = false;
  std::vector<GroupState> groups;   // haresources order
  // By group key, the watched groups only (none without hbd.ini); records
  // "monitor" and "failcount", which older tools skip.
  std::map<std::string, GroupMonitor> monitoring;
  std::vector<TransitionCounts> transitions;  // groups that started or stopped here
  std::string rsc_detail;           // the resource manager's inner state (for debugging)
  // Packets received and dropped, by reason: exact, though the log lines
  // about them are rate-limited. E.g. "packets accepted", "rejected: bad digest".
  std::map<std::string, unsigned long long> counters;
};

// Implemented by the daemon; called on the event loop for every request.
class SnapshotSource {
 public:
  virtual ~SnapshotSource() = default;
  virtual Snapshot snapshot() const = 0;
  // hbctl cleanup TARGET (root only): forget fail counts of a group, a
  // resource or ("") all. "" when done, else why not.
  virtual std::string cleanup(const std::string& target) {
    return "no monitoring here to clean up (" + target + ")";
  }
};

}  // namespace hbd::control
