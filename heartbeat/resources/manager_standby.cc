// The three-phase standby protocol (wire-protocol §6.5): `ask_resources`
// me / other / done, with the set always seen from the node that gives up;
// hb_takeover, which makes the other node go standby (§6.6); auto failback.
#include "resources/manager.h"

namespace hbd::resources {

namespace {

int64_t seconds_left(int64_t deadline, int64_t now) { return (deadline - now + 999) / 1000; }

// What a standby of `set` moves, from the point of view of the node that
// gives up (`giving`) or the one that takes.
int groups_acted_on(bool giving, int set) {
  if (set == kForeign) return giving ? kForeign : kLocal;
  if (set == kLocal) return giving ? kLocal : kForeign;
  return kAll;
}

}  // namespace

void Manager::send_standby(const char* info, int set, Out& out) {
  out.send(make_message("ask_resources", {{"rsc_hold", set_name(set)}, {"info", info}}));
}

void Manager::cancel_standby(Out& out, bool peer_back) {
  out.info("Cancelling pending standby operation");
  if (standby_ == Standby::Other) {
    owed_done_ = Owed::WhenGiverDone;
    owed_set_ = standby_set_;
  } else if (standby_ == Standby::Done && !standby_gave_) {
    owed_done_ = Owed::Now;
    owed_set_ = standby_set_;
  } else if (standby_ == Standby::Me && giving_ && peer_back) {
    // hbd: the split brain ended while we were giving the groups up; the
    // taker, which may never have seen it, waits for our "done" (heartbeat's
    // hour, cl_status rscstatus "transition" all along, every later standby
    // refused). The groups are released either way: say so once they are,
    // and the taker takes them, as the standby asked.
    owed_done_ = Owed::AfterOwnGiveUp;
    owed_set_ = standby_set_;
    owed_as_giver_ = true;
  }
  giving_ = false;
  ++standby_epoch_;  // a job of that standby must not send its done
  standby_ = Standby::Not;
  standby_deadline_ = 0;
  if (!other_stable_ && i_hold_ == kAll) other_stable_ = true;
  shutdown_if_needed(out);
}

void Manager::ask_for_resources(const wire::Message& m, const std::string& from, int64_t now,
                                Out& out) {
  if (!nice()) {
    out.info("Standby mode only implemented when nice_failback on");
    return;
  }
  if (rstate_ == RState::Shutdown) return;
  const std::string* info = m.get("info");
  if (!info) {
    out.error("Received standby message without info/from");
    return;
  }
  int set = kAll;
  if (const std::string* held = m.get("rsc_hold")) {
    auto parsed = parse_set(*held);
    if (!parsed) out.error("encode_resources: bad resource type [" + *held + "]");
    set = parsed.value_or(kNone);
  }
  bool from_me = is_me(from);
  if (from_me && *info == "me") awaiting_own_standby_ = false;
  if (standby_deadline_ != 0 && now < standby_deadline_ && *info == "me") {
    out.warn("Standby in progress- new request from " + from + " ignored [" +
             std::to_string(seconds_left(standby_deadline_, now)) + " seconds left]");
    return;
  }
  Standby was = standby_;
  bool ignored = false;
  switch (standby_) {
    case Standby::Not:
      if (*info == "done" && !from_me && owed_done_ != Owed::None) {
        pay_owed_done(out);
        return;
      }
      if (*info == "done" && !from_me && taker_done_due_) {
        taker_done_due_ = false;
        out.info("Other node completed standby takeover of " + std::string(set_name(set)) +
                 " resources.");
        send_resources_held(true, "", out);  // as at the end of any standby
        return;
      }
      if (*info == "done" && from_me) return;  // the owed done, come back to us
      if (!other_stable_) {
        out.warn("standby message [" + *info + "] from " + from + " ignored.  Other side is in flux.");
        return;
      }
      // hbd: groups still moving here (a takeover, an acquisition) are in
      // flux too; heartbeat would start the standby beside them.
      if (rstate_ != RState::Stable || !queue_.idle()) {
        out.warn("standby message [" + *info + "] from " + from +
                 " ignored.  local resources in flux.");
        return;
      }
      if (*info == "me" && !from_me && !accept_standby_from(m, from, groups_acted_on(false, set), out))
        return;
      standby_set_ = set;
      if (*info != "me") {
        ignored = true;
        break;
      }
      other_stable_ = false;
      out.info(from + " wants to go standby [" + set_name(set) + "]");
      if (from_me) {
        standby_deadline_ = now + kStandbyReplyMs;
        standby_ = Standby::Me;
      } else {
        standby_ = Standby::Other;
        send_standby("other", set, out);
        // hbd: the giver must take up our "other" within the time it waits
        // for it (it announces that with `resource … info=standby`); only
        // then do we wait heartbeat's hour for its "done". heartbeat waits
        // the hour either way, stuck when the giver had given up meanwhile.
        standby_deadline_ = now + kStandbyReplyMs;
      }
      break;
    case Standby::Me:
      if (!from_me) {
        standby_set_ = set;
        standby_deadline_ = now + kStandbyGuardMs;
        if (*info == "other") {
          out.info("standby: " + from + " can take our " + set_name(set) + " resources");
          go_standby(true, set, now, out);
        } else {
          ignored = true;
        }
      } else if (*info == "done") {
        out.info("Local standby process completed [" + std::string(set_name(set)) + "].");
        log_relocated(standby_set_, out);
        giving_ = false;
        standby_ = Standby::Done;
        standby_gave_ = true;
        i_hold_ &= ~standby_set_;
        standby_deadline_ = now + kStandbyGuardMs;
      } else {
        ignored = true;
      }
      break;
    case Standby::Other:
      standby_set_ = set;
      if (*info == "done") {
        standby_deadline_ = now + kStandbyGuardMs;
        if (!from_me) {
          out.info("standby: acquire [" + std::string(set_name(set)) + "] resources from " + from);
          go_standby(false, standby_set_, now, out);
          standby_ = Standby::Done;
          standby_gave_ = false;
        } else {
          ignored = true;
        }
      } else if (!from_me || *info != "other") {
        ignored = true;
      }
      break;
    case Standby::Done:
      standby_set_ = set;
      if (*info != "done") {
        ignored = true;
        break;
      }
      standby_deadline_ = 0;
      standby_ = Standby::Not;
      if (from_me) {
        out.info("Standby resource acquisition done [" + std::string(set_name(set)) + "].");
        if (auto_failback()) {
          local_done_ = true;
          announce_takeover("auto_failback", out);
        }
        i_hold_ |= complement(set);
      } else {
        out.info("Other node completed standby takeover of " + std::string(set_name(set)) +
                 " resources.");
      }
      send_resources_held(true, "", out);
      break;
  }
  if (ignored)
    out.error("Ignored standby message '" + *info + "' from " + from + " in state " +
              std::to_string(static_cast<int>(was)));
  shutdown_if_needed(out);
}

// Gives up (we go standby) or takes (the other went standby) the groups of
// `set`; a job, then "done" to the cluster.
void Manager::go_standby(bool giving, int set, int64_t now, Out& out) {
  if (giving) {
    giving_ = true;
    other_stable_ = false;
    i_hold_ &= ~set;
    send_resources_held(false, "standby", out);
  }
  int acted = groups_acted_on(giving, set);
  std::string action = giving ? "give up" : "acquire";
  Job job;
  job.name = "go_standby";
  job.set = set;
  job.epoch = standby_epoch_;
  job.steps.push_back(Step::log(action + " " + set_name(acted) + " HA resources (standby)."));
  for (std::size_t g : table_.of_set(acted)) {
    if (!giving && !take_in_standby(g, now, out)) continue;
    job.steps.push_back(giving ? Step::release(g) : Step::acquire(g));
  }
  job.steps.push_back(Step::log(std::string(set_name(acted)) + " HA resource " +
                                (giving ? "release" : "acquisition") + " completed (standby)."));
  job.steps.push_back(Step::reach(kStandbyDone));
  queue_.push(std::move(job));
}

// heartbeat runs rc.d/hb_takeover, which runs hb_standby with the
// complementary set on the node that did not ask; failback (and anything
// unknown) reaches hb_standby as no argument, which means all.
void Manager::hb_takeover(const wire::Message& m, const std::string& from) {
  if (is_me(from)) return;
  std::string asked = m.get_or("rsc_hold", "");
  int set = kAll;
  if (asked == "local") set = kForeign;
  if (asked == "foreign") set = kLocal;
  Job job;
  job.name = "hb_takeover";
  job.set = set;
  job.steps.push_back(Step::reach(kTakeoverStandby));
  queue_.push(std::move(job));
}

// hbd: the giver of a standby we had to cancel (we declared it dead) may be
// back without a restart, after a partition it never saw: it still waits
// for our "done" (heartbeat's hour, its groups nowhere meanwhile). Once it
// has given its groups up too, the done it waits for is sent; the holdings
// audit then gives every group its home node.
void Manager::pay_owed_done(Out& out) {
  out.info("Ending the standby cancelled during the split brain");
  taker_done_due_ = owed_as_giver_;
  owed_as_giver_ = false;
  owed_done_ = Owed::None;
  send_standby("done", owed_set_, out);
}

// Our give-up job of a standby cancelled by the end of a split brain has
// released the groups: the taker may take them now.
void Manager::own_give_up_released(Out& out) {
  if (owed_done_ == Owed::AfterOwnGiveUp) pay_owed_done(out);
}

void Manager::perform_auto_failback(int64_t now, Out& out) {
  if (shutdown_in_progress_ || !(i_hold_ & kForeign) || !needs_failback_ || !auto_failback()) {
    needs_failback_ = false;
    shutdown_if_needed(out);
    return;
  }
  if (standby_ != Standby::Not || !other_stable_ || rstate_ != RState::Stable ||
      !queue_.idle()) {
    out.log(log::Level::Debug, "Auto failback delayed.");
    failback_retry_at_ = now + kFailbackRetryMs;
    return;
  }
  standby_set_ = kForeign;
  send_standby("me", kForeign, out);
  needs_failback_ = false;
}

}  // namespace hbd::resources
