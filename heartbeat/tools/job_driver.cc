#include "tools/job_driver.h"

namespace hbd::tools {

using resources::Action;
using resources::GroupJob;
using resources::ScriptOutcome;

const char* script_level_word(log::Level level) {
  switch (level) {
    case log::Level::Emerg: return "EMERG";
    case log::Level::Alert: return "ALERT";
    case log::Level::Crit: return "CRIT";
    case log::Level::Error: return "ERROR";
    case log::Level::Warn: return "WARN";
    case log::Level::Notice: return "notice";
    case log::Level::Info: return "info";
    case log::Level::Debug: return "debug";
  }
  return "info";
}

int shell_status(const ScriptOutcome& o) {
  switch (o.end) {
    case ScriptOutcome::End::Exited: return o.exit_code;
    case ScriptOutcome::End::Signalled: return 128 + o.signal;
    case ScriptOutcome::End::TimedOut:
    case ScriptOutcome::End::NotRun: return 1;
  }
  return 1;
}

namespace {

// Feeds the job's actions to the host until it needs nothing more.
class Driver {
 public:
  Driver(const resources::Group& group, GroupJob::Kind kind, const resources::JobContext& context,
         ScriptHost& host, ScriptLog& log)
      : job_(group, kind, context), host_(host), log_(log) {}

  DriveResult run() {
    resources::Actions actions;
    resources::Out out(actions);
    GroupJob::Result result = job_.begin(host_.now_ms(), out);
    for (;;) {
      auto call = take_actions(actions);
      if (call) {
        ScriptOutcome o = host_.run(*call, ScriptOutput::DebugFile);
        o.id = call->id;
        note_failure(*call, o);
        result = job_.on_outcome(o, host_.now_ms(), out);
        continue;
      }
      if (result != GroupJob::Result::Busy || job_.deadline() == 0) break;
      host_.wait_until(job_.deadline());
      result = job_.on_time(host_.now_ms(), out);
    }
    return finish(result);
  }

 private:
  // Logs what the job said; returns the script it asked for, if any.
  std::optional<resources::ScriptCall> take_actions(resources::Actions& actions) {
    std::optional<resources::ScriptCall> call;
    for (auto& a : actions) {
      if (a.kind == Action::Kind::Log && a.level != log::Level::Debug)
        log_.log(std::string(script_level_word(a.level)) + ": " + a.text);
      else if (a.kind == Action::Kind::RunScript)
        call = std::move(a.call);
      else if (a.kind == Action::Kind::Reboot)
        reboot_asked_ = true;
    }
    actions.clear();
    return call;
  }

  void note_failure(const resources::ScriptCall& call, const ScriptOutcome& o) {
    if (o.ok() || call.args.empty()) return;
    const std::string& op = call.args.back();
    if (op == "start") failed_start_ = shell_status(o);
    if (op == "stop") failed_stop_ = shell_status(o);
  }

  DriveResult finish(GroupJob::Result result) {
    DriveResult r;
    r.result = result;
    if (result == GroupJob::Result::StartFailed) r.exit_code = failed_start_;
    if (result == GroupJob::Result::RebootRequired || reboot_asked_) {
      r.exit_code = failed_stop_;
      log_.log("CRIT: Not rebooting: ResourceManager run by hand leaves that to you (hbd); " +
               job_.failed_token() + " is still running");
    }
    return r;
  }

  GroupJob job_;
  ScriptHost& host_;
  ScriptLog& log_;
  bool reboot_asked_ = false;
  int failed_start_ = 1;  // no start ran: the script could not be found
  int failed_stop_ = 1;
};

}  // namespace

DriveResult drive_group_job(const resources::Group& group, GroupJob::Kind kind,
                            const resources::JobContext& context, ScriptHost& host,
                            ScriptLog& log) {
  return Driver(group, kind, context, host, log).run();
}

}  // namespace hbd::tools
