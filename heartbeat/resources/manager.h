// heartbeat 3.0.6's v1 resource manager (wire-protocol §6, config-and-tools
// §4.3–4.8), pure: it is handed events (comm up, a peer's status, death,
// restart or return after a partition, delivered messages, script outcomes,
// the passing of time, a shutdown request) and answers with actions through
// Out. No clock, no fork, no socket.
//
// auto_failback on/off is heartbeat's nice_failback negotiation (`starting`,
// `resource … rsc_hold= rtype= isstable=`, RQSTDELAY, the three-phase
// `ask_resources` standby, auto failback); legacy is the `ip-request` /
// `ip-request-resp` exchange per group. Beyond heartbeat: every script call
// has a timeout, and a split brain heals without a restart — each group goes
// back to the node haresources names for it (the outcome heartbeat reaches
// by restarting both nodes), and the keeper re-announces its virtual IPs.
// With hbd.ini monitors (Settings::monitors, manager_monitor.cc) the groups
// held here also get a periodic status, restarts and relocation; without
// them nothing differs from heartbeat.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "config/haresources.h"
#include "resources/group_job.h"
#include "resources/fence.h"
#include "resources/group_table.h"
#include "resources/job_queue.h"
#include "resources/monitor.h"
#include "resources/policies.h"
#include "resources/types.h"

namespace hbd::resources {

// heartbeat's fixed times (hb_resource.c).
constexpr int64_t kRequestDelayMs = 10000;        // RQSTDELAY
constexpr int64_t kStandbyReplyMs = 10000;        // first answer to "me"
constexpr int64_t kStandbyGuardMs = 3600 * 1000;  // the rest of a standby
constexpr int64_t kFailbackRetryMs = 1000;
constexpr int64_t kFailedStartStandbyMs = 30000;  // ResourceManager's (sleep 30; hb_standby)
constexpr int64_t kFinalShutdownDelayMs = 1000;   // after our own shutdone
// hbd: how long two nodes' holdings must contradict before it acts.
constexpr int64_t kResolveGraceMs = 5000;

struct Settings {
  std::string local_node;          // lowercase
  std::vector<std::string> nodes;  // normal nodes, us included, lowercase
  Mode mode = Mode::Legacy;
  std::vector<config::ResourceGroup> groups;
  Timeouts timeouts;
  int stop_retries = config::defaults::kStopRetries;  // HA_STOPRETRYMAX
  long pid = 0;                    // for "Heartbeat shutdown in progress. (PID)"
  int64_t deadtime_ms = 30000;     // how long a restarting peer may take
  std::set<std::string> rc_hooks;  // file names in rc.d
  std::string rc_dir = "/etc/ha.d/rc.d";
  std::string harc;                // heartbeat's dispatcher if installed, else ""
  // A re-exec after an ha.cf change (-R): resources are kept as they are.
  bool restarting = false;
  int restart_holdings = kNone;    // -C: what we held before the re-exec
  // hbd.ini's extensions (resources/policies.h); empty without hbd.ini.
  MonitorPolicies monitors;
  FencePolicy fence;
};

// One group as hbctl shows it.
struct GroupView {
  std::string key;
  std::string home;   // its haresources node
  std::string owner;  // who runs it as far as we know: a node, "none" or "unknown"
  GroupStatus status;
  // hbd.ini monitoring: one entry per resource when the group is watched.
  struct Resource {
    std::string token;
    bool watched = false;
    FailCount fails;
  };
  std::vector<Resource> resources;
  bool relocated_away = false;  // handed to the peer after failures
  bool failed_both = false;     // failed here and there: left stopped
};

class Manager {
 public:
  Manager(Settings settings, Locator locate);
  // The job queue refers to the group table and context inside: not movable.
  Manager(const Manager&) = delete;
  Manager& operator=(const Manager&) = delete;

  void on_comm_up(int64_t now, Out& out);
  // A normal peer's status: "up", "active", … ("dead" comes as on_node_dead).
  void on_node_status(const std::string& node, const std::string& status, int64_t now, Out& out);
  void on_node_dead(const std::string& node, int64_t now, Out& out);
  void on_node_restart(const std::string& node, int64_t now, Out& out);
  void on_partition_return(const std::string& node, int64_t now, Out& out);
  void on_link(const std::string& node, const std::string& link, bool up, int64_t now, Out& out);
  // A message addressed to us (or to everyone), our own included.
  void on_message(const std::string& from, const wire::Message& m, int64_t now, Out& out);
  void on_script_done(const ScriptOutcome& outcome, int64_t now, Out& out);
  void on_time(int64_t now, Out& out);
  // hbctl cleanup: forgets the fail counts of a group (its key), of one
  // resource (its token) or of everything (""); a group that failed on both
  // nodes and is ours is started again. False: no such group or resource.
  bool cleanup(const std::string& target, int64_t now, Out& out);
  // SIGTERM (restart false) or "No local heartbeat" (restart true).
  void request_shutdown(int64_t now, bool restart, Out& out);

