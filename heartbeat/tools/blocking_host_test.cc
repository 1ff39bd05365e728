#include "tools/blocking_host.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "test/temp_dir.h"

using namespace hbd;
using namespace hbd::tools;

namespace {

std::string script(const hbd::testing::TempDir& dir, const std::string& body) {
  std::string path = dir.path() + "/s";
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  ::chmod(path.c_str(), 0755);
  return path;
}

resources::ScriptCall call_of(const std::string& path, std::vector<std::string> args,
                              bool capture = false) {
  resources::ScriptCall c;
  c.id = 5;
  c.path = path;
  c.args = std::move(args);
  c.capture_stdout = capture;
  c.timeout_ms = 10000;
  return c;
}

}  // namespace

TEST_CASE("blocking host: exact argv, exit code, output to the debug file", "[tools][rm]") {
  hbd::testing::TempDir dir;
  std::string debug = dir.path() + "/debug";
  std::string s = script(dir, "echo \"out $# [$1] [$2] $HA_X\"; echo err >&2; exit 4");
  BlockingScriptHost host({"PATH=/usr/bin:/bin"}, debug);
  auto c = call_of(s, {"a b*", "start"});
  c.env = {{"HA_X", "x"}};
  resources::ScriptOutcome o = host.run(c, ScriptOutput::DebugFile);
  CHECK(o.id == 5);
  CHECK(o.end == resources::ScriptOutcome::End::Exited);
  CHECK(o.exit_code == 4);
  CHECK(hbd::testing::read_file(debug) == "out 2 [a b*] [start] x\nerr\n");
}

TEST_CASE("blocking host: status output is captured", "[tools][rm]") {
  hbd::testing::TempDir dir;
  std::string s = script(dir, "echo \"r is running\"");
  BlockingScriptHost host({}, "");
  resources::ScriptOutcome o = host.run(call_of(s, {"status"}, true), ScriptOutput::DebugFile);
  CHECK(o.ok());
  CHECK(o.output == "r is running\n");
}

TEST_CASE("blocking host: a script that does not finish in time is ended", "[tools][rm]") {
  hbd::testing::TempDir dir;
  std::string s = script(dir, "exec sleep 60");
  BlockingScriptHost host({}, "");
  auto c = call_of(s, {"start"});
  c.timeout_ms = 100;
  resources::ScriptOutcome o = host.run(c, ScriptOutput::DebugFile);
  CHECK(o.end == resources::ScriptOutcome::End::TimedOut);
}

TEST_CASE("blocking host: a script that cannot run", "[tools][rm]") {
  hbd::testing::TempDir dir;
  BlockingScriptHost host({}, "");
  resources::ScriptOutcome o =
      host.run(call_of(dir.path() + "/missing", {"start"}), ScriptOutput::Stderr);
  CHECK(o.end == resources::ScriptOutcome::End::NotRun);
  CHECK(o.error == "No such file or directory");
}

TEST_CASE("blocking host: waiting", "[tools][rm]") {
  BlockingScriptHost host({}, "");
  int64_t until = host.now_ms() + 30;
  host.wait_until(until);
  CHECK(host.now_ms() >= until);
}
