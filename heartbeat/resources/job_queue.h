// heartbeat runs one resource-management job at a time and queues the rest
// (config-and-tools §3.4), so a group's stop never overlaps its start. A job
// here is a named list of steps: log a line, acquire or release a group,
// ask a group's key resource for its status, run an rc.d hook, or reach a
// point where the resource manager continues (send a message, decide what
// comes next). The queue is pure: it asks for script calls through Out and
// is told their outcomes.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "resources/group_job.h"
#include "resources/group_table.h"
#include "resources/types.h"

namespace hbd::resources {

struct Step {
  enum class Kind {
    Log,        // level, text
    Acquire,    // group
    Release,    // group
    StatusKey,  // group: is its first resource running? (Job::key_running)
    Hook,       // call: an rc.d hook through harc
    Reach,      // tag: hand control to the manager, then go on
    Monitor,    // group, resource, timeout_ms: hbd's periodic status (Job::monitor_ok)
  };
  Kind kind = Kind::Log;
  std::size_t group = 0;
  log::Level level = log::Level::Info;
  std::string text;
  ScriptCall hook;
  int tag = 0;
  int first = 0;            // Acquire/Release: the leftmost resource touched (a restart)
  int resource = 0;         // Monitor
  int64_t timeout_ms = 0;   // Monitor

  static Step log(std::string text, log::Level level = log::Level::Info);
  static Step acquire(std::size_t group, int first = 0);
  static Step release(std::size_t group, int first = 0);
  static Step monitor(std::size_t group, int resource, int64_t timeout_ms);
  static Step status_key(std::size_t group);
  static Step reach(int tag, std::size_t group = 0);
};

struct Job {
  std::string name;          // heartbeat's process name: req_our_resources, go_standby, status…
  std::vector<Step> steps;
  std::string node;          // whom it is about (a dead node, a requester)
  int set = kNone;           // a resource set it works on
  bool key_running = false;  // the last StatusKey's verdict
  bool ask = false;          // legacy with a live peer: ask it (ip-request) first
  int epoch = 0;             // the manager's yield count when it was queued
  // hbd's monitoring: a periodic status job gives way to every other job
  // and does not count as resource activity (JobQueue::idle).
  bool monitor = false;
  int group = -1;             // the group watched or restarted
  int resource = -1;          // the resource watched or restarted
  bool monitor_ok = false;    // the last Monitor step's verdict
  std::string monitor_detail; // what it saw (output, exit, timeout)
};

// What the manager must look at before the queue goes on.
struct Reached {
  enum class Kind { Continuation, StartFailed, RebootRequired, JobFinished };
  Kind kind = Kind::Continuation;
  int tag = 0;              // Continuation
  std::size_t group = 0;    // Continuation, StartFailed
  Job job;                  // a copy of the job's payload (name, node, set, key_running)
  std::string failed;       // StartFailed: the token of the resource that failed
};

class JobQueue {
 public:
  JobQueue(GroupTable& groups, const JobContext& context);

  // A job other than a monitor drops the monitors still queued.
  void push(Job job);
  // During a Continuation: steps run right after it, before the rest of the job.
  void insert_next(std::vector<Step> steps);
  // Nothing running and nothing queued but monitor jobs.
  bool idle() const;
  // A monitor job of this resource is queued or running.
  bool has_monitor(std::size_t group, int resource) const;
  // Runs steps until one waits (for a script or the retry timer) or until
  // something the manager must see; returns that, else nullopt.
  std::optional<Reached> advance(int64_t now, Out& out);
  void on_outcome(const ScriptOutcome& outcome, int64_t now, Out& out);
  void on_time(int64_t now, Out& out);
  int64_t deadline() const;  // 0: none
  // The running job's name, or "".
  std::string current_name() const { return running_ ? running_->name : ""; }
  // Drops everything (after a reboot verdict nothing else may run).
  void abandon();

 private:
  bool run_step(const Step& step, int64_t now, Out& out);
  bool run_monitor(const Step& step, Out& out);
  void call_status(const std::string& path, const config::Resource& r, int64_t timeout_ms,
                   Step::Kind kind, Out& out);
  static void judge_monitor(const ScriptOutcome& o, Job& job);
  void group_result(GroupJob::Result result, int64_t now);
  void call(ScriptCall call, Out& out);

  GroupTable& groups_;
  const JobContext& context_;
  std::deque<Job> queue_;
  std::optional<Job> running_;
  std::size_t next_step_ = 0;
  std::optional<GroupJob> group_job_;
  std::size_t group_ = 0;
  uint64_t awaited_ = 0;  // a StatusKey or Hook call
  Step::Kind awaited_kind_ = Step::Kind::Log;
  std::deque<Reached> reached_;
  bool abandoned_ = false;
};

}  // namespace hbd::resources
