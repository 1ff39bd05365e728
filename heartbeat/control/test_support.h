// Test helpers: a temporary directory, a fake SnapshotSource, and a way to
// run blocking client code while an event loop serves. Catch2 assertions are
// not thread-safe, so client code only collects results for the main thread.
#pragma once
#include <ev.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "control/snapshot.h"
#include "test/temp_dir.h"

namespace hbd::control::testing {

using hbd::testing::TempDir;

class FakeSource : public SnapshotSource {
 public:
  Snapshot snapshot() const override {
    int n = ++calls;
    return n == 1 && first ? *first : current;
  }
  std::string cleanup(const std::string& target) override {
    cleaned.push_back(target);
    return target == "unknown" ? "no resource group or resource named 'unknown' in haresources" : "";
  }
  Snapshot current;
  const Snapshot* first = nullptr;  // answered to the first request only
  mutable std::atomic<int> calls{0};
  std::vector<std::string> cleaned;  // the targets of cleanup requests
};

inline void break_loop(struct ev_loop* loop, ev_async*, int) { ev_break(loop, EVBREAK_ALL); }

// Runs `client` on its own thread while `loop` serves; returns when it is done.
template <class Client>
void serve_while(struct ev_loop* loop, Client client) {
  ev_async done;
  ev_async_init(&done, break_loop);
  ev_async_start(loop, &done);
  std::thread thread([&] {
    client();
    ev_async_send(loop, &done);
  });
  ev_run(loop, 0);
  thread.join();
  ev_async_stop(loop, &done);
}

inline Snapshot two_node_snapshot() {
  Snapshot s;
  s.version = "0.1.0";
  s.local_node = "nodea";
  s.pid = 1234;
  s.rsc_status = "local";
  s.comm_up = true;
  s.nodes.push_back(NodeState{"nodea", "normal", "active", {{"eth0", "up"}}});
  s.nodes.push_back(NodeState{"nodeb", "normal", "dead", {{"eth0", "dead"}, {"eth1", "up"}}});
  s.nodes.push_back(NodeState{"198.18.0.254", "ping", "ping", {{"198.18.0.254", "up"}}});
  s.nodes[1].heard_ms_ago = 7200;
  s.nodes[2].heard_ms_ago = 430;
  s.parameters["deadtime"] = "6";
  s.parameters["deadping"] = "6000ms";
  return s;
}

}  // namespace hbd::control::testing
