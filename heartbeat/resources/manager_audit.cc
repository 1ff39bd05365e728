// Holdings that contradict each other: heartbeat's audit lines, and what
// hbd does about them (the node haresources names for a group keeps it).
#include "cluster/outgoing.h"
#include "resources/manager.h"

namespace hbd::resources {

// Messages can arrive out of order (a loss and its retransmission); an
// older holdings announcement must not undo a newer one.
bool Manager::stale_holdings(const std::string& from, const wire::Message& m) {
  uint64_t seq = 0, hg = 0;
  if (!cluster::parse_hex(m.get_or("seq", ""), seq) || !cluster::parse_hex(m.get_or("hg", ""), hg))
    return false;
  auto& last = last_holdings_[from];
  if (hg == last.first && seq < last.second) return true;
  if (hg > last.first || seq > last.second) last = {hg, seq};
  return false;
}

// heartbeat logs contradictions in the two holdings (and does nothing).
void Manager::audit(int64_t now, Out& out) {
  if (!nice()) return;
  if ((i_hold_ & kLocal) && (other_holds_ & kForeign)) out.error("Both machines own our resources!");
  if ((other_holds_ & kLocal) && (i_hold_ & kForeign))
    out.error("Both machines own foreign resources!");
  if (is_stable() && !shutdown_in_progress_ && rstate_ != RState::Shutdown) {
    if (!(i_hold_ & kLocal) && !(other_holds_ & kForeign))
      out.error("No one owns our local resources!");
    if (!(other_holds_ & kLocal) && !(i_hold_ & kForeign))
      out.error("No one owns foreign resources!");
  }
  resolve(now, out);
}

// hbd acts on what heartbeat only logs. A split brain, a one-sided
// partition or a quick restart can leave a class of groups claimed by both
// nodes or by neither; the node haresources names for a group settles it:
// it keeps (or takes) its own groups, the other gives them up. The two
// nodes' views lag each other by a message or two (a standby's "done" can
// arrive before the holdings that go with it), so a contradiction must
// last kResolveGraceMs, with both sides stable, before anything moves.
void Manager::resolve(int64_t now, Out& out) {
  if (!nice() || !comm_up_ || shutdown_in_progress_) return;
  bool both_ours = (i_hold_ & kLocal) && (other_holds_ & kForeign);
  if (both_ours && !conflict_home_) {
    // Tell the peer what we hold, so that it sees the conflict too.
    conflict_home_ = true;
    send_resources_held(is_stable(), "", out);
  } else if (!both_ours && conflict_home_ && other_stable_) {
    conflict_home_ = false;
    announce_local(out);
  }
  Fix fix = needed_fix();
  if (fix == Fix::None) {
    resolve_at_ = 0;
  } else if (resolve_at_ == 0) {
    resolve_at_ = now + kResolveGraceMs;
  } else if (now >= resolve_at_) {
    resolve_at_ = 0;
    if (fix == Fix::Yield)
      yield_foreign("the peer runs its own groups too (split brain)", out);
    else {
      out.warn("Nobody runs our own resource groups: taking them");
      request_our_resources(true, out);
    }
  }
}

Manager::Fix Manager::needed_fix() const {
  if (!is_stable() || rstate_ != RState::Stable) return Fix::None;
  if ((other_holds_ & kLocal) && (i_hold_ & kForeign)) return Fix::Yield;
  if (!(i_hold_ & kLocal) && !(other_holds_ & kForeign) && !table_.of_set(kLocal).empty())
    return Fix::TakeOwn;
  return Fix::None;
}

}  // namespace hbd::resources
