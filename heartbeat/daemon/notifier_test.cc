#include "daemon/notifier.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "daemon/test_support.h"
#include "test/temp_dir.h"

using namespace hbd;
using namespace hbd::daemon;
using hbd::node::NotifyEvent;
using hbd::daemon::testing::FakeScriptRunner;

namespace {

NotifyEvent ev(std::vector<std::string> words) { return {std::move(words)}; }

struct Logs {
  std::vector<std::string> lines;
  Notifier::OnLog sink() {
    return [this](log::Level, const std::string& t) { lines.push_back(t); };
  }
};

}  // namespace

TEST_CASE("notify: one hook at a time, every hook of an event before the next event",
          "[daemon][notify]") {
  FakeScriptRunner runner;
  Logs logs;
  NotifySettings s;
  s.directory = "/etc/ha.d/notify.d";
  s.timeout_ms = 3000;
  s.base_env = {"HA_LOGFILE=/var/log/ha-log"};
  Notifier n(runner, s, [] { return std::vector<std::string>{"/n/10-mail", "/n/20-page"}; },
             logs.sink());
  n.push(ev({"node", "node2", "dead"}));
  n.push(ev({"group", "198.18.1.200/24", "starting"}));
  REQUIRE(runner.started.size() == 1);  // the second waits: never two at once
  CHECK(runner.started[0].argv == std::vector<std::string>{"/n/10-mail", "node", "node2", "dead"});
  CHECK(runner.started[0].timeout_ms == 3000);
  CHECK(runner.started[0].env == std::vector<std::string>{"HA_LOGFILE=/var/log/ha-log",
                                                          "HBD_EVENT=node", "HBD_NODE=node2",
                                                          "HBD_STATUS=dead"});
  runner.complete(0);
  REQUIRE(runner.started.size() == 2);
  CHECK(runner.started[1].argv[0] == "/n/20-page");
  CHECK(runner.started[1].argv[3] == "dead");
  runner.complete(3);  // a failing hook is logged, the rest still run
  REQUIRE(runner.started.size() == 3);
  CHECK(runner.started[2].argv ==
        std::vector<std::string>{"/n/10-mail", "group", "198.18.1.200/24", "starting"});
  CHECK(logs.lines == std::vector<std::string>{"notify hook /n/20-page (node node2 dead) exited 3"});
  runner.complete(0);
  runner.complete(0);
  CHECK(runner.started.size() == 4);
  CHECK_FALSE(runner.busy());
}

TEST_CASE("notify: a queue that hooks cannot keep up with drops its oldest, and says so",
          "[daemon][notify]") {
  NotifyQueue q;
  auto one_hook = [] { return std::vector<std::string>{"/n/h"}; };
  for (std::size_t i = 0; i < kNotifyQueueLimit + 5; ++i) q.push(ev({"node", std::to_string(i), "up"}));
  CHECK(q.take_dropped() == 5);
  CHECK(q.take_dropped() == 0);
  auto first = q.next(one_hook);
  REQUIRE(first);
  CHECK(first->event.words[1] == "5");  // 0..4 were the oldest
  CHECK_FALSE(q.next(one_hook));        // one at a time
  q.done();
  CHECK(q.next(one_hook)->event.words[1] == "6");
}

TEST_CASE("notify: no hooks means nothing runs; hooks are listed when an event's turn comes",
          "[daemon][notify]") {
  NotifyQueue q;
  std::vector<std::string> hooks;
  q.push(ev({"comm", "up"}));
  CHECK_FALSE(q.next([&] { return hooks; }));  // the event is spent on no hooks
  hooks = {"/n/new"};
  q.push(ev({"node", "node2", "active"}));
  auto run = q.next([&] { return hooks; });
  REQUIRE(run);
  CHECK(run->hook == "/n/new");
}

TEST_CASE("notify: environments per event kind", "[daemon][notify]") {
  CHECK(hook_environment({}, ev({"link", "node2", "eth1", "dead"})) ==
        std::vector<std::string>{"HBD_EVENT=link", "HBD_NODE=node2", "HBD_LINK=eth1",
                                 "HBD_STATUS=dead"});
  CHECK(hook_environment({}, ev({"group", "g", "failed"})) ==
        std::vector<std::string>{"HBD_EVENT=group", "HBD_GROUP=g", "HBD_STATE=failed"});
  CHECK(hook_environment({}, ev({"comm", "up"})) ==
        std::vector<std::string>{"HBD_EVENT=comm", "HBD_STATUS=up"});
}

TEST_CASE("notify: the hooks are the directory's executables, sorted, leftovers skipped",
          "[daemon][notify]") {
  hbd::testing::TempDir dir;
  auto make = [&](const std::string& name, mode_t mode) {
    std::string p = dir.path() + "/" + name;
    std::ofstream(p) << "#!/bin/sh\n";
    ::chmod(p.c_str(), mode);
  };
  make("20-page", 0755);
  make("10-mail", 0755);
  make("README", 0644);
  make("30-old~", 0755);
  make("40-x.dpkg-dist", 0755);
  make(".hidden", 0755);
  ::mkdir((dir.path() + "/50-dir").c_str(), 0755);
  CHECK(list_hook_executables(dir.path()) ==
        std::vector<std::string>{dir.path() + "/10-mail", dir.path() + "/20-page"});
  CHECK(list_hook_executables(dir.path() + "/missing").empty());
}
