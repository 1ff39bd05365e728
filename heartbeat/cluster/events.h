// What the membership core hands to its adapters: messages to send, log
// lines (heartbeat's verbatim texts) and events for upper layers.
#pragma once
#include <cstdint>
#include <string>

#include "log/format.h"
#include "wire/message.h"

namespace hbd::cluster {

enum class EventType {
  NodeStatus,        // node, status: a peer's status changed (incl. "dead")
  NodeDead,          // node, interval_ms = the deadtime that expired
  LinkUp,            // node, medium
  LinkDead,          // node, medium
  LateHeartbeat,     // node, interval_ms
  Restart,           // node: a higher generation arrived
  PartitionReturn,   // node: same generation back from the dead
  CommUp,            // we are active; resource negotiation may start
  LocalHeartbeatLost,// our own loopback status timed out: restart needed
  Delivered,         // node, seq, message: accepted and addressed to us
  Lost,              // node, seq: irretrievably lost (NAK received)
  FlowControlOff,    // node: its status lacked `protocol`
};

struct Event {
  Event(EventType t, std::string n) : type(t), node(std::move(n)) {}

  EventType type;
  std::string node;
  std::string medium;
  std::string status;
  int64_t interval_ms = 0;
  uint64_t seq = 0;
  const wire::Message* message = nullptr;  // valid during the callback only
};

enum class SendKind { Fresh, Retransmission };

class Sink {
 public:
  virtual ~Sink() = default;
  // Send on every medium. A retransmission is the exact stored message (same
  // seq, ts, fields), so encoding it again gives the same bytes.
  virtual void send(const wire::Message& message, SendKind kind) = 0;
  virtual void log(log::Level level, const std::string& text) = 0;
  virtual void event(const Event& event) = 0;
};

// Randomness for ack triggers and rexmit delays, injected so that runs replay.
class Random {
 public:
  virtual ~Random() = default;
  // Uniform in [lo, hi].
  virtual int64_t between(int64_t lo, int64_t hi) = 0;
};

}  // namespace hbd::cluster
