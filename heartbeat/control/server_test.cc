#include "control/server.h"

#include <ev.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <grp.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "control/client.h"
#include "control/protocol.h"
#include "control/socket_util.h"
#include "control/test_support.h"

using namespace hbd::control;
using namespace hbd::control::testing;

namespace {

struct Loop {
  Loop() : loop(ev_loop_new(EVFLAG_AUTO)) {}
  ~Loop() { ev_loop_destroy(loop); }
  struct ev_loop* loop;
};

// Sends `request` raw and reads until the server hangs up.
std::string raw_exchange(const std::string& path, const std::string& request) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "connect failed";
  }
  // A server that never hangs up ends the read after 10 s, not never.
  timeval limit{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string reply;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) reply.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return reply;
}

}  // namespace

TEST_CASE("the server answers snapshot requests with a fresh snapshot", "[control]") {
  TempDir dir;
  Loop l;
  FakeSource source;
  source.current = two_node_snapshot();
  Server server(l.loop, dir.path() + "/run/heartbeat/hbd.sock", source);
  CHECK(server.path() == dir.path() + "/run/heartbeat/hbd.sock");

  FetchResult first, second;
  serve_while(l.loop, [&] {
    first = fetch_snapshot(server.path(), 5000);
    source.current.rsc_status = "all";  // the next request must see the change
    second = fetch_snapshot(server.path(), 5000);
  });
  REQUIRE(first.status == FetchStatus::Ok);
  CHECK(first.snapshot.local_node == "nodea");
  CHECK(first.snapshot.nodes.size() == 3);
  CHECK(first.snapshot.nodes[1].links[1].name == "eth1");
  CHECK(first.snapshot.rsc_status == "local");
  REQUIRE(second.status == FetchStatus::Ok);
  CHECK(second.snapshot.rsc_status == "all");
  CHECK(source.calls == 2);
}

TEST_CASE("the socket is private and its directory is created", "[control]") {
  TempDir dir;
  Loop l;
  FakeSource source;
  std::string path = dir.path() + "/a/b/hbd.sock";
  {
    Server server(l.loop, path, source);
    struct stat st;
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK(S_ISSOCK(st.st_mode));
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat((dir.path() + "/a/b").c_str(), &st) == 0);
    CHECK(S_ISDIR(st.st_mode));
  }
  struct stat st;
  CHECK(::stat(path.c_str(), &st) != 0);  // removed when the server goes
}

TEST_CASE("bad requests get an error line", "[control]") {
  TempDir dir;
  Loop l;
  FakeSource source;
  Server server(l.loop, dir.path() + "/hbd.sock", source);
  std::string unknown, too_long;
  serve_while(l.loop, [&] {
    unknown = raw_exchange(server.path(), "status please\n");
    too_long = raw_exchange(server.path(), std::string(kMaxRequestBytes + 10, 'x'));
  });
  CHECK(unknown == "error unknown request 'status please'\n");
  CHECK(too_long == "error request too long\n");
  CHECK(source.calls == 0);
}

TEST_CASE("a client that never reads does not hold up others", "[control]") {
  TempDir dir;
  Loop l;
  FakeSource source;
  // Far more than a socket buffer holds, so the server must wait to write it.
  Snapshot huge = two_node_snapshot();
  for (int i = 0; i < 40000; ++i) huge.parameters["p" + std::to_string(i)] = std::string(40, 'v');
  source.first = &huge;
  source.current = two_node_snapshot();
  Server server(l.loop, dir.path() + "/hbd.sock", source);

  FetchResult other;
  int stalled = -1;
  serve_while(l.loop, [&] {
    stalled = connect_socket(server.path());
    ::send(stalled, "snapshot\n", 9, MSG_NOSIGNAL);
    // wait (boundedly: a broken server fails the checks below instead of
    // hanging the run) until the server has taken the stalled client's request
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (source.calls == 0 && std::chrono::steady_clock::now() < give_up)
      std::this_thread::yield();
    other = fetch_snapshot(server.path(), 5000);
  });
  ::close(stalled);
  REQUIRE(other.status == FetchStatus::Ok);
  CHECK(other.snapshot.parameters.size() == 2);
  CHECK(source.calls == 2);
}

