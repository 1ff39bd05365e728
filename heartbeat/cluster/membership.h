// The membership core: heartbeats, node and link liveness, sequence
// accounting with acks and retransmission, and the comm-up handshake
// (wire-protocol §4.6, §5). It owns no clock, socket or file: the caller
// hands it monotonic `now` (ms), received messages and ticks, and it answers
// through the Sink. Call tick() no later than next_deadline(): that is the
// exact first ms at which something is due (a heartbeat, a death, a link
// expiry, a request), so a loop that sleeps until then wakes for nothing else.
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "cluster/events.h"
#include "cluster/history.h"
#include "cluster/links.h"
#include "cluster/node_table.h"
#include "cluster/outgoing.h"
#include "cluster/params.h"
#include "cluster/rexmit.h"
#include "log/rate_limit.h"
#include "wire/message.h"

namespace hbd::cluster {

// Authenticated input we refused or corrected, for hbctl status --json.
struct DropCounters {
  uint64_t replayed_after_death = 0;  // same-generation seq at or below the last before death
  uint64_t rexmit_replies_capped = 0; // NS_rexmit requests cut at 50 replies
  uint64_t repnodes_refused = 0;      // repnodes names too long or beyond 100 nodes
  uint64_t deadtime_clamped = 0;      // statuses whose dt was out of bounds
  uint64_t ack_beyond_sent = 0;       // NS_ackmsg for a seq we never sent
  uint64_t own_name_foreign = 0;      // our name, not our packet: another node uses it
};

class Membership {
 public:
  Membership(Params params, Sink& sink, Random& rng, Outgoing::WallSeconds wall_seconds,
             Outgoing::LoadAverage load_average = nullptr);

  void start(int64_t now);
  // A message that arrived (decoded and authenticated) on `medium`.
  void receive(const wire::Message& message, const std::string& medium, int64_t now);
  void tick(int64_t now);
  int64_t next_deadline() const;
  // Sends a message of an upper layer (t and its own fields set) to the
  // cluster. Returns its seq (0 for NS_ types).
  uint64_t send(wire::Message message, int64_t now);

  const Params& params() const { return params_; }
  const NodeTable& nodes() const { return nodes_; }
  const Links& links() const { return links_; }
  const std::string& local_status() const { return local_status_; }
  bool comm_up() const { return comm_up_; }
  uint64_t last_sent_seq() const { return out_.last_seq(); }
  // The deadtime applied to a node right now (initdead before comm up).
  int64_t deadtime_of(const Node& node) const;
  const DropCounters& drops() const { return drops_; }

 private:
  // membership.cc: our own heartbeat, timers, comm up.
  wire::Message status_message() const;
  void send_status();
  void set_local_status(const std::string& status);
  void check_timeouts(int64_t now);
  int64_t timeouts_deadline() const;
  int64_t comm_deadline() const;
  Links::DeadtimeOf link_deadtimes() const;
  void check_local_heartbeat(const Node& self, int64_t now);
  void declare_dead(Node& node, int64_t deadtime, int64_t now);
  void expire_links(int64_t now);
  void advance_comm(int64_t now);
  bool everyone_heard() const;
  bool flow_control_on() const;
  const Node* reqnodes_target() const;
  void comm_now_up();
  void send_rexmit_requests(int64_t now);
  uint64_t transmit(wire::Message message);
  void flush(int64_t now);
  void log(log::Level level, const std::string& text);
  // Logs once per key and minute; the rest are summarised from tick().
  void log_limited(log::Level level, std::string key, const std::string& text, int64_t now);
  void emit(Event event);
  bool is_self(const Node& node) const { return node.name == params_.local_node; }

  // membership_receive.cc: the receive path.
  enum class GenCheck { Drop, First, Same, Restarted };
  void process(const wire::Message& m, const std::string& medium, int64_t now);
  void process_unsequenced(Node& node, const wire::Message& m, const std::string& type,
                           const std::string& medium, int64_t now);
  void process_sequenced(Node& node, const wire::Message& m, const std::string& type,
                         const std::string& medium, int64_t now);
  bool is_our_echo(const wire::Message& m, const std::string& type) const;
  GenCheck check_generation(Node& node, uint64_t generation, bool is_status);
  bool is_replay_after_death(const Node& node, uint64_t seq, GenCheck gen, int64_t now);
  void account_sequence(Node& node, uint64_t seq, const SeqResult& result, int64_t now);
  void send_ack(Node& node, uint64_t seq);
  void note_packet(Node& node, const std::string& medium, int64_t now);
  void learn_uuid(Node& node, const wire::Message& m);
  bool addressed_to_us(const wire::Message& m) const;
  void process_status(Node& node, const wire::Message& m, uint64_t seq, GenCheck gen,
                      int64_t now);
  // True if it was so late that the node was declared dead (3.0.x).
  bool check_late_heartbeat(Node& node, int64_t now);
  void process_ping_status(Node& node, const wire::Message& m, int64_t now);
  void update_status(Node& node, const std::string& status);
  void learn_deadtime(Node& node, const wire::Message& m, int64_t now);
  void process_ack(Node& node, const wire::Message& m, int64_t now);
  void answer_reqnodes(const Node& node);
  void apply_repnodes(const wire::Message& m, int64_t now);
  std::vector<std::string> acceptable_names(const wire::Message& m, int64_t now);
  void serve_rexmit(Node& node, const wire::Message& m, int64_t now);
  void process_nak(Node& node, const wire::Message& m);
  void deliver(const Node& node, uint64_t seq, const wire::Message& m);

  Params params_;
  Sink& sink_;
  Random& rng_;
  Outgoing out_;
  NodeTable nodes_;
  Links links_;
  History history_;
  RexmitRequests rexmit_;

  std::string local_status_ = "init";
  bool started_ = false;
  bool initial_dt_ = true;
  bool links_up_ = false;
  bool comm_up_pending_ = false;
  bool comm_up_ = false;
  bool local_heartbeat_lost_ = false;
  int64_t start_ms_ = 0;
  int64_t next_status_ms_ = 0;
  int64_t last_now_ = 0;  // the latest time handed in: "due at once" in next_deadline
  int64_t next_reqnodes_ms_ = 0;
  std::deque<wire::Message> outbox_;
  bool flushing_ = false;
  DropCounters drops_;
  log::RateLimit log_limit_;
};

}  // namespace hbd::cluster