  int64_t next_deadline() const;  // INT64_MAX: none
  // cl_status rscstatus.
  std::string rsc_status() const;
  std::vector<GroupView> groups() const;
  int holdings() const { return i_hold_; }
  int peer_holdings() const { return other_holds_; }
  bool shutting_down() const { return shutdown_in_progress_; }
  bool restart_after_shutdown() const { return restart_after_; }
  bool stable() const { return is_stable(); }
  bool idle() const { return queue_.idle(); }  // a monitor's status is no activity
  // Internal state in one line, for traces of failing simulations.
  std::string debug_state() const;

 private:
  enum class Fix { None, Yield, TakeOwn };
  enum class RState { Init, Starting, BothStarting, RscRcvd, Stable, Shutdown };
  enum class Standby { Not, Me, Other, Done };
  enum Tag {
    kMachDownDone = 1, kRequestGroup, kLocalAcquired, kStandbyDone, kGiveUpDone,
    kIpRequestDecide, kIpRequestReply, kSelfGrantDecide, kTakeoverStandby, kYieldDone, kHealReleased,
    kRestartDone,
  };

  bool nice() const { return settings_.mode != Mode::Legacy; }
  bool auto_failback() const { return settings_.mode == Mode::On; }
  bool is_me(const std::string& node) const { return node == settings_.local_node; }
  bool is_stable() const;
  void pay_owed_done(Out& out);
  void own_give_up_released(Out& out);
  void mach_down_complete(Out& out);
  std::string peer() const;  // the other normal node (two-node clusters)
  int count_status(const std::string& status) const;
  bool status_unknown() const;  // a peer heard from without a status yet

  // manager.cc: dispatch, the nice_failback core, RQSTDELAY, audits.
  void process_resources(const std::string& type, const wire::Message& m,
                         const std::string& from, int64_t now, Out& out);
  void process_starting(const std::string& from, RState& next, Out& out);
  bool process_resource(const wire::Message& m, const std::string& from, RState& next,
                        int64_t now, Out& out);
  void send_resources_held(bool stable, const std::string& comment, Out& out);
  bool stale_holdings(const std::string& from, const wire::Message& m);
  void announce_takeover(const std::string& reason, Out& out);
  void audit(int64_t now, Out& out);
  void resolve(int64_t now, Out& out);
  Fix needed_fix() const;
  void pump(int64_t now, Out& out);
  void handle(const Reached& r, int64_t now, Out& out);
  void finished(const Job& job, int64_t now, Out& out);
  void run_hook(const std::string& type, const wire::Message& m);

  // manager_takeover.cc: peer death, takeover, local acquisition, shutdone, heal.
  void recover_dead(const std::string& node, int64_t now, Out& out);
  void takeover_from(const std::string& node, int64_t now, Out& out);
  void request_our_resources(bool anyway, Out& out);
  void on_shutdone(const std::string& from, int64_t now, Out& out);
  void heal(const std::string& node, int64_t now, Out& out);
  void yield_foreign(const std::string& why, Out& out);
  void announce_local(Out& out);
  void fence_cleared(const FenceCleared& cleared, int64_t now, Out& out);

  // manager_standby.cc: ask_resources, hb_takeover, auto failback, failed starts.
  void ask_for_resources(const wire::Message& m, const std::string& from, int64_t now, Out& out);
  void go_standby(bool giving, int set, int64_t now, Out& out);
  void send_standby(const char* info, int set, Out& out);
  void hb_takeover(const wire::Message& m, const std::string& from);
  void perform_auto_failback(int64_t now, Out& out);
  // peer_back: the split brain is over and the peer hears us (else it died).
  void cancel_standby(Out& out, bool peer_back = false);

