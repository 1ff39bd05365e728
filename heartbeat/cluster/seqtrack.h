// Per-peer sequence accounting (wire-protocol §5.6): in order, duplicate,
// gap with a missing set, reset after a large loss, late fill, old drop.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <vector>

namespace hbd::cluster {

constexpr uint64_t kMaxGapBeforeReset = 250;
constexpr size_t kMaxMissing = 500;

enum class SeqVerdict {
  InOrder,    // first one seen, or last+1
  Duplicate,  // == last: a copy from another medium or our own echo
  Gap,        // > last+1: accepted, the seqs in between are missing
  Reset,      // too many lost: tracking restarted at this seq
  LateFill,   // < last and one of the missing ones
  Old,        // < last and not missing: drop
};

inline bool accepted(SeqVerdict v) {
  return v != SeqVerdict::Duplicate && v != SeqVerdict::Old;
}

struct SeqResult {
  SeqVerdict verdict;
  uint64_t previous_last = 0;          // for the "lost packet(s)" log line
  std::vector<uint64_t> new_missing;   // Gap: what to ask for
  bool gap_closed = false;             // LateFill emptied the missing set
};

class SeqTracker {
 public:
  SeqResult record(uint64_t seq);
  // A NAK for `seq`: stop waiting for it. True if the set just became empty.
  bool give_up(uint64_t seq);
  void reset();

  std::optional<uint64_t> last() const { return last_; }
  const std::set<uint64_t>& missing() const { return missing_; }
  bool is_missing(uint64_t seq) const { return missing_.count(seq) != 0; }

 private:
  SeqResult record_gap(uint64_t seq);

  std::optional<uint64_t> last_;
  std::set<uint64_t> missing_;
};

}  // namespace hbd::cluster
