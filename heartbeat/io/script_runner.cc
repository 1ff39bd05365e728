#include "io/script_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "io/clock.h"
#include "io/spawn.h"

namespace hbd::io {

struct EvScriptRunner::Job {
  EvScriptRunner* runner = nullptr;
  uint64_t key = 0;
  uint64_t id = 0;
  Done done;
  pid_t pid = -1;
  std::string start_error;  // the process could not be created
  int setup_fd = -1;        // spawn's report pipe
  int capture_fd = -1;      // read end of the stdout pipe
  std::string captured;
  std::string output_error;
  int64_t started_ms = 0;
  double timeout_s = 0.;     // 0: none
  bool timed_out = false;
  bool terminating = false;  // terminate_all()
  ev_child child;
  ev_timer timeout;
  ev_timer kill;
  ev_io output;
};

namespace {

// A daemon left behind holding the pipe can write without end: reading
// what is there at exit stops after this much.
constexpr size_t kMaxDrainBytes = 1 << 20;
constexpr int kMaxReadsPerWakeup = 16;

EvScriptRunner::Job& job_of(void* data) { return *static_cast<EvScriptRunner::Job*>(data); }

void child_cb(struct ev_loop*, ev_child* w, int) {
  auto& job = job_of(w->data);
  job.runner->on_child_exit(job, w->rstatus);
}
void timeout_cb(struct ev_loop*, ev_timer* w, int) {
  auto& job = job_of(w->data);
  job.runner->on_timeout(job);
}
void kill_cb(struct ev_loop*, ev_timer* w, int) {
  auto& job = job_of(w->data);
  job.runner->on_kill_grace_over(job);
}
void output_cb(struct ev_loop*, ev_io* w, int) {
  auto& job = job_of(w->data);
  job.runner->on_output(job);
}

int open_output(const std::string& path, std::string& error) {
  if (path.empty()) return -1;
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) error = "cannot open " + path + ": " + std::strerror(errno);
  return fd;
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

EvScriptRunner::EvScriptRunner(struct ev_loop* loop, ScriptRunnerOptions options)
    : loop_(loop), options_(std::move(options)) {
  if (!options_.clock) options_.clock = monotonic_ms;
}

EvScriptRunner::~EvScriptRunner() {
  for (auto& [key, job] : jobs_) {
    ev_child_stop(loop_, &job->child);
    ev_timer_stop(loop_, &job->timeout);
    ev_timer_stop(loop_, &job->kill);
    ev_io_stop(loop_, &job->output);
    close_fd(job->setup_fd);
    close_fd(job->capture_fd);
  }
}

void EvScriptRunner::run(const ScriptSpec& spec, Done done) {
  auto job = std::make_unique<Job>();
  job->runner = this;
  job->key = next_key_++;
  job->id = spec.id;
  job->done = std::move(done);
  job->started_ms = options_.clock();
  ev_child_init(&job->child, child_cb, 0, 0);
  ev_timer_init(&job->timeout, timeout_cb, 0., 0.);
  ev_timer_init(&job->kill, kill_cb, 0., 0.);
  ev_io_init(&job->output, output_cb, -1, EV_READ);
  job->child.data = job->timeout.data = job->kill.data = job->output.data = job.get();

  int output_fd = open_output(spec.output_path, job->output_error);
  int pipe_fds[2] = {-1, -1};
  SpawnRequest request{spec.argv, spec.env, spec.cwd, -1, output_fd, output_fd, std::nullopt};
  if (spec.capture_stdout) {
    if (::pipe2(pipe_fds, O_CLOEXEC) == 0) {
      ::fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
      job->capture_fd = pipe_fds[0];
      request.stdout_fd = pipe_fds[1];
    } else {
      job->start_error = std::string("pipe: ") + std::strerror(errno);
    }
  }
  if (job->start_error.empty()) {
    Spawned child = spawn(request, job->start_error);
    job->pid = child.pid;
    job->setup_fd = child.setup_error_fd;
  }
  close_fd(output_fd);
  close_fd(pipe_fds[1]);
  if (job->pid < 0) close_fd(job->capture_fd);
  if (spec.timeout_ms > 0) job->timeout_s = spec.timeout_ms / 1000.;
  start_job(std::move(job));
}

void EvScriptRunner::start_job(std::unique_ptr<Job> job) {
  if (job->pid < 0) {
    // Reported from the loop like every other end, never from run().
    ev_timer_set(&job->timeout, 0., 0.);
    ev_timer_start(loop_, &job->timeout);
  } else {
    ev_child_set(&job->child, job->pid, 0);
    ev_child_start(loop_, &job->child);
    if (job->timeout_s > 0.) {
      // The loop's cached time may be seconds old (a run() after slow work, or from
      // outside the loop): the timeout counts from the script's start, not from then.
      ev_now_update(loop_);
      ev_timer_set(&job->timeout, job->timeout_s, 0.);
      ev_timer_start(loop_, &job->timeout);
    }
    if (job->capture_fd >= 0) {
      ev_io_set(&job->output, job->capture_fd, EV_READ);
      ev_io_start(loop_, &job->output);
    }
  }
  uint64_t key = job->key;
  jobs_.emplace(key, std::move(job));
}

void EvScriptRunner::signal_group(Job& job, int signal) {
  if (job.pid > 0) ::kill(-job.pid, signal);
}

void EvScriptRunner::on_timeout(Job& job) {
  if (job.pid < 0) {
    finish(job, 0);
    return;
  }
  job.timed_out = true;
  signal_group(job, SIGTERM);
  if (!ev_is_active(&job.kill)) {
    ev_timer_set(&job.kill, options_.kill_grace_ms / 1000., 0.);
    ev_timer_start(loop_, &job.kill);
  }
}

void EvScriptRunner::on_kill_grace_over(Job& job) { signal_group(job, SIGKILL); }

void EvScriptRunner::terminate_all() {
  for (auto& [key, job] : jobs_) {
    if (job->pid < 0) continue;
    job->terminating = true;
    signal_group(*job, SIGTERM);
    if (!ev_is_active(&job->kill)) {
      ev_now_update(loop_);  // the grace counts from this SIGTERM (see start_job)
      ev_timer_set(&job->kill, options_.kill_grace_ms / 1000., 0.);
      ev_timer_start(loop_, &job->kill);
    }
  }
}

void EvScriptRunner::abandon_all() {
  for (auto& [key, job] : jobs_) job->done = nullptr;
  terminate_all();
}

void EvScriptRunner::on_output(Job& job) { read_output(job, false); }

// Keeps the first capture_limit bytes. `drain`: the script is gone, so read
// only what is already in the pipe (a daemon it started may keep the write
// end open for ever: never wait for EOF).
void EvScriptRunner::read_output(Job& job, bool drain) {
  char buf[16384];
  size_t total = 0;
  for (int reads = 0; job.capture_fd >= 0 && (drain || reads < kMaxReadsPerWakeup); ++reads) {
    ssize_t n = ::read(job.capture_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0 || errno != EAGAIN) {
        ev_io_stop(loop_, &job.output);
        close_fd(job.capture_fd);
      }
      return;
    }
    size_t room = options_.capture_limit - std::min(options_.capture_limit, job.captured.size());
    job.captured.append(buf, std::min(room, static_cast<size_t>(n)));
    total += static_cast<size_t>(n);
    if (drain && total >= kMaxDrainBytes) return;
  }
}

void EvScriptRunner::on_child_exit(Job& job, int status) { finish(job, status); }

void EvScriptRunner::finish(Job& job, int status) {
  ev_child_stop(loop_, &job.child);
  ev_timer_stop(loop_, &job.timeout);
  ev_timer_stop(loop_, &job.kill);
  // A script we ended may have left members of its group behind; they go
  // now, while its pid (their group id) cannot have been reused yet.
  if (job.timed_out || job.terminating) signal_group(job, SIGKILL);
  read_output(job, true);
  ev_io_stop(loop_, &job.output);
  close_fd(job.capture_fd);

  ScriptResult result;
  result.id = job.id;
  result.pid = job.pid;
  result.elapsed_ms = options_.clock() - job.started_ms;
  result.stdout_text = std::move(job.captured);
  result.output_error = std::move(job.output_error);
  std::string why = job.pid < 0 ? job.start_error : setup_error(job.setup_fd);
  job.setup_fd = -1;
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  if (!why.empty()) {
    result.end = ScriptResult::End::ExecFailed;
    result.error = why;
  } else if (job.timed_out) {
    result.end = ScriptResult::End::TimedOut;
  } else if (WIFSIGNALED(status)) {
    result.end = ScriptResult::End::Signalled;
  }

  // The job goes before `done` runs: done may start scripts or destroy us.
  auto node = jobs_.extract(job.key);
  Done done = std::move(node.mapped()->done);
  node = {};
  if (done) done(result);
}

}  // namespace hbd::io
