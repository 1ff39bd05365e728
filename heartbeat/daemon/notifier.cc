#include "daemon/notifier.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

namespace hbd::daemon {

void NotifyQueue::push(node::NotifyEvent event) {
  events_.push_back(std::move(event));
  while (events_.size() > kNotifyQueueLimit) {
    events_.pop_front();
    ++dropped_;
  }
}

std::optional<NotifyQueue::Run> NotifyQueue::next(const ListHooks& list_hooks) {
  if (running_) return std::nullopt;
  while (hooks_.empty()) {
    if (events_.empty()) return std::nullopt;
    current_ = std::move(events_.front());
    events_.pop_front();
    for (auto& h : list_hooks()) hooks_.push_back(std::move(h));
  }
  Run run{std::move(hooks_.front()), current_};
  hooks_.pop_front();
  running_ = true;
  return run;
}

std::size_t NotifyQueue::take_dropped() {
  std::size_t n = dropped_;
  dropped_ = 0;
  return n;
}

std::vector<std::string> hook_environment(const std::vector<std::string>& base,
                                          const node::NotifyEvent& event) {
  std::vector<std::string> env = base;
  const auto& w = event.words;
  auto word = [&](std::size_t i) { return i < w.size() ? w[i] : std::string(); };
  env.push_back("HBD_EVENT=" + word(0));
  if (word(0) == "node") {
    env.push_back("HBD_NODE=" + word(1));
    env.push_back("HBD_STATUS=" + word(2));
  } else if (word(0) == "link") {
    env.push_back("HBD_NODE=" + word(1));
    env.push_back("HBD_LINK=" + word(2));
    env.push_back("HBD_STATUS=" + word(3));
  } else if (word(0) == "group") {
    env.push_back("HBD_GROUP=" + word(1));
    env.push_back("HBD_STATE=" + word(2));
  } else if (word(0) == "comm") {
    env.push_back("HBD_STATUS=" + word(1));
  }
  return env;
}

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool is_hook_name(const std::string& name) {
  if (name.empty() || name[0] == '.' || ends_with(name, "~")) return false;
  return name.find(".dpkg-") == std::string::npos && name.find(".rpm") == std::string::npos;
}

std::string describe(const node::NotifyEvent& e) {
  std::string out;
  for (const auto& w : e.words) out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace

std::vector<std::string> list_hook_executables(const std::string& directory) {
  std::vector<std::string> hooks;
  DIR* dir = ::opendir(directory.c_str());
  if (!dir) return hooks;
  while (dirent* d = ::readdir(dir)) {
    std::string name = d->d_name;
    if (!is_hook_name(name)) continue;
    std::string path = directory + "/" + name;
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0)
      hooks.push_back(path);
  }
  ::closedir(dir);
  std::sort(hooks.begin(), hooks.end());
  return hooks;
}

Notifier::Notifier(io::ScriptRunner& runner, NotifySettings settings,
                   NotifyQueue::ListHooks list_hooks, OnLog on_log)
    : runner_(runner),
      settings_(std::move(settings)),
      list_hooks_(std::move(list_hooks)),
      on_log_(std::move(on_log)) {}

void Notifier::push(const node::NotifyEvent& event) {
  queue_.push(event);
  if (std::size_t dropped = queue_.take_dropped())
    on_log_(log::Level::Warn, "notify: " + std::to_string(dropped) +
                                   " event(s) dropped: the hooks in " + settings_.directory +
                                   " do not keep up");
  run_next();
}

void Notifier::run_next() {
  std::optional<NotifyQueue::Run> run = queue_.next(list_hooks_);
  if (!run) return;
  io::ScriptSpec spec;
  spec.id = next_id_++;
  spec.argv = {run->hook};
  spec.argv.insert(spec.argv.end(), run->event.words.begin(), run->event.words.end());
  spec.env = hook_environment(settings_.base_env, run->event);
  spec.cwd = "/";
  spec.timeout_ms = settings_.timeout_ms;
  NotifyQueue::Run ran = *run;
  runner_.run(spec, [this, ran](const io::ScriptResult& r) { finished(r, ran); });
}

void Notifier::finished(const io::ScriptResult& r, const NotifyQueue::Run& run) {
  using End = io::ScriptResult::End;
  std::string what = "notify hook " + run.hook + " (" + describe(run.event) + ")";
  if (r.end == End::TimedOut)
    on_log_(log::Level::Warn, what + " did not finish within " +
                                   std::to_string(settings_.timeout_ms) + " ms: killed");
  else if (r.end == End::ExecFailed)
    on_log_(log::Level::Warn, what + " could not run: " + r.error);
  else if (r.end == End::Signalled)
    on_log_(log::Level::Warn, what + " killed by signal " + std::to_string(r.signal));
  else if (r.exit_code != 0)
    on_log_(log::Level::Warn, what + " exited " + std::to_string(r.exit_code));
  queue_.done();
  run_next();
}

}  // namespace hbd::daemon
