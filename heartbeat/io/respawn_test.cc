#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "io/ev_test_loop.h"
#include "io/respawn.h"
#include "test/temp_dir.h"

using hbd::config::ClientChild;
using hbd::io::Credentials;
using hbd::io::RespawnOptions;
using hbd::io::RespawnSupervisor;
using hbd::log::Level;
using hbd::testing::LoopRunner;
using hbd::testing::read_file;
using hbd::testing::TempDir;

namespace {

using Logs = std::vector<std::pair<Level, std::string>>;

// Everybody is root: no privileges needed to "switch" users.
std::optional<Credentials> as_root(const std::string&, std::string&) {
  return Credentials{0, 0, {0}};
}

std::string write_script(const TempDir& dir, const std::string& name, const std::string& body) {
  std::string path = dir.path() + "/" + name;
  std::ofstream(path) << "#!/bin/sh\n" << body;
  ::chmod(path.c_str(), 0755);
  return path;
}

size_t count_prefix(const Logs& logs, const std::string& prefix) {
  return static_cast<size_t>(std::count_if(logs.begin(), logs.end(), [&](const auto& l) {
    return l.second.rfind(prefix, 0) == 0;
  }));
}

struct Fixture {
  LoopRunner loop;
  Logs logs;
  int64_t now = 0;
  RespawnOptions options;

  Fixture() {
    options.clock = [this] { return now; };
    options.env = {"PATH=/usr/bin:/bin", "HA_logfile=/var/log/ha-log"};
  }
  std::unique_ptr<RespawnSupervisor> make(std::vector<ClientChild> clients,
                                          hbd::io::ResolveUser resolve = as_root) {
    return std::make_unique<RespawnSupervisor>(
        loop.loop(), std::move(clients), std::move(resolve),
        [this](Level l, const std::string& t) { logs.emplace_back(l, t); }, options);
  }
};

}  // namespace

TEST_CASE("respawn supervisor: a client runs as its user, in its own group, then exits 100",
          "[respawn]") {
  if (::geteuid() != 0) {
    WARN("needs root to start a client as another user: skipped");
    return;
  }
  TempDir dir;
  ::chmod(dir.path().c_str(), 0777);
  std::string out = dir.path() + "/out";
  std::string cmd = write_script(
      dir, "client",
      "fds=$(readlink /proc/$$/fd/0 /proc/$$/fd/1 /proc/$$/fd/2)\n"
      "{ id -u; id -g; id -G; echo $$; ps -o pgid= $$ | tr -d ' '; pwd; echo \"$HA_logfile\";"
      " echo \"$1|$2\"; echo \"$fds\"; } > " + out + "\nexit 100\n") +
      " one \"two words\"";
  Fixture f;
  f.options.cwd = "/tmp";
  auto sup = f.make({{"nobody", cmd, false, 3}}, hbd::io::resolve_system_user);
  sup->start_all();
  pid_t pid = sup->pid_of(0);
  REQUIRE(pid > 0);
  REQUIRE(f.loop.run_until([&] { return !sup->any_running(); }, 10.));

  std::string error;
  auto nobody = hbd::io::resolve_system_user("nobody", error);
  REQUIRE(nobody);
  std::string uid = std::to_string(nobody->uid), gid = std::to_string(nobody->gid);
  std::string groups;
  for (gid_t g : nobody->groups) groups += (groups.empty() ? "" : " ") + std::to_string(g);
  std::string p = std::to_string(pid);
  CHECK(read_file(out) == uid + "\n" + gid + "\n" + groups + "\n" + p + "\n" + p +
                              "\n/tmp\n/var/log/ha-log\none|two words\n"
                              "/dev/null\n/dev/null\n/dev/null\n");
  CHECK(f.logs == Logs{
                      {Level::Info, "Starting child client \"" + cmd + "\" (" + uid + "," + gid + ")"},
                      {Level::Info, "Starting \"" + cmd + "\" as uid " + uid + "  gid " + gid +
                                        " (pid " + p + ")"},
                      {Level::Warn, "Managed " + cmd + " process " + p + " exited with return code 100."},
                  });
  sup->stop_all();
  CHECK(f.logs.back() == std::make_pair(Level::Info, "client [" + cmd + "] is not running."));
}

