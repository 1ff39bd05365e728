// The real Server on a temporary socket, a fake SnapshotSource, and the
// real client code of cl_status and hbctl.
#include <ev.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstring>
#include <utility>

#include "control/client.h"
#include "control/server.h"
#include "control/socket_util.h"
#include "control/test_support.h"
#include "tools/cl_status.h"
#include "tools/hbctl.h"

using namespace hbd::control;
using namespace hbd::control::testing;
using namespace hbd::tools;

namespace {

ClStatusOutcome cl_status(const std::string& path, std::vector<std::string> args, int timeout_ms = 5000) {
  ClStatusCommand cmd = parse_cl_status(args);
  FetchResult r = fetch_snapshot(path, timeout_ms);
  return r.status == FetchStatus::Ok ? answer(cmd, r.snapshot) : answer_unreachable(cmd, r.status, r.detail);
}

}  // namespace

TEST_CASE("cl_status and hbctl against a real server", "[tools]") {
  TempDir dir;
  struct ev_loop* loop = ev_loop_new(EVFLAG_AUTO);
  FakeSource source;
  source.current = two_node_snapshot();
  std::string path = dir.path() + "/run/hbd.sock";
  ClStatusOutcome running, nodes, link, param, stopped;
  HbctlOutcome json;
  {
    Server server(loop, path, source);
    serve_while(loop, [&] {
      running = cl_status(path, {"hbstatus"});
      nodes = cl_status(path, {"listnodes", "-n", "-m"});
      link = cl_status(path, {"hblinkstatus", "NODEB", "eth0"});
      param = cl_status(path, {"parameter", "-p", "deadping"});
      json = run_hbctl({"status", "--json"}, fetch_snapshot, path);
    });
  }
  stopped = cl_status(path, {"hbstatus"});  // the server is gone
  ev_loop_destroy(loop);

  CHECK(running.out == "Heartbeat is running on this machine.\n");
  CHECK(running.exit_code == 0);
  CHECK(nodes.out == "The nodes are as follow:\nnodea\nnodeb\n");
  CHECK(link.out == "dead\n");
  CHECK(link.exit_code == 1);
  CHECK(param.out == "6000ms\n");
  CHECK(json.exit_code == 0);
  CHECK(json.out == format_status_json(two_node_snapshot()));
  CHECK(stopped.out == "Heartbeat is stopped on this machine.\n");
  CHECK(stopped.exit_code == 1);
  CHECK(source.calls == 5);
}

TEST_CASE("cl_status gives up with exit 12 on a daemon that does not answer", "[tools]") {
  TempDir dir;
  // A listening socket nobody serves: connect succeeds, no answer ever comes.
  int fd = bind_private_socket(dir.path() + "/mute.sock");
  ClStatusOutcome o = cl_status(dir.path() + "/mute.sock", {"nodestatus", "nodea"}, 200);
  ::close(fd);
  CHECK(o.exit_code == 12);
  CHECK(o.out.empty());
}

namespace {

// Runs a shell command, returning its stdout and exit status.
std::pair<std::string, int> run_command(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return {"", -1};
  char buf[256];
  while (std::fgets(buf, sizeof buf, pipe)) out += buf;
  int status = ::pclose(pipe);
  return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

}  // namespace

// The installed-binary path: cl_status run as root is answered; run as
// nobody, with the socket opened up so only SO_PEERCRED stands in its way,
// it is refused the way heartbeat refuses a client.
TEST_CASE("the cl_status binary: root is answered, others are refused", "[tools]") {
  if (::geteuid() != 0) {
    WARN("needs root to run cl_status as another user: skipped");
    return;
  }
  // As root (make check, CI) a missing binary is a failure, not a skip.
  REQUIRE(::access("./cl_status", X_OK) == 0);  // run from the build directory
  REQUIRE(::access("/usr/bin/setpriv", X_OK) == 0);
  TempDir dir;
  struct ev_loop* loop = ev_loop_new(EVFLAG_AUTO);
  FakeSource source;
  source.current = two_node_snapshot();
  std::string path = dir.path() + "/hbd.sock";
  std::pair<std::string, int> as_root, as_nobody, nobody_list;
  {
    Server server(loop, path, source);
    ::chmod(dir.path().c_str(), 0755);
    ::chmod(path.c_str(), 0666);
    std::string env = "HBD_CONTROL_SOCKET=" + path + " ";
    std::string nobody = "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups ";
    serve_while(loop, [&] {
      as_root = run_command(env + "./cl_status listnodes 2>&1");
      as_nobody = run_command(env + nobody + "./cl_status hbstatus 2>&1");
      nobody_list = run_command(env + nobody + "./cl_status listnodes 2>/dev/null");
    });
  }
  ev_loop_destroy(loop);
  CHECK(as_root == std::make_pair(std::string("nodea\nnodeb\n198.18.0.254\n"), 0));
  CHECK(as_nobody ==
        std::make_pair(std::string("Heartbeat is apparently running on this machine, but refuses my connection\n"), 0));
  CHECK(nobody_list == std::make_pair(std::string(), 1));
  CHECK(source.calls == 1);
}
