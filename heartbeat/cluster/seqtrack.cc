#include "cluster/seqtrack.h"

namespace hbd::cluster {

SeqResult SeqTracker::record(uint64_t seq) {
  SeqResult r{SeqVerdict::InOrder, last_.value_or(0), {}, false};
  if (!last_ || seq == *last_ + 1) {
    last_ = seq;
    return r;
  }
  if (seq == *last_) {
    r.verdict = SeqVerdict::Duplicate;
    return r;
  }
  if (seq > *last_) return record_gap(seq);
  if (missing_.erase(seq) != 0) {
    r.verdict = SeqVerdict::LateFill;
    r.gap_closed = missing_.empty();
    return r;
  }
  r.verdict = SeqVerdict::Old;
  return r;
}

SeqResult SeqTracker::record_gap(uint64_t seq) {
  SeqResult r{SeqVerdict::Gap, *last_, {}, false};
  if (seq - *last_ - 1 > kMaxGapBeforeReset) {
    reset();
    last_ = seq;
    r.verdict = SeqVerdict::Reset;
    return r;
  }
  for (uint64_t s = *last_ + 1; s < seq && missing_.size() < kMaxMissing; ++s) {
    if (missing_.insert(s).second) r.new_missing.push_back(s);
  }
  last_ = seq;
  return r;
}

bool SeqTracker::give_up(uint64_t seq) {
  return missing_.erase(seq) != 0 && missing_.empty();
}

void SeqTracker::reset() {
  last_.reset();
  missing_.clear();
}

}  // namespace hbd::cluster
