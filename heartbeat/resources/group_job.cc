#include "resources/group_job.h"

#include "resources/status_text.h"

namespace hbd::resources {

namespace {

int64_t timeout_of(const Timeouts& t, Op op) {
  switch (op) {
    case Op::Start: return t.start_ms;
    case Op::Stop: return t.stop_ms;
    case Op::Status: return t.status_ms;
  }
  return t.status_ms;
}

}  // namespace

std::string seconds_text(int64_t ms) {
  return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + " s";
}

std::string describe_call(const std::string& path, const std::vector<std::string>& args,
                          Op op) {
  std::string joined;
  for (const auto& a : args) joined += (joined.empty() ? "" : " ") + a;
  return path + " " + joined + " " + op_name(op);
}

GroupJob::GroupJob(const Group& group, Kind kind, const JobContext& context, int first)
    : group_(group), kind_(kind), context_(context), first_(first) {
  int size = static_cast<int>(group_.resources.size());
  if (first_ < 0 || first_ >= size) first_ = 0;
}

GroupJob::Result GroupJob::begin(int64_t now, Out& out) {
  now_ = now;
  std::string part = partial() ? "resources " + group_.resources.at(first_).token +
                                     " and right of it in group: "
                               : "resource group: ";
  if (kind_ == Kind::Acquire) {
    out.info("Acquiring " + part + group_.line);
    index_ = first_;
    return next_acquire(out);
  }
  out.info("Releasing " + part + group_.line);
  index_ = static_cast<int>(group_.resources.size()) - 1;
  return next_release(out);
}

GroupJob::Result GroupJob::on_outcome(const ScriptOutcome& o, int64_t now, Out& out) {
  if (o.id != awaited_ || awaited_ == 0) return Result::Busy;
  awaited_ = 0;
  now_ = now;
  switch (step_) {
    case Step::Status: return after_status(o, out);
    case Step::Start: return after_start(o, out);
    case Step::Stop: return after_stop(o, out);
    case Step::FinalStatus: return after_final_status(o, out);
    default: return Result::Busy;
  }
}

GroupJob::Result GroupJob::on_time(int64_t now, Out& out) {
  if (step_ != Step::RetryWait || now < retry_at_) return Result::Busy;
  now_ = now;
  retry_at_ = 0;
  ++tries_;
  out.info("Retrying failed stop operation [" + current().token + "]");
  return stop_current(out);
}

void GroupJob::call(const std::string& path, Op op, Out& out) {
  ScriptCall c;
  c.id = ++*context_.next_call_id;
  c.path = path;
  c.args = current().args;
  c.args.push_back(op_name(op));
  c.capture_stdout = op == Op::Status;
  c.timeout_ms = timeout_of(context_.timeouts, op);
  c.env = context_.env;
  awaited_ = c.id;
  out.run(std::move(c));
}

void GroupJob::log_failure(const std::string& path, Op op, const ScriptOutcome& o,
                           Out& out) const {
  std::string what = describe_call(path, current().args, op);
  switch (o.end) {
    case ScriptOutcome::End::Exited:
      out.error("Return code " + std::to_string(o.exit_code) + " from " + path);
      break;
    case ScriptOutcome::End::Signalled:
      // What a shell's $? would say, so log watchers see a return code.
      out.error("Return code " + std::to_string(128 + o.signal) + " from " + path +
                " (killed by signal " + std::to_string(o.signal) + ")");
      break;
    case ScriptOutcome::End::TimedOut:
      out.error(what + " timed out after " + seconds_text(o.elapsed_ms) +
                ": its process group was killed");
      break;
    case ScriptOutcome::End::NotRun:
      out.error("Cannot run " + what + ": " + o.error);
      break;
  }
}

// Left to right: status first, start only what is not running.
GroupJob::Result GroupJob::next_acquire(Out& out) {
  if (index_ >= static_cast<int>(group_.resources.size())) return finished();
  auto path = context_.locate(current().script);
  if (!path) {
    // heartbeat complains twice (status, then start) and gives up the group.
    out.error("Cannot locate resource script " + current().script);
    out.error("Cannot locate resource script " + current().script);
    return give_up_group(out);
  }
  path_ = *path;
  step_ = Step::Status;
  call(path_, Op::Status, out);
  return Result::Busy;
}

GroupJob::Result GroupJob::after_status(const ScriptOutcome& o, Out& out) {
  if (o.end == ScriptOutcome::End::TimedOut)
    out.warn(describe_call(path_, current().args, Op::Status) + " timed out after " +
             seconds_text(o.elapsed_ms) + ": taken as not running");
  if (says_running(o.output)) {
    ++index_;
    return next_acquire(out);
  }
  out.info("Running " + describe_call(path_, current().args, Op::Start));
  step_ = Step::Start;
  call(path_, Op::Start, out);
  return Result::Busy;
}

GroupJob::Result GroupJob::after_start(const ScriptOutcome& o, Out& out) {
  if (o.ok()) {
    ++index_;
    return next_acquire(out);
  }
  log_failure(path_, Op::Start, o, out);
  return give_up_group(out);
}

GroupJob::Result GroupJob::give_up_group(Out& out) {
  start_failed_ = true;
  failed_token_ = current().token;
  out.crit("Giving up resources due to failure of " + current().token);
  out.info("Releasing resource group: " + group_.line);
  first_ = 0;  // a failed start gives up the whole group
  index_ = static_cast<int>(group_.resources.size()) - 1;
  return next_release(out);
}

// Right to left, stop whatever its state.
GroupJob::Result GroupJob::next_release(Out& out) {
  if (index_ < first_) return finished();
  tries_ = 0;
  return stop_current(out);
}

GroupJob::Result GroupJob::stop_current(Out& out) {
  auto path = context_.locate(current().script);
  step_ = Step::Stop;
  if (!path) {
    out.error("Cannot locate resource script " + current().script);
    path_.clear();
    ScriptOutcome failed;
    failed.end = ScriptOutcome::End::Exited;
    failed.exit_code = 1;
    return after_stop(failed, out);
  }
  path_ = *path;
  out.info("Running " + describe_call(path_, current().args, Op::Stop));
  call(path_, Op::Stop, out);
  return Result::Busy;
}

GroupJob::Result GroupJob::after_stop(const ScriptOutcome& o, Out& out) {
  if (o.ok()) {
    --index_;
    return next_release(out);
  }
  if (!path_.empty()) log_failure(path_, Op::Stop, o, out);
  bool may_retry = context_.stop_retries <= 0 || tries_ < context_.stop_retries;
  if (may_retry) {
    step_ = Step::RetryWait;
    retry_at_ = now_ + kStopRetryDelayMs;
    return Result::Busy;
  }
  if (path_.empty()) return after_final_status(ScriptOutcome{}, out);
  step_ = Step::FinalStatus;
  call(path_, Op::Status, out);
  return Result::Busy;
}

GroupJob::Result GroupJob::after_final_status(const ScriptOutcome& o, Out& out) {
  const std::string& token = current().token;
  if (says_running(o.output)) {
    out.crit("Resource STOP failure. Reboot required!");
    out.crit("Killing heartbeat ungracefully!");
    failed_token_ = token;
    out.reboot();
    step_ = Step::Idle;
    return Result::RebootRequired;
  }
  out.error("Resource script for " + token + " probably not LSB-compliant.");
  out.warn("it (" + token + ") MUST succeed on a stop when already stopped");
  out.warn("Machine reboot narrowly avoided!");
  --index_;
  return next_release(out);
}

GroupJob::Result GroupJob::finished() const {
  return start_failed_ ? Result::StartFailed : Result::Done;
}

}  // namespace hbd::resources
