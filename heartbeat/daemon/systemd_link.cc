#include "daemon/systemd_link.h"

#include <algorithm>

namespace hbd::daemon {
namespace {

constexpr int64_t kStatusPeriodMs = 10000;

void on_report(struct ev_loop*, ev_timer* w, int) { static_cast<SystemdLink*>(w->data)->report(); }

}  // namespace

std::string systemd_status(const control::Snapshot& s) {
  std::string out = s.comm_up ? "comm up" : "comm not up yet";
  for (const auto& n : s.nodes)
    if (n.name != s.local_node && n.type == "normal") out += "; " + n.name + " " + n.status;
  std::string here;
  for (const auto& g : s.groups)
    if (g.state != "stopped") here += (here.empty() ? "" : ", ") + g.key + " " + g.state;
  out += "; here: " + s.rsc_status;
  if (!here.empty()) out += " (" + here + ")";
  return out;
}

int64_t systemd_report_period_ms(std::optional<int64_t> watchdog_ms) {
  if (!watchdog_ms) return kStatusPeriodMs;
  return std::max<int64_t>(1, std::min(kStatusPeriodMs, *watchdog_ms / 2));
}

SystemdLink::SystemdLink(struct ev_loop* loop, io::SdNotify notify,
                         std::optional<int64_t> watchdog_ms, Status status)
    : loop_(loop), notify_(std::move(notify)), watchdog_ms_(watchdog_ms), status_(std::move(status)) {
  double period = static_cast<double>(systemd_report_period_ms(watchdog_ms_)) / 1000.0;
  ev_timer_init(&timer_, on_report, period, period);
  timer_.data = this;
}

SystemdLink::~SystemdLink() { ev_timer_stop(loop_, &timer_); }

void SystemdLink::ready() {
  if (!notify_.enabled()) return;
  notify_.send("READY=1\nSTATUS=" + status_());
  ev_timer_start(loop_, &timer_);
}

void SystemdLink::stopping() {
  if (notify_.enabled()) notify_.send("STOPPING=1\nSTATUS=stopping: handing the groups over");
}

void SystemdLink::report() {
  std::string state = (watchdog_ms_ ? "WATCHDOG=1\n" : "") + std::string("STATUS=") + status_();
  notify_.send(state);
}

}  // namespace hbd::daemon
