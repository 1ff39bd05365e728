#include "resources/job_queue.h"

#include <algorithm>

#include "resources/status_text.h"

namespace hbd::resources {

Step Step::log(std::string text, log::Level level) {
  Step s;
  s.kind = Kind::Log;
  s.text = std::move(text);
  s.level = level;
  return s;
}

Step Step::acquire(std::size_t group, int first) {
  Step s;
  s.kind = Kind::Acquire;
  s.group = group;
  s.first = first;
  return s;
}

Step Step::release(std::size_t group, int first) {
  Step s;
  s.kind = Kind::Release;
  s.group = group;
  s.first = first;
  return s;
}

Step Step::monitor(std::size_t group, int resource, int64_t timeout_ms) {
  Step s;
  s.kind = Kind::Monitor;
  s.group = group;
  s.resource = resource;
  s.timeout_ms = timeout_ms;
  return s;
}

Step Step::status_key(std::size_t group) {
  Step s;
  s.kind = Kind::StatusKey;
  s.group = group;
  return s;
}

Step Step::reach(int tag, std::size_t group) {
  Step s;
  s.kind = Kind::Reach;
  s.tag = tag;
  s.group = group;
  return s;
}

JobQueue::JobQueue(GroupTable& groups, const JobContext& context)
    : groups_(groups), context_(context) {}

void JobQueue::push(Job job) {
  if (abandoned_) return;
  if (!job.monitor) {
    // A start, stop or standby begins: statuses not yet run would only
    // judge a group in the middle of it.
    queue_.erase(std::remove_if(queue_.begin(), queue_.end(), [](const Job& j) { return j.monitor; }),
                 queue_.end());
  }
  queue_.push_back(std::move(job));
}

bool JobQueue::idle() const {
  if (running_ && !running_->monitor) return false;
  return std::all_of(queue_.begin(), queue_.end(), [](const Job& j) { return j.monitor; });
}

bool JobQueue::has_monitor(std::size_t group, int resource) const {
  auto is_it = [&](const Job& j) {
    return j.monitor && j.resource == resource && j.group == static_cast<int>(group);
  };
  return (running_ && is_it(*running_)) || std::any_of(queue_.begin(), queue_.end(), is_it);
}

void JobQueue::insert_next(std::vector<Step> steps) {
  if (!running_) return;
  auto& all = running_->steps;
  all.insert(all.begin() + static_cast<std::ptrdiff_t>(next_step_), steps.begin(), steps.end());
}

int64_t JobQueue::deadline() const { return group_job_ ? group_job_->deadline() : 0; }

void JobQueue::abandon() {
  abandoned_ = true;
  queue_.clear();
  running_.reset();
  group_job_.reset();
  awaited_ = 0;
}

std::optional<Reached> JobQueue::advance(int64_t now, Out& out) {
  while (true) {
    if (!reached_.empty()) {
      Reached r = std::move(reached_.front());
      reached_.pop_front();
      return r;
    }
    if (abandoned_) return std::nullopt;
    if (group_job_ || awaited_ != 0) return std::nullopt;  // waiting
    if (!running_) {
      if (queue_.empty()) return std::nullopt;
      running_ = std::move(queue_.front());
      queue_.pop_front();
      next_step_ = 0;
    }
    if (next_step_ >= running_->steps.size()) {
      Reached done;
      done.kind = Reached::Kind::JobFinished;
      done.job = std::move(*running_);
      done.job.steps.clear();
      running_.reset();
      return done;
    }
    Step step = running_->steps[next_step_++];
    if (!run_step(step, now, out)) continue;
    if (step.kind == Step::Kind::Reach) {
      Reached r;
      r.kind = Reached::Kind::Continuation;
      r.tag = step.tag;
      r.group = step.group;
      r.job = *running_;
      r.job.steps.clear();
      return r;
    }
  }
}

// Starts one step; true when it completed at once (or is a Reach).
bool JobQueue::run_step(const Step& step, int64_t now, Out& out) {
  switch (step.kind) {
    case Step::Kind::Log:
      out.log(step.level, step.text);
      return true;
    case Step::Kind::Reach:
      return true;
    case Step::Kind::Acquire:
    case Step::Kind::Release: {
      if (step.group >= groups_.size()) return true;
      bool acquire = step.kind == Step::Kind::Acquire;
      group_ = step.group;
      group_job_.emplace(groups_.at(step.group),
                         acquire ? GroupJob::Kind::Acquire : GroupJob::Kind::Release, context_,
                         step.first);
      groups_.begin(step.group, acquire ? GroupState::Starting : GroupState::Stopping, now);
      group_result(group_job_->begin(now, out), now);
      return false;
    }
    case Step::Kind::StatusKey: {
      if (step.group >= groups_.size()) return true;
      const config::Resource& key = groups_.at(step.group).resources.front();
      auto path = context_.locate(key.script);
      if (!path) {
        out.error("Cannot locate resource script " + key.script);
        running_->key_running = false;
        return true;
      }
      call_status(*path, key, context_.timeouts.status_ms, Step::Kind::StatusKey, out);
      return false;
    }
    case Step::Kind::Monitor: return run_monitor(step, out);
    case Step::Kind::Hook: {
      ScriptCall c = step.hook;
      if (c.timeout_ms == 0) c.timeout_ms = context_.timeouts.start_ms;
      awaited_kind_ = Step::Kind::Hook;
      call(std::move(c), out);
      return false;
    }
  }
  return true;
}

// The status of one resource, judged as heartbeat judges one (by its text),
// where a timeout or a script that cannot run is a failure.
bool JobQueue::run_monitor(const Step& step, Out& out) {
  if (step.group >= groups_.size()) return true;
  const auto& resources = groups_.at(step.group).resources;
  if (step.resource < 0 || step.resource >= static_cast<int>(resources.size())) return true;
  const config::Resource& r = resources[static_cast<std::size_t>(step.resource)];
  auto path = context_.locate(r.script);
  if (!path) {
    running_->monitor_ok = false;
    running_->monitor_detail = "cannot locate resource script " + r.script;
    return true;
  }
  call_status(*path, r, step.timeout_ms, Step::Kind::Monitor, out);
  return false;
}

void JobQueue::call_status(const std::string& path, const config::Resource& r,
                           int64_t timeout_ms, Step::Kind kind, Out& out) {
  ScriptCall c;
  c.path = path;
  c.args = r.args;
  c.args.push_back("status");
  c.capture_stdout = true;
  c.timeout_ms = timeout_ms;
  c.env = context_.env;
  awaited_kind_ = kind;
  call(std::move(c), out);
}

void JobQueue::call(ScriptCall c, Out& out) {
  c.id = ++*context_.next_call_id;
  awaited_ = c.id;
  out.run(std::move(c));
}

void JobQueue::on_outcome(const ScriptOutcome& o, int64_t now, Out& out) {
  if (group_job_) {
    if (o.id == group_job_->awaited_call()) group_result(group_job_->on_outcome(o, now, out), now);
    return;
  }
  if (awaited_ == 0 || o.id != awaited_) return;
  awaited_ = 0;
  if (awaited_kind_ == Step::Kind::StatusKey) {
    if (running_) running_->key_running = says_running(o.output);
  } else if (awaited_kind_ == Step::Kind::Monitor) {
    if (running_) judge_monitor(o, *running_);
  } else if (!o.ok()) {
    std::string what = o.end == ScriptOutcome::End::TimedOut ? "timed out"
                       : o.end == ScriptOutcome::End::NotRun ? "could not run: " + o.error
                       : o.end == ScriptOutcome::End::Signalled
                           ? "was killed by signal " + std::to_string(o.signal)
                           : "exited with return code " + std::to_string(o.exit_code);
    out.error("Event hook " + running_->name + " " + what);
  }
}

void JobQueue::judge_monitor(const ScriptOutcome& o, Job& job) {
  std::string output = o.output;
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  switch (o.end) {
    case ScriptOutcome::End::TimedOut:
      job.monitor_ok = false;
      job.monitor_detail = "timed out after " + seconds_text(o.elapsed_ms);
      return;
    case ScriptOutcome::End::NotRun:
      job.monitor_ok = false;
      job.monitor_detail = "could not run: " + o.error;
      return;
    case ScriptOutcome::End::Signalled:
    case ScriptOutcome::End::Exited:
      break;
  }
  job.monitor_ok = says_running(o.output);
  std::string exit = o.end == ScriptOutcome::End::Signalled
                         ? "killed by signal " + std::to_string(o.signal)
                         : "exit " + std::to_string(o.exit_code);
  job.monitor_detail = "output '" + output + "', " + exit;
}

void JobQueue::on_time(int64_t now, Out& out) {
  if (group_job_ && group_job_->deadline() != 0 && now >= group_job_->deadline())
    group_result(group_job_->on_time(now, out), now);
}

void JobQueue::group_result(GroupJob::Result result, int64_t now) {
  if (result == GroupJob::Result::Busy) return;
  bool acquire = group_job_->kind() == GroupJob::Kind::Acquire;
  bool partial = group_job_->partial();
  std::string failed = group_job_->failed_token();
  group_job_.reset();
  Reached r;
  r.group = group_;
  if (running_) {
    r.job = *running_;
    r.job.steps.clear();
  }
  switch (result) {
    case GroupJob::Result::Done:
      // A restart's stop leaves the resources left of the failed one running.
      groups_.finish(group_, acquire  ? GroupState::Running
                             : partial ? GroupState::Stopping
                                       : GroupState::Stopped,
                     now);
      return;
    case GroupJob::Result::StartFailed:
      groups_.finish(group_, GroupState::Failed, now, "start of " + failed + " failed");
      r.kind = Reached::Kind::StartFailed;
      r.failed = failed;
      reached_.push_back(std::move(r));
      return;
    case GroupJob::Result::RebootRequired:
      groups_.finish(group_, GroupState::Failed, now, "stop of " + failed + " failed");
      r.kind = Reached::Kind::RebootRequired;
      reached_.push_back(std::move(r));
      abandon();
      return;
    case GroupJob::Result::Busy:
      return;
  }
}

}  // namespace hbd::resources
