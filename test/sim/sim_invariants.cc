#include "test/sim/sim_invariants.h"

namespace hbd::sim {

using cluster::EventType;

void Invariants::event(int observer, int subject, const cluster::Event& e, int64_t now) {
  if (subject < 0) return;
  switch (e.type) {
    case EventType::NodeDead:
      dead_declared(observer, subject, e.interval_ms, now);
      break;
    case EventType::Restart:
      ++restarts_[{observer, subject}];
      // A new incarnation numbers from 1 again.
      forget_deliveries(observer, subject);
      break;
    case EventType::Delivered:
      if (e.seq != 0 && !delivered_.insert({observer, subject, e.seq}).second) {
        fail("node " + std::to_string(observer) + " got seq " + std::to_string(e.seq) +
             " of node " + std::to_string(subject) + " twice at t=" + std::to_string(now));
      }
      break;
    default:
      break;
  }
}

// A node whose statuses arrive is never declared dead: a status copy that
// arrived within (deadtime - max delay) means its first copy refreshed it.
void Invariants::dead_declared(int observer, int subject, int64_t deadtime, int64_t now) {
  int64_t last = last_status_at_[observer][subject];
  if (last > now - deadtime + max_delay_) {
    fail("node " + std::to_string(observer) + " declared node " + std::to_string(subject) +
         " dead at t=" + std::to_string(now) + " (deadtime " + std::to_string(deadtime) +
         ") though a status arrived at t=" + std::to_string(last));
  }
  // After a death the peer's seqs may legitimately be seen again.
  forget_deliveries(observer, subject);
  for (auto& x : expectations_) {
    if (!x.met && x.to == observer && x.from == subject && now >= x.since) {
      x.met = true;
      if (now > x.deadline) {
        fail("node " + std::to_string(observer) + " declared silent node " +
             std::to_string(subject) + " dead only at t=" + std::to_string(now) +
             ", deadline t=" + std::to_string(x.deadline));
      }
    }
  }
}

void Invariants::forget_deliveries(int observer, int subject) {
  auto first = delivered_.lower_bound({observer, subject, 0});
  auto last = delivered_.lower_bound({observer, subject + 1, 0});
  delivered_.erase(first, last);
}

void Invariants::forget_observer(int observer) {
  for (int subject = 0; subject < n_; ++subject) forget_deliveries(observer, subject);
}

void Invariants::expect_death(int to, int from, int64_t since, int64_t deadline) {
  expectations_.push_back({to, from, since, deadline});
}

void Invariants::check_deadlines(int64_t now) {
  for (auto& x : expectations_) {
    if (x.met || now <= x.deadline) continue;
    x.met = true;
    fail("node " + std::to_string(x.to) + " never declared silent node " +
         std::to_string(x.from) + " dead (silent since t=" + std::to_string(x.since) +
         ", deadline t=" + std::to_string(x.deadline) + ")");
  }
}

// After a healthy quiet period: comm up, everyone active, no gap left open,
// the peer's latest generation adopted.
void Invariants::check_final(int observer, int subject, const cluster::Membership& core,
                             uint64_t generation, bool expect_restart_seen) {
  std::string who = "node " + std::to_string(observer) + " about node " + std::to_string(subject);
  if (!core.comm_up()) fail("node " + std::to_string(observer) + ": comm never came up");
  if (core.local_status() != "active") fail("node " + std::to_string(observer) + " not active");
  if (observer == subject) return;
  const cluster::Node* node = core.nodes().find(core.params().nodes[subject]);
  if (!node) {
    fail(who + ": node missing from the table");
    return;
  }
  if (node->status != "active") fail(who + ": status " + node->status + ", expected active");
  if (!node->seqs.missing().empty()) {
    fail(who + ": " + std::to_string(node->seqs.missing().size()) +
         " packet(s) still missing, first " + std::to_string(*node->seqs.missing().begin()));
  }
  if (node->generation != generation) fail(who + ": generation not adopted");
  if (expect_restart_seen && restarts_seen(observer, subject) == 0) {
    fail(who + ": restart was never detected");
  }
}

}  // namespace hbd::sim