  // manager_monitor.cc: hbd.ini's periodic status, restarts, relocation.
  bool monitor_tick(int64_t now, Out& out);  // true: a job was queued
  bool quiet_for_monitoring() const;
  bool holds_group(std::size_t g) const;
  bool watchable(std::size_t g) const;  // stable, held and running here
  int64_t monitor_deadline() const;
  void queue_monitor(std::size_t g, std::size_t r);
  void monitor_verdict(const Job& job, int64_t now, Out& out);
  void monitor_failed(std::size_t g, std::size_t r, const std::string& reason, int64_t now,
                      Out& out);
  void queue_restart(std::size_t g, Out& out);
  void restart_start_failed(const Reached& r, int64_t now);
  void relocate(std::size_t g, Out& out);
  bool class_relocated(int set) const;
  bool can_relocate() const;
  void log_relocated(int set, Out& out) const;  // our standby of `set` is done  // heartbeat's standby works and a peer is up
  // A peer's standby would give us groups that failed here: false to refuse.
  bool accept_standby_from(const wire::Message& m, const std::string& from, int taking, Out& out);
  // Whether go_standby, taking, acquires group g (a group that failed on both nodes stays stopped).
  bool take_in_standby(std::size_t g, int64_t now, Out& out);
  void forgive_relocations(const std::string& dead, Out& out);
  void queue_start_again(const std::vector<std::size_t>& groups, const std::string& why);

  // manager_shutdown.cc: giving up everything, legacy ip-request.
  void give_up_resources(Out& out);
  void shutdown_if_needed(Out& out);
  void ip_request(const wire::Message& m, const std::string& from, Out& out);
  void ip_request_resp(const wire::Message& m, const std::string& from);
  void peer_granted_itself(const wire::Message& m, const std::string& from);
  void reply_ip_request(const Job& job, std::size_t group, Out& out);

  Settings settings_;
  GroupTable table_;
  uint64_t next_call_id_ = 0;
  FenceGate fence_{settings_.fence, &next_call_id_};  // hbd.ini [fence]; off without it
  JobContext context_;
  JobQueue queue_;

  bool comm_up_ = false;
  RState rstate_ = RState::Init;
  int i_hold_ = kNone;
  int other_holds_ = kNone;
  bool other_stable_ = false;
  bool takeover_in_progress_ = false;
  Standby standby_ = Standby::Not;
  bool yielding_ = false;  // giving up foreign groups after a split brain
  bool standby_gave_ = false;  // in Done: we gave the groups (else we took them)
  bool giving_ = false;        // in Me: our give-up job is queued or running
  bool owed_as_giver_ = false;   // the owed done is a giver's (the taker answers it)
  bool taker_done_due_ = false;  // we paid a giver's owed done: the taker's answers it
  // A standby cancelled half-way (see cancel_standby): the "done" the peer
  // still waits for. AfterOwnGiveUp: we were giving, and send it once our
  // give-up job has released the groups.
  enum class Owed { None, WhenGiverDone, Now, AfterOwnGiveUp };
  Owed owed_done_ = Owed::None;
  int owed_set_ = kAll;
  int standby_set_ = kAll;
  int64_t standby_deadline_ = 0;  // 0: no standby running
  bool needs_failback_ = false;
  int64_t failback_retry_at_ = 0;
  int64_t request_delay_at_ = 0;  // RQSTDELAY, armed once
  bool local_done_ = false, foreign_done_ = false, announced_ = false;
  bool shutdown_requested_ = false;  // waiting for comm up
  bool needs_shutdown_ = false;      // waiting for resources to settle
  bool shutdown_in_progress_ = false;
  bool restart_after_ = false;
  int64_t final_shutdown_at_ = 0;
  std::vector<int64_t> failed_start_standby_at_;
  std::map<std::string, std::string> status_;  // normal peers
  std::set<std::string> heard_;                // peers heard since they last died
  std::set<std::string> announced_holdings_;   // peers whose `resource` came since their start
  std::set<std::string> gave_up_;              // legacy: peers that sent shutdone
  std::set<std::string> dead_before_comm_up_;  // handled as comm comes up
  // Split brain: peers back from a partition, and those restarting after it
  // (heartbeat gives up everything and re-executes itself) with a deadline.
  std::set<std::string> healing_;
  std::set<std::string> heal_announced_;
  std::map<std::string, int64_t> restart_wait_;
  bool conflict_home_ = false;  // the peer claims groups that are ours
  int64_t resolve_at_ = 0;      // a contradiction seen; act if it lasts
  bool legacy_request_pending_ = false;
  int yield_epoch_ = 0;
  int standby_epoch_ = 0;       // standbys cancelled so far
  std::map<std::string, std::pair<uint64_t, uint64_t>> last_holdings_;  // peer: hg, seq
  Monitor monitor_;
  bool awaiting_own_standby_ = false;  // our relocation's "me" has not come back yet
  bool standby_for_failure_ = false;   // the peer's standby hands back what failed there
};

}  // namespace hbd::resources
