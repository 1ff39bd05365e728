#include "resources/job_queue.h"

#include "resources/status_text.h"

namespace hbd::resources {

Step Step::log(std::string text, log::Level level) {
  Step s;
  s.kind = Kind::Log;
  s.text = std::move(text);
  s.level = level;
  return s;
}

Step Step::acquire(std::size_t group) {
  Step s;
  s.kind = Kind::Acquire;
  s.group = group;
  return s;
}

Step Step::release(std::size_t group) {
  Step s;
  s.kind = Kind::Release;
  s.group = group;
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
  queue_.push_back(std::move(job));
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
                         acquire ? GroupJob::Kind::Acquire : GroupJob::Kind::Release, context_);
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
      ScriptCall c;
      c.path = *path;
      c.args = key.args;
      c.args.push_back("status");
      c.capture_stdout = true;
      c.timeout_ms = context_.timeouts.status_ms;
      c.env = context_.env;
      awaited_kind_ = Step::Kind::StatusKey;
      call(std::move(c), out);
      return false;
    }
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
  } else if (!o.ok()) {
    std::string what = o.end == ScriptOutcome::End::TimedOut ? "timed out"
                       : o.end == ScriptOutcome::End::NotRun ? "could not run: " + o.error
                       : o.end == ScriptOutcome::End::Signalled
                           ? "was killed by signal " + std::to_string(o.signal)
                           : "exited with return code " + std::to_string(o.exit_code);
    out.error("Event hook " + running_->name + " " + what);
  }
}

void JobQueue::on_time(int64_t now, Out& out) {
  if (group_job_ && group_job_->deadline() != 0 && now >= group_job_->deadline())
    group_result(group_job_->on_time(now, out), now);
}

void JobQueue::group_result(GroupJob::Result result, int64_t now) {
  if (result == GroupJob::Result::Busy) return;
  bool acquire = group_job_->kind() == GroupJob::Kind::Acquire;
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
      groups_.finish(group_, acquire ? GroupState::Running : GroupState::Stopped, now);
      return;
    case GroupJob::Result::StartFailed:
      groups_.finish(group_, GroupState::Failed, now, "start of " + failed + " failed");
      r.kind = Reached::Kind::StartFailed;
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
