// heartbeat 3.0.6's ipfail (wire-protocol §7, config-and-tools §4.5) as a
// pure core: it is handed the time and what happened (comm up, a node's
// status, a delivered message, the peer reporting stable, the passing of
// time) and answers with actions. No clock, no socket, no sleep.
//
// The "count" is the number of ping nodes (each `ping` address and each
// `ping_group`, reported as one node) whose status is `ping`. The two nodes
// exchange counts; the one that sees fewer gives up its resources after
// 2 × keepalive, the daemon turning GiveUp into the §6.5 standby request
// (`ask_resources rsc_hold=<hold> info=me`, from_id/to_id ipfail).
//
// Choices (where heartbeat's ipfail leaves room, or is not followed exactly):
// - Before on_comm_up, status changes are only recorded (heartbeat starts
//   ipfail once comm is up); after it, they log and send as ipfail does.
//   Messages are handled whenever they arrive.
// - A ping node going dead logs both of heartbeat's callbacks (node status,
//   then its one link) and sends the count once. Deaths of the peer's links
//   are not asked about: the count only moves with a ping node's status.
// - The peer going dead cancels a pending give-up, a deferred one and a
//   pending recount. Its first live status after that is treated as a join
//   (our count is sent): hbd heals a partition without restarting, so no
//   join would come, where heartbeat restarts and its ipfail signs on again.
// - Local stability and "we hold foreign groups" are state set through
//   set_resources (the daemon calls it whenever the manager's state changes,
//   or before each event) rather than a parameter of on_deadline: a balanced
//   count (on_message) reads them too, and heartbeat reads them at the moment
//   of the decision, not when the timer was armed. Defaults: stable, holding
//   nothing foreign.
// - A give-up fires at most once per schedule; a new schedule (any hold)
//   replaces the pending one, as heartbeat's timer does. "Aborted delayed
//   giveup (N)": N numbers the schedules from 1 (heartbeat prints a glib tag).
// - When the give-up is due, "giveup() called (timeout worked)" is logged
//   (as heartbeat does, stable or not). Stable: GiveUp{hold}. Not stable:
//   deferred; the next on_peer_stable (or a `resource` from the peer with
//   isstable=1 and no info) arms a recount 10 s later (heartbeat's sleep(10))
//   which sends our count again — the exchange decides anew; the deferred
//   give-up itself is dropped. Without that report it waits for ever, as
//   heartbeat does.
// - Balanced counts abort a pending give-up of either kind (heartbeat's
//   "BUG?" comment included); a foreign give-up is only scheduled when none
//   was pending, auto_failback is on, we are stable and — beyond heartbeat,
//   which asks the standby even holding nothing — hold foreign groups.
// - Messages: only from the peer (src), with to_id=ipfail, and dest (when
//   present) naming us. num_ping must be 1 to 9 decimal digits; anything
//   else is ignored, logged and counted (malformed()).
// - Disabled (no managed resources, auto_failback legacy, or — hbd's own
//   check — no other node): the first entry called logs heartbeat's reason
//   (Error) and "ipfail exiting (…)" once, where heartbeat's ipfail exits
//   100; nothing is ever returned after that, and next_deadline is kNever.
#pragma once
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "log/format.h"
#include "wire/message.h"

namespace hbd::resources {

constexpr int64_t kIpfailRecountDelayMs = 10000;  // ipfail's sleep(10)

struct IpfailSettings {
  std::string me;                 // lowercase
  std::string peer;               // the other normal node, lowercase
  int64_t keepalive_ms = 1000;    // give-ups wait 2 × keepalive
  bool auto_failback_on = false;  // auto_failback on
  bool legacy = false;            // auto_failback legacy: ipfail exits
  bool has_resources = true;      // haresources manages something
};

struct IpfailAction {
  enum class Kind { Send, GiveUp, Log };
  Kind kind = Kind::Log;
  wire::Message message;                // Send: to the peer, fields in wire order
  std::string hold;                     // GiveUp: "all" or "foreign"
  log::Level level = log::Level::Info;  // Log
  std::string text;
};

using IpfailActions = std::vector<IpfailAction>;

class Ipfail {
 public:
  static constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

  explicit Ipfail(IpfailSettings settings);

  // Sends our hbapi-clstat join, then our count.
  IpfailActions on_comm_up(int64_t now);
  // A node's new status ("ping", "dead", "active", …); ping_node: a ping
  // address or a ping_group. Repeats of the same status do nothing.
  IpfailActions on_node_status(int64_t now, const std::string& node, const std::string& status,
                               bool ping_node);
  // Any delivered message: ipfail's own (hbapi-clstat, num_ping_nodes,
  // you_are_dead, abort_giveup) and the peer's `resource` stability report;
  // everything else is ignored.
  IpfailActions on_message(int64_t now, const wire::Message& m);
  // The peer's `resource … isstable=1` without info.
  IpfailActions on_peer_stable(int64_t now);
  // Runs what is due at `now`: the give-up, the recount.
  IpfailActions on_deadline(int64_t now);
  // The local resource manager's state: stable (not in transition) and
  // whether we hold the other node's groups.
  void set_resources(bool stable, bool holds_foreign);

  int64_t next_deadline() const;  // kNever: none
  int count() const;
  bool enabled() const { return enabled_; }
  // The pending give-up's hold ("all"/"foreign"), "" when none.
  const std::string& pending_hold() const { return giveup_hold_; }
  bool giveup_deferred() const { return need_standby_; }
  // ipfail messages from the peer ignored as malformed.
  int64_t malformed() const { return malformed_; }

 private:
  bool live(IpfailActions& out);  // false when disabled (logs the reason once)
  void ask(IpfailActions& out);   // "Asking other side…" and our count
  void ping_node_dead(const std::string& node, IpfailActions& out);
  void peer_status(const std::string& old_status, const std::string& status, IpfailActions& out);
  void compare(int64_t now, const wire::Message& m, IpfailActions& out);
  void schedule(int64_t now, const char* hold, IpfailActions& out);
  void abort_giveup(IpfailActions& out);
  void give_up(IpfailActions& out);
  void cancel_all(IpfailActions& out);

  IpfailSettings settings_;
  bool enabled_ = true;
  bool exit_logged_ = false;
  bool comm_up_ = false;
  bool stable_ = true;
  bool holds_foreign_ = false;
  std::map<std::string, std::string> ping_status_;
  std::string peer_status_;
  int64_t giveup_at_ = kNever;
  std::string giveup_hold_;
  unsigned giveup_tag_ = 0;
  unsigned schedules_ = 0;
  bool need_standby_ = false;
  int64_t recount_at_ = kNever;
  int64_t malformed_ = 0;
  int peer_count_ = -1;  // the peer's last num_ping; -1: not known
};

}  // namespace hbd::resources