TEST_CASE("a stale socket is replaced, a live one is not", "[control]") {
  TempDir dir;
  Loop l;
  FakeSource source;
  std::string path = dir.path() + "/hbd.sock";
  int stale = bind_private_socket(path);
  ::close(stale);  // the file stays, nobody listens: as after a crash
  {
    Server server(l.loop, path, source);
    CHECK_THROWS_WITH(Server(l.loop, path, source), Catch::Contains("another daemon is answering there"));
  }
  REQUIRE(::close(::open((dir.path() + "/plain").c_str(), O_CREAT | O_WRONLY, 0600)) == 0);
  CHECK_THROWS_WITH(Server(l.loop, dir.path() + "/plain", source), Catch::Contains("not a socket"));
  CHECK_THROWS_WITH(Server(l.loop, dir.path() + "/" + std::string(200, 'x'), source),
                    Catch::Contains("too long"));
}

TEST_CASE("binding never changes the mode of a file a symlink swapped in points to", "[control]") {
  TempDir dir;
  std::string path = dir.path() + "/hbd.sock";
  std::string target = dir.path() + "/victim";
  REQUIRE(::close(::open(target.c_str(), O_CREAT | O_WRONLY, 0644)) == 0);
  REQUIRE(::chmod(target.c_str(), 0644) == 0);
  int fd = bind_private_socket(path, [&] {
    ::unlink(path.c_str());
    REQUIRE(::symlink(target.c_str(), path.c_str()) == 0);
  });
  ::close(fd);
  struct stat st;
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);
}

TEST_CASE("a socket directory others may write is refused", "[control]") {
  TempDir dir;
  Loop l;
  FakeSource source;
  std::string open_dir = dir.path() + "/run";
  REQUIRE(::mkdir(open_dir.c_str(), 0755) == 0);
  REQUIRE(::chmod(open_dir.c_str(), 0777) == 0);
  CHECK_THROWS_WITH(Server(l.loop, open_dir + "/hbd.sock", source),
                    Catch::Contains("writable by group or others: refusing to use it"));
}

TEST_CASE("the client reports a daemon that is not there", "[control]") {
  TempDir dir;
  FetchResult r = fetch_snapshot(dir.path() + "/nothing.sock", 1000);
  CHECK(r.status == FetchStatus::NotRunning);
  CHECK_FALSE(r.detail.empty());
}

TEST_CASE("a live daemon with a full backlog keeps its socket", "[control]") {
  TempDir dir;
  Loop l;
  FakeSource source;
  std::string path = dir.path() + "/hbd.sock";
  int busy = bind_private_socket(path);  // a daemon that is slow to accept
  std::vector<int> queued;
  int fd;
  while ((fd = connect_socket(path)) >= 0 && queued.size() < 1000) queued.push_back(fd);
  REQUIRE(fd < 0);
  REQUIRE(errno == EAGAIN);
  CHECK_THROWS_WITH(Server(l.loop, path, source), Catch::Contains("another daemon is answering there"));
  struct stat st;
  CHECK(::stat(path.c_str(), &st) == 0);
  for (int q : queued) ::close(q);
  ::close(busy);
}

TEST_CASE("peer_allowed: root, ourselves, and the read group's members only", "[control]") {
  const gid_t haclient = 112;
  CHECK(peer_allowed(0, 0, {}, 0, kNoGroup));
  CHECK(peer_allowed(1000, 1000, {}, 1000, kNoGroup));  // an unprivileged test run
  CHECK_FALSE(peer_allowed(1000, 1000, {haclient}, 0, kNoGroup));  // no read group set
  CHECK(peer_allowed(1000, haclient, {}, 0, haclient));             // its effective gid
  CHECK(peer_allowed(1000, 1000, {27, haclient}, 0, haclient));     // a supplementary group
  CHECK_FALSE(peer_allowed(1000, 1000, {27}, 0, haclient));
}