TEST_CASE("respawn supervisor: fast deaths are restarted until it gives up", "[respawn]") {
  Fixture f;
  f.options.seconds_per_ms = 1e-6;  // the 1 s restart delay lasts 1 ms here
  auto sup = f.make({{"root", "/bin/sh -c \"exit 3\"", false, 5}});
  sup->start_all();  // the clock stands still: every death is fast
  REQUIRE(f.loop.run_until([&] { return sup->given_up(0); }, 10.));
  CHECK_FALSE(sup->any_running());
  CHECK(count_prefix(f.logs, "Starting \"/bin/sh -c \"exit 3\"\" as uid 0  gid 0 (pid ") == 11);
  CHECK(count_prefix(f.logs, "Managed /bin/sh -c \"exit 3\" process ") == 11);
  CHECK(count_prefix(f.logs, "Respawning client ") == 10);
  CHECK(f.logs.back() == std::make_pair(Level::Error,
                                        std::string("Client /bin/sh -c \"exit 3\" \"respawning too fast\"")));
}

TEST_CASE("respawn supervisor: slow deaths are restarted at once", "[respawn]") {
  Fixture f;
  f.options.clock = [&f] { return f.now += 40000; };  // every run "lasts" 40 s
  auto sup = f.make({{"root", "/bin/sh -c \"exit 4\"", false, 5}});
  sup->start_all();
  REQUIRE(f.loop.run_until([&] { return count_prefix(f.logs, "Respawning client ") >= 3; }, 10.));
  sup->stop_all();
  REQUIRE(f.loop.run_until([&] { return !sup->any_running(); }, 10.));
  CHECK_FALSE(sup->given_up(0));
}

TEST_CASE("respawn supervisor: stop_all terminates the groups in reverse order", "[respawn]") {
  TempDir dir;
  Fixture f;
  std::string bg = dir.path() + "/bg.pid";
  // A client whose own child must go too: SIGTERM goes to the whole group.
  std::string first = write_script(dir, "first", "sleep 60 &\necho $! > " + bg + "\nwait\n");
  auto sup = f.make({{"root", first, false, 1},
                     {"root", "/bin/sh -c \"exit 100\"", false, 2},
                     {"hacluster", "/usr/libexec/heartbeat/ipfail", false, 3},
                     {"root", "/bin/sleep 60", false, 4}});
  sup->start_all();
  pid_t p1 = sup->pid_of(0), p4 = sup->pid_of(3);
  REQUIRE(p1 > 0);
  REQUIRE(p4 > 0);
  CHECK(sup->pid_of(2) == -1);
  REQUIRE(f.loop.run_until([&] { return sup->pid_of(1) == -1 && !read_file(bg).empty(); }, 10.));
  pid_t grandchild = std::stoi(read_file(bg));
  size_t before = f.logs.size();
  sup->stop_all();
  CHECK(Logs(f.logs.begin() + long(before), f.logs.end()) ==
        Logs{{Level::Info, "killing /bin/sleep 60 process group " + std::to_string(p4) + " with signal 15"},
             {Level::Info, "client [/bin/sh -c \"exit 100\"] is not running."},
             {Level::Info, "killing " + first + " process group " + std::to_string(p1) + " with signal 15"}});
  REQUIRE(f.loop.run_until([&] { return !sup->any_running(); }, 10.));
  CHECK(f.logs.size() == before + 3);  // their deaths are not logged, nothing restarts
  CHECK(hbd::testing::wait_for([&] {
    std::string stat = read_file("/proc/" + std::to_string(grandchild) + "/stat");
    return stat.empty() || stat.find(") Z ") != std::string::npos;
  }));
  // The ipfail line came at start, once.
  CHECK(count_prefix(f.logs, "respawn /usr/libexec/heartbeat/ipfail (ha.cf line 3): ipfail is "
                             "built into hbd") == 1);
  sup->start_all();  // after a stop: nothing
  CHECK_FALSE(sup->any_running());
}

TEST_CASE("respawn supervisor: an unknown user is an error, the others start", "[respawn]") {
  Fixture f;
  auto sup = f.make({{"nosuchuser", "/bin/sleep 60", false, 1}, {"root", "/bin/sleep 60", false, 2}},
                    [](const std::string& user, std::string& error) -> std::optional<Credentials> {
                      if (user == "root") return Credentials{0, 0, {0}};
                      error = "no such user";
                      return std::nullopt;
                    });
  sup->start_all();
  CHECK(sup->pid_of(0) == -1);
  CHECK(sup->pid_of(1) > 0);
  CHECK(f.logs.front() ==
        std::make_pair(Level::Error, std::string("Cannot start client \"/bin/sleep 60\": user nosuchuser: no such user")));
  sup->stop_all();
  REQUIRE(f.loop.run_until([&] { return !sup->any_running(); }, 10.));
}
