// The real Server on a temporary socket, a fake SnapshotSource, and the
// real client code of cl_status and hbctl.
#include <ev.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>

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