TEST_CASE("parse_status_groups reads /proc/PID/status's Groups line", "[control]") {
  CHECK(parse_status_groups("\nName:\thbctl\nGroups:\t4 27 112 \nNSpid:\t9\n") ==
        std::vector<gid_t>{4, 27, 112});
  CHECK(parse_status_groups("\nName:\tx\nGroups:\t\nNSpid:\t9\n").empty());
  CHECK(parse_status_groups("\nName:\tx\n").empty());
}

// hbd.ini [status] group: the socket is the group's and 0660 from birth, its
// directory lets the group in, and a process of another user reads the
// status only while it is in that group.
TEST_CASE("a read group's members may read the status, other users may not", "[control]") {
  if (::geteuid() != 0) {
    WARN("not root: cannot change groups; skipped");
    return;
  }
  const gid_t group = 4242, nobody = 65534;
  TempDir dir;
  REQUIRE(::chmod(dir.path().c_str(), 0711) == 0);  // as /run is: others may pass through
  Loop l;
  FakeSource source;
  source.current = two_node_snapshot();
  std::string path = dir.path() + "/heartbeat/hbd.sock";
  Server server(l.loop, path, source, group);
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0660);
  CHECK(st.st_gid == group);
  REQUIRE(::stat((dir.path() + "/heartbeat").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0750);
  CHECK(st.st_gid == group);
  CHECK(::getegid() == 0);  // the bind's borrowed gid is given back

  // A child as user nobody, with or without the group, asks once.
  auto fetch_as_nobody = [&](bool in_group) {
    pid_t pid = ::fork();
    if (pid == 0) {
      gid_t groups[] = {group};
      if (::setgroups(in_group ? 1 : 0, groups) != 0 || ::setgid(nobody) != 0 ||
          ::setuid(nobody) != 0)
        ::_exit(3);
      ::_exit(fetch_snapshot(path, 2000).status == FetchStatus::Ok ? 0 : 1);
    }
    int status = -1;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  int member = -1, stranger = -1;
  serve_while(l.loop, [&] {
    member = fetch_as_nobody(true);
    stranger = fetch_as_nobody(false);
  });
  CHECK(member == 0);
  CHECK(stranger == 1);
}

TEST_CASE("cleanup requests: root's are carried out and answered ok, errors said",
          "[control]") {
  TempDir dir;
  Loop l;
  FakeSource source;
  Server server(l.loop, dir.path() + "/hbd.sock", source);
  CommandResult all, one, unknown;
  std::string bogus;
  serve_while(l.loop, [&] {
    all = send_command(server.path(), "cleanup", 5000);
    one = send_command(server.path(), "cleanup httpd", 5000);
    unknown = send_command(server.path(), "cleanup unknown", 5000);
    bogus = raw_exchange(server.path(), "reboot now\n");
  });
  CHECK(all.status == FetchStatus::Ok);
  CHECK(one.status == FetchStatus::Ok);
  CHECK(unknown.status == FetchStatus::BadResponse);
  CHECK(unknown.detail == "no resource group or resource named 'unknown' in haresources");
  CHECK(source.cleaned == std::vector<std::string>{"", "httpd", "unknown"});
  CHECK(bogus == "error unknown request 'reboot now'\n");
}

// A read group's member may read the status but not clean up.
TEST_CASE("cleanup requests from a read group's member are refused", "[control]") {
  if (::geteuid() != 0) {
    WARN("not root: cannot change users; skipped");
    return;
  }
  const gid_t group = 4243, nobody = 65534;
  TempDir dir;
  REQUIRE(::chmod(dir.path().c_str(), 0711) == 0);
  Loop l;
  FakeSource source;
  Server server(l.loop, dir.path() + "/heartbeat/hbd.sock", source, group);
  int status = -1;
  serve_while(l.loop, [&] {
    pid_t pid = ::fork();
    if (pid == 0) {
      gid_t groups[] = {group};
      if (::setgroups(1, groups) != 0 || ::setgid(nobody) != 0 || ::setuid(nobody) != 0) ::_exit(3);
      CommandResult r = send_command(server.path(), "cleanup httpd", 2000);
      ::_exit(r.status == FetchStatus::BadResponse &&
                      r.detail == "cleanup: only root may change the cluster"
                  ? 0
                  : 1);
    }
    ::waitpid(pid, &status, 0);
  });
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(source.cleaned.empty());
}
