// The last 500 sequenced messages we sent, kept for retransmission, and the
// rules for serving a peer's NS_rexmit request (wire-protocol §5.7).
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "wire/message.h"

namespace hbd::cluster {

constexpr size_t kHistorySize = 500;
// heartbeat resends at most 50 per request; we also count its NAKs, so that
// one request never makes more than 50 packets.
constexpr size_t kMaxRepliesPerRequest = 50;

struct ResendAction {
  enum Kind { Resend, Nak } kind;
  uint64_t seq;
  std::string reason;  // NAK info text
};

class History {
 public:
  void add(uint64_t seq, const wire::Message& message);
  const wire::Message* find(uint64_t seq) const;
  // Lowest and highest kept seq; 0 when empty.
  uint64_t lowest() const;
  uint64_t highest() const;
  size_t size() const { return entries_.size(); }

  // Decides what to do for a request [first, last] from a peer that has
  // acknowledged everything up to `acked`. Marks the resent ones with `now`.
  std::vector<ResendAction> plan(uint64_t first, uint64_t last, uint64_t acked,
                                 int64_t now, int64_t max_rexmit_delay_ms);

 private:
  struct Entry {
    uint64_t seq;
    wire::Message message;
    int64_t last_resent = 0;
    bool resent = false;
  };
  Entry* entry(uint64_t seq);

  std::deque<Entry> entries_;  // ascending seq
};

}  // namespace hbd::cluster
