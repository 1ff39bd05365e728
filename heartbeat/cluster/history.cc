#include "cluster/history.h"

#include <algorithm>
#include <limits>

namespace hbd::cluster {

void History::add(uint64_t seq, const wire::Message& message) {
  entries_.push_back(Entry{seq, message});
  if (entries_.size() > kHistorySize) entries_.pop_front();
}

History::Entry* History::entry(uint64_t seq) {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), seq,
                             [](const Entry& e, uint64_t s) { return e.seq < s; });
  return it != entries_.end() && it->seq == seq ? &*it : nullptr;
}

const wire::Message* History::find(uint64_t seq) const {
  auto* e = const_cast<History*>(this)->entry(seq);
  return e ? &e->message : nullptr;
}

uint64_t History::lowest() const { return entries_.empty() ? 0 : entries_.front().seq; }
uint64_t History::highest() const { return entries_.empty() ? 0 : entries_.back().seq; }

std::vector<ResendAction> History::plan(uint64_t first, uint64_t last, uint64_t acked,
                                        int64_t now, int64_t max_rexmit_delay_ms) {
  std::vector<ResendAction> actions;
  if (acked == std::numeric_limits<uint64_t>::max()) return actions;
  // Start past what the peer acknowledged: a range reaching back to seq 1
  // must not walk (or NAK) every seq we ever sent.
  uint64_t start = std::max({first, acked + 1, uint64_t{1}});
  last = std::min(last, highest());
  // NAKs count against the cap too: every reply is a packet we send.
  for (uint64_t seq = start; seq <= last && actions.size() < kMaxRepliesPerRequest; ++seq) {
    if (seq < lowest()) {
      actions.push_back({ResendAction::Nak, seq, "seqno too low"});
      continue;
    }
    Entry* e = entry(seq);
    if (!e) {
      actions.push_back({ResendAction::Nak, seq, "seqno not found"});
      continue;
    }
    // A request repeated quickly (several peers, several media) is served once.
    if (e->resent && now - e->last_resent < max_rexmit_delay_ms - 10) continue;
    e->resent = true;
    e->last_resent = now;
    actions.push_back({ResendAction::Resend, seq, {}});
  }
  return actions;
}

}  // namespace hbd::cluster
