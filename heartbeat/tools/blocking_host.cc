#include "tools/blocking_host.h"

#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

#include "daemon/resource_settings.h"
#include "io/clock.h"

namespace hbd::tools {

namespace {

void signal_cb(struct ev_loop*, ev_signal* w, int) {
  static_cast<BlockingScriptHost*>(w->data)->on_signal(w->signum);
}

void relay_cb(struct ev_loop*, ev_io* w, int) {
  static_cast<BlockingScriptHost*>(w->data)->on_relay_readable();
}

}  // namespace

BlockingScriptHost::BlockingScriptHost(std::vector<std::string> environment, std::string debug_file)
    : loop_(ev_default_loop(EVFLAG_AUTO)),
      runner_(loop_),
      environment_(std::move(environment)),
      debug_file_(std::move(debug_file)) {
  ev_signal_init(&sigint_, signal_cb, SIGINT);
  ev_signal_init(&sigterm_, signal_cb, SIGTERM);
  ev_io_init(&relay_, relay_cb, -1, EV_READ);
  sigint_.data = sigterm_.data = relay_.data = this;
}

BlockingScriptHost::~BlockingScriptHost() {
  ev_signal_stop(loop_, &sigint_);
  ev_signal_stop(loop_, &sigterm_);
  close_relay();
}

std::string BlockingScriptHost::open_relay() {
  if (::pipe2(relay_fds_, O_CLOEXEC) != 0) return "";  // the output is lost, nothing worse
  ::fcntl(relay_fds_[0], F_SETFL, O_NONBLOCK);
  ev_io_set(&relay_, relay_fds_[0], EV_READ);
  ev_io_start(loop_, &relay_);
  // Linux opens the pipe itself through its /proc link.
  return "/proc/self/fd/" + std::to_string(relay_fds_[1]);
}

void BlockingScriptHost::on_relay_readable() {
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(relay_fds_[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) ev_io_stop(loop_, &relay_);
      return;
    }
    (void)!::write(STDERR_FILENO, buf, static_cast<size_t>(n));
  }
}

// What is in the pipe when the script is gone is copied; a daemon it left
// holding the pipe is not waited for.
void BlockingScriptHost::close_relay() {
  if (relay_fds_[0] < 0) return;
  on_relay_readable();
  ev_io_stop(loop_, &relay_);
  ::close(relay_fds_[0]);
  if (relay_fds_[1] >= 0) ::close(relay_fds_[1]);
  relay_fds_[0] = relay_fds_[1] = -1;
}

void BlockingScriptHost::on_signal(int signum) {
  interrupted_by_ = signum;
  runner_.terminate_all();
}

resources::ScriptOutcome BlockingScriptHost::run(const resources::ScriptCall& call,
                                                 ScriptOutput where) {
  io::ScriptSpec spec;
  spec.id = call.id;
  spec.argv.push_back(call.path);
  spec.argv.insert(spec.argv.end(), call.args.begin(), call.args.end());
  spec.env = daemon::merge_environment(environment_, call.env);
  spec.timeout_ms = call.timeout_ms;
  spec.output_path = where == ScriptOutput::Stderr ? open_relay() : debug_file_;
  spec.capture_stdout = call.capture_stdout;

  bool done = false;
  io::ScriptResult result;
  ev_signal_start(loop_, &sigint_);
  ev_signal_start(loop_, &sigterm_);
  runner_.run(spec, [&](const io::ScriptResult& r) {
    result = r;
    done = true;
  });
  // The runner opened its own end: ours would keep the pipe from EOF.
  if (relay_fds_[1] >= 0) ::close(relay_fds_[1]);
  relay_fds_[1] = -1;
  while (!done) ev_run(loop_, EVRUN_ONCE);
  close_relay();
  ev_signal_stop(loop_, &sigint_);
  ev_signal_stop(loop_, &sigterm_);
  if (interrupted_by_) {
    // The script is gone; now go the way the signal meant.
    ::signal(interrupted_by_, SIG_DFL);
    ::raise(interrupted_by_);
  }
  return daemon::script_outcome(result);
}

int64_t BlockingScriptHost::now_ms() { return io::monotonic_ms(); }

void BlockingScriptHost::wait_until(int64_t ms) {
  for (int64_t left = ms - now_ms(); left > 0; left = ms - now_ms()) {
    timespec ts{static_cast<time_t>(left / 1000), static_cast<long>(left % 1000) * 1000000};
    ::nanosleep(&ts, nullptr);
  }
}

}  // namespace hbd::tools
