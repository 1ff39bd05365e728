// hbd's fence step (hbd.ini [fence], beyond heartbeat): before this node
// takes over the groups of a peer declared dead, or acquires its own groups
// after a split brain heals while the peer may still run them, the peer must
// be fenced: the fence command runs (through Out, like a resource script,
// with the node and the reason as its last arguments) and the manager goes
// on only once it exits 0. A failure (a non-zero exit, a signal, the
// timeout, a command that cannot run) is logged CRIT and retried with a
// doubling delay; the takeover waits for as long as it takes — unless
// `required = no`, where a failure is a warning and the manager goes on.
//
// A fenced peer stays fenced (a second death needs no second run) until it
// is seen again with a new generation: it rebooted and is trusted again. One
// that comes back with the same generation was not powered off after all:
// it is fenced again before anything else is acquired from it.
//
// Pure: handed time and outcomes, answers with actions. Without a command
// every request is granted at once and nothing runs.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "resources/policies.h"
#include "resources/types.h"

namespace hbd::resources {

// What waits for a peer to be fenced.
enum class FencePurpose {
  Takeover,     // the dead peer's groups (and ours, which it may have held)
  HealAcquire,  // our own groups, after a split brain, from a peer still running
};

// A peer whose fence step is over: what waited for it may go on.
struct FenceCleared {
  std::string node;
  std::vector<FencePurpose> purposes;  // in the order they were asked for
};

class FenceGate {
 public:
  // Call ids come from `next_call_id`, shared with the job queue's scripts.
  FenceGate(FencePolicy policy, uint64_t* next_call_id);

  bool enabled() const { return policy_.enabled(); }
  // True: `purpose` may go on now (no fencing configured, or `node` is fenced
  // already). False: it waits; on_outcome hands it back once fenced.
  bool request(const std::string& node, FencePurpose purpose, int64_t now, Out& out);
  // A script outcome. Not the gate's (see owns) or a failure: nullopt.
  std::optional<FenceCleared> on_outcome(const ScriptOutcome& outcome, int64_t now, Out& out);
  bool owns(uint64_t call_id) const;
  // Starts the retries that are due.
  void on_time(int64_t now, Out& out);
  int64_t next_deadline() const;  // 0: none
  // `node` was seen with a new generation: it rebooted, trust it again, and
  // what waited for it is dropped (the resource protocol takes over).
  void on_restart(const std::string& node, Out& out);
  // `node` is back with the same generation (a split brain is over): what
  // waited is dropped (the heal decides again); fenced, it was not.
  void on_partition_return(const std::string& node, Out& out);

  // This node shuts down: nothing will be taken over, nobody is fenced.
  void drop_all(const std::string& why, Out& out);

  bool fenced(const std::string& node) const;
  bool waiting(const std::string& node) const;

 private:
  struct Peer {
    bool fenced = false;
    std::vector<FencePurpose> waiting;  // empty: nothing asked
    uint64_t call = 0;                  // the run in progress, 0: none
    int failures = 0;                   // since the first request
    int64_t retry_at = 0;               // 0: no retry scheduled
  };

  void run(const std::string& node, Peer& peer, Out& out);
  FenceCleared clear(const std::string& node, Peer& peer);
  int64_t retry_delay(int failures) const;
  static std::string reason_of(const std::vector<FencePurpose>& waiting);
  void drop(const std::string& node, Peer& peer, const std::string& why, Out& out);

  FencePolicy policy_;
  uint64_t* next_call_id_;
  std::map<std::string, Peer> peers_;
};

// "exited with return code 1", "timed out", …: how a call ended, for logs.
std::string describe_end(const ScriptOutcome& outcome);

}  // namespace hbd::resources
