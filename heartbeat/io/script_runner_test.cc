#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "io/ev_test_loop.h"
#include "io/script_runner.h"
#include "io/spawn.h"
#include "test/temp_dir.h"

using hbd::io::EvScriptRunner;
using hbd::io::KernelSigaction;
using hbd::io::ScriptResult;
using hbd::io::ScriptRunnerOptions;
using hbd::io::ScriptSpec;
using hbd::testing::LoopRunner;
using hbd::testing::read_file;
using hbd::testing::TempDir;
using End = ScriptResult::End;

namespace {

std::string write_script(const TempDir& dir, const std::string& name, const std::string& body,
                         mode_t mode = 0755) {
  std::string path = dir.path() + "/" + name;
  std::ofstream(path) << "#!/bin/sh\n" << body;
  ::chmod(path.c_str(), mode);
  return path;
}

ScriptSpec spec_for(std::vector<std::string> argv, bool capture = true) {
  ScriptSpec spec;
  spec.argv = std::move(argv);
  spec.env = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
  spec.cwd = "/";
  spec.capture_stdout = capture;
  return spec;
}

// Runs one script to its end on the default loop.
ScriptResult run_one(EvScriptRunner& runner, const ScriptSpec& spec) {
  LoopRunner loop;
  std::optional<ScriptResult> result;
  runner.run(spec, [&](const ScriptResult& r) { result = r; });
  REQUIRE(loop.run_until([&] { return result.has_value(); }));
  return *result;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Gone, or a zombie waiting for init: either way it runs no more.
bool process_gone(pid_t pid) {
  std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  if (stat.empty()) return true;
  auto close = stat.rfind(')');
  return close != std::string::npos && stat.size() > close + 2 && stat[close + 2] == 'Z';
}

pid_t read_pid(const std::string& path) {
  pid_t pid = 0;
  hbd::testing::wait_for([&] { return !read_file(path).empty(); }, 5.);
  std::istringstream(read_file(path)) >> pid;
  return pid;
}

}  // namespace

TEST_CASE("script runner: exit codes and signal deaths", "[script_runner]") {
  TempDir dir;
  EvScriptRunner runner(ev_default_loop(0));
  auto zero = run_one(runner, spec_for({write_script(dir, "ok", "exit 0\n")}));
  CHECK(zero.end == End::Exited);
  CHECK(zero.exit_code == 0);
  auto three = spec_for({write_script(dir, "three", "exit 3\n")});
  three.id = 42;
  auto r3 = run_one(runner, three);
  CHECK(r3.id == 42);
  CHECK(r3.end == End::Exited);
  CHECK(r3.exit_code == 3);
  auto sig = run_one(runner, spec_for({write_script(dir, "usr1", "kill -USR1 $$\nexit 0\n")}));
  CHECK(sig.end == End::Signalled);
  CHECK(sig.signal == SIGUSR1);
  CHECK_FALSE(runner.busy());
}

TEST_CASE("script runner: stdout captured or appended, stderr to the output file",
          "[script_runner]") {
  TempDir dir;
  EvScriptRunner runner(ev_default_loop(0));
  std::string log = dir.path() + "/debug.log";
  std::ofstream(log) << "earlier line\n";
  std::string script = write_script(dir, "talk", "echo out\necho err >&2\necho out2\n");

  auto captured = spec_for({script}, true);
  captured.output_path = log;
  auto r1 = run_one(runner, captured);
  CHECK(r1.stdout_text == "out\nout2\n");
  CHECK(read_file(log) == "earlier line\nerr\n");

  auto appended = spec_for({script}, false);
  appended.output_path = log;
  auto r2 = run_one(runner, appended);
  CHECK(r2.stdout_text.empty());
  CHECK(read_file(log) == "earlier line\nerr\nout\nerr\nout2\n");
  struct stat st;
  REQUIRE(::stat(log.c_str(), &st) == 0);

  std::string fresh = dir.path() + "/new.log";
  auto created = spec_for({script}, false);
  created.output_path = fresh;
  run_one(runner, created);
  REQUIRE(::stat(fresh.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);
  CHECK(read_file(fresh) == "out\nerr\nout2\n");

  auto nowhere = spec_for({script}, true);
  nowhere.output_path = dir.path() + "/missing-dir/x.log";
  auto r3 = run_one(runner, nowhere);
  CHECK(r3.end == End::Exited);
  CHECK(r3.stdout_text == "out\nout2\n");
  CHECK(r3.output_error == "cannot open " + nowhere.output_path + ": No such file or directory");
}

TEST_CASE("script runner: capture keeps the first 64 KiB", "[script_runner]") {
  TempDir dir;
  EvScriptRunner runner(ev_default_loop(0));
  // 200 000 bytes: more than a pipe holds, so the script only finishes if
  // the runner keeps reading while it runs.
  auto r = run_one(runner, spec_for({"/bin/sh", "-c", "head -c 200000 /dev/zero | tr '\\0' x"}));
  CHECK(r.end == End::Exited);
  CHECK(r.exit_code == 0);
  CHECK(r.stdout_text == std::string(64 * 1024, 'x'));
}

TEST_CASE("script runner: arguments arrive literally, never through a shell", "[script_runner]") {
  TempDir dir;
  EvScriptRunner runner(ev_default_loop(0));
  std::ofstream(dir.path() + "/aXb") << "";  // a*b would glob to this
  std::string script = write_script(dir, "args", "for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\n");
  auto spec = spec_for({script, "a*b", "x y", "$HOME", "`id`", "", "start"});
  spec.cwd = dir.path();
  auto r = run_one(runner, spec);
  CHECK(r.stdout_text == "[a*b]\n[x y]\n[$HOME]\n[`id`]\n[]\n[start]\n");
}

TEST_CASE("script runner: the environment is exactly the one given", "[script_runner]") {
  ::setenv("HBD_TEST_LEAK", "should-not-arrive", 1);
  EvScriptRunner runner(ev_default_loop(0));
  auto spec = spec_for({"/bin/sh", "-c", "tr '\\0' '\\n' < /proc/$$/environ"});
  spec.env = {"HA_t=status", "HA_info=two words", "PATH=/bin:/usr/bin", "EMPTY="};
  auto r = run_one(runner, spec);
  ::unsetenv("HBD_TEST_LEAK");
  CHECK(lines(r.stdout_text) == spec.env);
}

TEST_CASE("script runner: working directory, falling back to /", "[script_runner]") {
  TempDir dir;
  EvScriptRunner runner(ev_default_loop(0));
  auto spec = spec_for({"/bin/pwd"});
  spec.cwd = dir.path();
  CHECK(run_one(runner, spec).stdout_text == dir.path() + "\n");
  spec.cwd = dir.path() + "/not-there";
  CHECK(run_one(runner, spec).stdout_text == "/\n");
}

TEST_CASE("script runner: own process group, clean signals, no inherited descriptors",
          "[script_runner]") {
  EvScriptRunner runner(ev_default_loop(0));
  // What the daemon might have: an ignored and a blocked signal, a
  // descriptor without close-on-exec.
  struct sigaction ignore {}, old_action {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old_action);
  sigset_t block, old_mask;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR2);
  ::sigprocmask(SIG_BLOCK, &block, &old_mask);
  int leaked = ::open("/dev/null", O_RDONLY);  // deliberately not O_CLOEXEC
  REQUIRE(leaked >= 0);
  // An ignore of glibc's own signal 33 inherited from hbd's parent (seen in
  // CI): only the kernel's rt_sigaction sets or resets it.
  KernelSigaction ignore_33{SIG_IGN, 0, nullptr, 0}, old_33{};
  REQUIRE(::syscall(SYS_rt_sigaction, 33, &ignore_33, &old_33, sizeof old_33.mask) == 0);

  auto spec = spec_for({"/bin/sh", "-c",
                        // no pipelines: the shell's own fds must be at rest
                        "echo $$; ps -o pgid= $$; ls /proc/$$/fd; readlink /proc/$$/fd/0"});
  auto r = run_one(runner, spec);
  // The program's own view (a shell's children could catch it mid-fork).
  auto masks = run_one(runner, spec_for({"/bin/grep", "-E", "^(SigBlk|SigIgn)", "/proc/self/status"}));
  ::close(leaked);
  ::syscall(SYS_rt_sigaction, 33, &old_33, nullptr, sizeof old_33.mask);
  ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
  ::sigaction(SIGPIPE, &old_action, nullptr);

  auto out = lines(r.stdout_text);
  REQUIRE(out.size() == 6);
  std::string pgid = out[1];
  pgid.erase(0, pgid.find_first_not_of(' '));
  CHECK(pgid == out[0]);
  CHECK(out[0] == std::to_string(r.pid));
  CHECK(std::to_string(::getpgrp()) != out[0]);
  CHECK(std::vector<std::string>(out.begin() + 2, out.begin() + 5) ==
        std::vector<std::string>{"0", "1", "2"});
  CHECK(out[5] == "/dev/null");
  CHECK(masks.stdout_text == "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
}

TEST_CASE("script runner: a realtime daemon's scripts run SCHED_OTHER", "[script_runner]") {
  sched_param rr{};
  rr.sched_priority = 1;
  if (::sched_setscheduler(0, SCHED_RR, &rr) != 0) {
    WARN("cannot switch to SCHED_RR here (needs root / CAP_SYS_NICE): skipped");
    return;
  }
  EvScriptRunner runner(ev_default_loop(0));
  // Field 41 of /proc/PID/stat is the policy: 0 SCHED_OTHER, 2 SCHED_RR.
  auto spec = spec_for({"/bin/sh", "-c", "cut -d' ' -f41 /proc/$$/stat"});
  auto r = run_one(runner, spec);
  std::string own = read_file("/proc/self/stat");
  sched_param other{};
  ::sched_setscheduler(0, SCHED_OTHER, &other);
  CHECK(r.stdout_text == "0\n");
  CHECK(own.find(" 2 ") != std::string::npos);  // we really were SCHED_RR
}

TEST_CASE("script runner: exec failures are reported with the reason", "[script_runner]") {
  TempDir dir;
  EvScriptRunner runner(ev_default_loop(0));
  auto missing = run_one(runner, spec_for({dir.path() + "/no-such-script", "start"}));
  CHECK(missing.end == End::ExecFailed);
  CHECK(missing.error == "No such file or directory");
  std::string plain = write_script(dir, "not-exec", "exit 0\n", 0644);
  auto not_exec = run_one(runner, spec_for({plain, "start"}));
  CHECK(not_exec.end == End::ExecFailed);
  CHECK(not_exec.error == "Permission denied");
  auto empty = run_one(runner, spec_for({}));
  CHECK(empty.end == End::ExecFailed);
  CHECK(empty.error == "no program to run");
}

TEST_CASE("script runner: a timeout ends the script's whole process group", "[script_runner]") {
  TempDir dir;
  std::string bg = dir.path() + "/bg.pid";
  ScriptRunnerOptions options;
  options.kill_grace_ms = 300;
  EvScriptRunner runner(ev_default_loop(0), options);

  SECTION("SIGTERM is enough") {
    auto spec = spec_for({write_script(dir, "hang", "sleep 60 &\necho $! > " + bg + "\nwait\n")});
    spec.timeout_ms = 1000;  // time enough to start the background child, even on a busy machine
    auto r = run_one(runner, spec);
    CHECK(r.end == End::TimedOut);
    CHECK(r.signal == SIGTERM);
    pid_t child = read_pid(bg);
    REQUIRE(child > 0);
    CHECK(hbd::testing::wait_for([&] { return process_gone(child); }));
  }
  SECTION("SIGKILL after the grace period when SIGTERM is ignored") {
    auto spec = spec_for({write_script(
        dir, "stubborn", "trap '' TERM\nsleep 60 &\necho $! > " + bg + "\nwhile :; do sleep 1; done\n")});
    spec.timeout_ms = 1000;  // time enough to start the background child, even on a busy machine
    auto r = run_one(runner, spec);
    CHECK(r.end == End::TimedOut);
    CHECK(r.signal == SIGKILL);
    pid_t child = read_pid(bg);
    REQUIRE(child > 0);
    CHECK(hbd::testing::wait_for([&] { return process_gone(child); }));
  }
  SECTION("the leader dies of SIGTERM, a member ignoring it is killed at once") {
    auto spec = spec_for({write_script(
        dir, "leftover", "(trap '' TERM; exec sleep 60) &\necho $! > " + bg + "\nwait\n")});
    spec.timeout_ms = 1000;  // time enough to start the background child, even on a busy machine
    auto r = run_one(runner, spec);
    CHECK(r.end == End::TimedOut);
    CHECK(r.signal == SIGTERM);
    pid_t child = read_pid(bg);
    REQUIRE(child > 0);
    CHECK(hbd::testing::wait_for([&] { return process_gone(child); }));
  }
}

TEST_CASE("script runner: a timeout counts from the script's start, however long the loop idled",
          "[script_runner]") {
  struct ev_loop* loop = ev_default_loop(0);
  EvScriptRunner runner(loop);
  ev_now_update(loop);
  ::usleep(1200 * 1000);  // slow work outside the loop: its cached time is now 1.2 s old
  auto spec = spec_for({"/bin/sh", "-c", "sleep 0.2; echo finished"});
  spec.timeout_ms = 1000;
  auto r = run_one(runner, spec);
  CHECK(r.end == End::Exited);
  CHECK(r.stdout_text == "finished\n");
}

TEST_CASE("script runner: a daemon left holding stdout does not hold up the result",
          "[script_runner]") {
  TempDir dir;
  EvScriptRunner runner(ev_default_loop(0));
  std::string pidfile = dir.path() + "/daemon.pid";
  // Like an init script starting a daemon that keeps the inherited stdout.
  auto spec = spec_for({write_script(
      dir, "init", "echo Starting foo\nsetsid sleep 60 &\necho $! > " + pidfile + "\necho done\n")});
  auto r = run_one(runner, spec);
  pid_t daemon = read_pid(pidfile);
  REQUIRE(daemon > 0);
  bool daemon_alive_at_result = !process_gone(daemon);
  ::kill(daemon, SIGKILL);
  CHECK(r.end == End::Exited);
  CHECK(r.stdout_text == "Starting foo\ndone\n");
  CHECK(daemon_alive_at_result);
}

TEST_CASE("script runner: the loop keeps running while scripts run, several at once",
          "[script_runner]") {
  TempDir dir;
  LoopRunner loop;
  EvScriptRunner runner(loop.loop());
  // Each script waits (bounded) for a flag file that only a timer in this
  // loop creates: they can only finish with 0 if the loop is not blocked.
  std::string body =
      "i=0\nwhile [ ! -e \"$1\" ]; do i=$((i+1)); [ $i -gt 200 ] && exit 1; sleep 0.05; done\n"
      "exit $2\n";
  std::string script = write_script(dir, "wait-flag", body);
  std::map<uint64_t, ScriptResult> results;
  for (uint64_t id = 1; id <= 3; ++id) {
    auto spec = spec_for({script, dir.path() + "/flag" + std::to_string(id), std::to_string(10 + id)});
    spec.id = id;
    runner.run(spec, [&](const ScriptResult& r) { results[r.id] = r; });
  }
  CHECK(runner.busy());
  CHECK(runner.running() == 3);
  struct Ticker {
    ev_timer timer;
    std::string dir;
    int ticks = 0;
  } ticker{{}, dir.path()};
  ev_timer_init(&ticker.timer,
                [](struct ev_loop*, ev_timer* w, int) {
                  auto* t = static_cast<Ticker*>(w->data);
                  ++t->ticks;
                  if (t->ticks <= 3) std::ofstream(t->dir + "/flag" + std::to_string(t->ticks)) << "";
                },
                0.1, 0.1);
  ticker.timer.data = &ticker;
  ev_timer_start(loop.loop(), &ticker.timer);
  bool all_done = loop.run_until([&] { return results.size() == 3; });
  ev_timer_stop(loop.loop(), &ticker.timer);
  REQUIRE(all_done);
  for (uint64_t id = 1; id <= 3; ++id) {
    CHECK(results[id].end == End::Exited);
    CHECK(results[id].exit_code == static_cast<int>(10 + id));
  }
  CHECK_FALSE(runner.busy());
}

TEST_CASE("script runner: terminate_all ends every running script", "[script_runner]") {
  TempDir dir;
  LoopRunner loop;
  EvScriptRunner runner(loop.loop());
  std::vector<ScriptResult> results;
  std::string script = write_script(dir, "long", "sleep 60\n");
  for (int i = 0; i < 2; ++i) runner.run(spec_for({script}), [&](const ScriptResult& r) {
    results.push_back(r);
  });
  runner.terminate_all();
  REQUIRE(loop.run_until([&] { return !runner.busy(); }));
  REQUIRE(results.size() == 2);
  for (const auto& r : results) {
    CHECK(r.end == End::Signalled);
    CHECK(r.signal == SIGTERM);
  }
}

TEST_CASE("script runner: abandon_all ends the scripts without calling back", "[script_runner]") {
  TempDir dir;
  LoopRunner loop;
  EvScriptRunner runner(loop.loop());
  int called = 0;
  std::string script = write_script(dir, "long", "sleep 60\n");
  runner.run(spec_for({script}), [&](const ScriptResult&) { ++called; });
  runner.abandon_all();  // whoever passed the callback is about to be gone
  REQUIRE(loop.run_until([&] { return !runner.busy(); }));
  CHECK(called == 0);
}

TEST_CASE("script runner: elapsed time comes from the injected clock", "[script_runner]") {
  int64_t now = 1000;
  ScriptRunnerOptions options;
  options.clock = [&] { return now; };
  EvScriptRunner runner(ev_default_loop(0), options);
  LoopRunner loop;
  std::optional<ScriptResult> result;
  runner.run(spec_for({"/bin/true"}), [&](const ScriptResult& r) { result = r; });
  now = 4500;
  REQUIRE(loop.run_until([&] { return result.has_value(); }));
  CHECK(result->elapsed_ms == 3500);
}

TEST_CASE("script runner: done may start the next script", "[script_runner]") {
  LoopRunner loop;
  EvScriptRunner runner(loop.loop());
  std::vector<int> codes;
  runner.run(spec_for({"/bin/sh", "-c", "exit 4"}), [&](const ScriptResult& first) {
    codes.push_back(first.exit_code);
    runner.run(spec_for({"/bin/sh", "-c", "exit 5"}),
               [&](const ScriptResult& second) { codes.push_back(second.exit_code); });
  });
  REQUIRE(loop.run_until([&] { return codes.size() == 2; }));
  CHECK(codes == std::vector<int>{4, 5});
}
