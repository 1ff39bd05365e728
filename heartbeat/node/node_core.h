// One node's whole logic, pure: the membership core and the resource
// manager wired together. The daemon runs it on real time and real
// sockets; the simulation runs several under a virtual clock. Neither adds
// a decision of its own.
//
// Membership events become resource-manager events; the resource manager's
// actions are carried out in order through a queue, so that our own
// messages reach us (as heartbeat processes its own messages) after the
// actions before them, never in the middle of a decision.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <optional>

#include "cluster/membership.h"
#include "node/notify_events.h"
#include "resources/ipfail.h"
#include "resources/manager.h"

namespace hbd::node {

// What a node asks of the world around it.
class Effects {
 public:
  virtual ~Effects() = default;
  // A stamped message, to every medium.
  virtual void transmit(const wire::Message& message, cluster::SendKind kind) = 0;
  virtual void log(log::Level level, const std::string& text) = 0;
  // Exactly one at a time; the outcome comes back through script_done().
  virtual void run_script(const resources::ScriptCall& call) = 0;
  // Gratuitous ARP for these addresses.
  virtual void announce(const std::vector<std::string>& addresses) = 0;
  // A resource would not stop: heartbeat's verdict is a reboot.
  virtual void reboot() = 0;
  // Comm is up: respawned clients start now.
  virtual void comm_up() = 0;
  // Resources given up and shutdone sent: exit, or re-execute (`restart`).
  virtual void finished(bool restart) = 0;
  // hbd.ini [notify]: events for the hooks, in order. Only asked for when
  // wants_notify() (looking for group changes costs a little per event).
  virtual bool wants_notify() const { return false; }
  virtual void notify(const NotifyEvent&) {}
};

// What went out and what came late, for hbctl status and metrics.
struct TrafficCounters {
  uint64_t sent = 0;             // fresh messages (each once, whatever the media)
  uint64_t retransmissions = 0;  // resent on a peer's NS_rexmit request
  uint64_t rexmit_requests = 0;  // NS_rexmit we sent for messages we missed
  uint64_t late_heartbeats = 0;  // "Late heartbeat" warnings
};

struct NodeSettings {
  cluster::Params membership;
  resources::Settings resources;
  // The built-in ipfail (a `respawn … ipfail` line), or none.
  std::optional<resources::IpfailSettings> ipfail;
};

// The standby request ipfail's give-up becomes (wire-protocol §7): the
// three-phase standby's first message, with ipfail's client fields.
wire::Message ipfail_giveup_message(const std::string& me, const std::string& hold);

class NodeCore : private cluster::Sink {
 public:
  NodeCore(NodeSettings settings, Effects& effects, cluster::Random& rng,
           cluster::Outgoing::WallSeconds wall_seconds, resources::Locator locate,
           cluster::Outgoing::LoadAverage load_average = nullptr);
  NodeCore(const NodeCore&) = delete;
  NodeCore& operator=(const NodeCore&) = delete;

  void start(int64_t now);
  // A decoded, authenticated message that arrived on `medium`.
  void receive(const wire::Message& message, const std::string& medium, int64_t now);
  void tick(int64_t now);
  int64_t next_deadline() const;
  void script_done(const resources::ScriptOutcome& outcome, int64_t now);
  // A block from the command FIFO (hb_standby, hb_takeover, ha_clustermsg):
  // sent to the cluster as our own message. False, with a reason, for a
  // message that would disturb the protocol itself.
  bool submit(wire::Message message, int64_t now, std::string& why);
  // SIGTERM: give up every group, then finished(false).
  void request_shutdown(int64_t now);
  // hbctl cleanup: the resource manager forgets fail counts (resources::
  // Manager::cleanup); false when no group or resource has that name.
  bool cleanup(const std::string& target, int64_t now);

  const cluster::Membership& membership() const { return *membership_; }
  const resources::Manager& resources() const { return *resources_; }
  const resources::Ipfail* ipfail() const { return ipfail_.get(); }
  bool finished() const { return finished_; }
  const TrafficCounters& traffic() const { return traffic_; }

 private:
  // cluster::Sink
  void send(const wire::Message& message, cluster::SendKind kind) override;
  void log(log::Level level, const std::string& text) override;
  void event(const cluster::Event& e) override;

  bool is_peer(const std::string& name) const;
  void resource_event(const cluster::Event& e);
  void ipfail_event(const cluster::Event& e);
  void ipfail_take(std::vector<resources::IpfailAction> actions);
  void take(resources::Actions actions);
  void drain();
  void perform(const resources::Action& action);
  void notify_group_changes();

  Effects& effects_;
  std::unique_ptr<cluster::Membership> membership_;
  std::unique_ptr<resources::Manager> resources_;
  std::unique_ptr<resources::Ipfail> ipfail_;
  std::deque<resources::Action> pending_;
  GroupWatch group_watch_;
  TrafficCounters traffic_;
  bool draining_ = false;
  bool finished_ = false;
  int64_t now_ = 0;  // of the event being handled
};

}  // namespace hbd::node
