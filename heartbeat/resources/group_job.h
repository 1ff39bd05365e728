// Starting or stopping one resource group, as heartbeat's ResourceManager
// does it (config-and-tools §3.6, §3.7), as a pure state machine: it asks
// for one script call at a time and is told how each ended.
//
// Acquire: "Acquiring resource group: …"; left to right, `status` first and
// `start` only when the status text says stopped. The first failure gives
// up the whole group (every resource stopped, right to left) and ends in
// StartFailed.
// Release: "Releasing resource group: …"; right to left, `stop` whether
// running or not; a failed stop is retried every second (10 times by
// default, HA_STOPRETRYMAX); if it still fails and `status` says running,
// heartbeat's verdict is a reboot (RebootRequired), else it warns and goes on.
//
// Unlike heartbeat, every call has a timeout; a call that times out counts
// as failed.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/defaults.h"
#include "resources/group_table.h"
#include "resources/types.h"

namespace hbd::resources {

// Finds a script: /etc/ha.d/resource.d/S, then /etc/init.d/S (regular and
// executable). nullopt: not found.
using Locator = std::function<std::optional<std::string>(const std::string& script)>;

struct Timeouts {
  int64_t start_ms = config::defaults::kStartTimeoutMs;
  int64_t stop_ms = config::defaults::kStopTimeoutMs;
  int64_t status_ms = config::defaults::kStatusTimeoutMs;
};

constexpr int64_t kStopRetryDelayMs = 1000;

struct JobContext {
  Locator locate;
  Timeouts timeouts;
  int stop_retries = config::defaults::kStopRetries;  // HA_STOPRETRYMAX; <= 0: for ever
  std::vector<std::pair<std::string, std::string>> env;
  uint64_t* next_call_id = nullptr;
};

class GroupJob {
 public:
  enum class Kind { Acquire, Release };
  enum class Result { Busy, Done, StartFailed, RebootRequired };

  // first > 0: only the resources from `first` on (a monitor's restart):
  // a release stops them right to left, an acquire starts them left to right.
  GroupJob(const Group& group, Kind kind, const JobContext& context, int first = 0);

  Result begin(int64_t now, Out& out);
  // The outcome of the call this job asked for (matched by id).
  Result on_outcome(const ScriptOutcome& outcome, int64_t now, Out& out);
  // Time passed; acts when the retry wait is over.
  Result on_time(int64_t now, Out& out);

  uint64_t awaited_call() const { return awaited_; }
  int64_t deadline() const { return retry_at_; }  // 0: none
  Kind kind() const { return kind_; }
  bool partial() const { return first_ > 0; }
  const std::string& failed_token() const { return failed_token_; }

 private:
  enum class Step { Idle, Status, Start, Stop, RetryWait, FinalStatus };

  Result next_acquire(Out& out);
  Result next_release(Out& out);
  Result after_status(const ScriptOutcome& o, Out& out);
  Result after_start(const ScriptOutcome& o, Out& out);
  Result after_stop(const ScriptOutcome& o, Out& out);
  Result after_final_status(const ScriptOutcome& o, Out& out);
  Result stop_current(Out& out);
  Result give_up_group(Out& out);
  Result finished() const;
  void call(const std::string& path, Op op, Out& out);
  void log_failure(const std::string& path, Op op, const ScriptOutcome& o, Out& out) const;
  const config::Resource& current() const { return group_.resources.at(index_); }

  const Group& group_;
  Kind kind_;
  const JobContext& context_;
  int first_ = 0;
  Step step_ = Step::Idle;
  int index_ = 0;
  int tries_ = 0;
  std::string path_;  // of the current resource's script
  uint64_t awaited_ = 0;
  int64_t retry_at_ = 0;
  int64_t now_ = 0;  // of the event being handled
  bool start_failed_ = false;
  std::string failed_token_;
};

// "/etc/ha.d/resource.d/IPaddr 198.18.1.200/24/eth0 start", as the log says it
// (an empty argument list leaves two blanks, as heartbeat's does).
std::string describe_call(const std::string& path, const std::vector<std::string>& args, Op op);
// "12.3 s".
std::string seconds_text(int64_t ms);

}  // namespace hbd::resources
