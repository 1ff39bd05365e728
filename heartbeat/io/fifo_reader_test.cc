#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "io/ev_test_loop.h"
#include "io/fifo_reader.h"
#include "test/temp_dir.h"

using hbd::io::FifoReader;
using hbd::io::RateLimitedLog;
using hbd::log::Level;
using hbd::testing::LoopRunner;
using hbd::testing::TempDir;

namespace {

struct Fixture {
  TempDir dir;
  std::string path = dir.path() + "/fifo";
  struct ev_loop* loop = ev_loop_new(EVFLAG_AUTO);
  LoopRunner runner{loop};
  int64_t now = 0;
  std::vector<std::string> messages;  // "t=… rsc_hold=…"
  std::vector<std::pair<Level, std::string>> logs;
  std::unique_ptr<FifoReader> reader;

  Fixture() {
    reader = std::make_unique<FifoReader>(
        loop, path,
        [this](hbd::wire::Message m) {
          std::string text;
          for (const auto& f : m.fields()) text += (text.empty() ? "" : " ") + f.name + "=" + f.value;
          messages.push_back(text);
        },
        [this](Level l, const std::string& t) { logs.emplace_back(l, t); },
        [this] { return now; });
  }
  ~Fixture() {
    reader.reset();
    ev_loop_destroy(loop);
  }
  // Writes like a tool would: open without blocking, write, close.
  void write(const std::string& bytes) {
    int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    ::close(fd);
  }
  bool await_messages(size_t n) {
    return runner.run_until([&] { return messages.size() >= n; }, 5.);
  }
  bool await_logs(size_t n) {
    return runner.run_until([&] { return logs.size() >= n; }, 5.);
  }
};

}  // namespace

TEST_CASE("rate-limited log: one line per interval, then the count", "[fifo_reader]") {
  RateLimitedLog limit(10000);
  CHECK(limit.admit("bad 1", 0) == std::optional<std::string>("bad 1"));
  CHECK_FALSE(limit.admit("bad 2", 1));
  CHECK_FALSE(limit.admit("bad 3", 9999));
  CHECK(limit.suppressed() == 2);
  CHECK(limit.admit("bad 4", 10000) ==
        std::optional<std::string>("bad 4 (2 similar messages suppressed)"));
  CHECK(limit.admit("bad 5", 20000) == std::optional<std::string>("bad 5"));
}

TEST_CASE("fifo reader: creates a missing FIFO 0600 with heartbeat's line", "[fifo_reader]") {
  Fixture f;
  ::umask(0);  // must not matter
  bool opened = f.reader->open();
  ::umask(022);
  REQUIRE(opened);
  struct stat st;
  REQUIRE(::stat(f.path.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(f.logs == std::vector<std::pair<Level, std::string>>{
                      {Level::Info, "Creating FIFO " + f.path + "."}});
  // An existing FIFO is simply opened again.
  f.reader->close();
  f.logs.clear();
  CHECK(f.reader->open());
  CHECK(f.logs.empty());
}

TEST_CASE("fifo reader: a path that is not a FIFO is an error, nothing is read",
          "[fifo_reader]") {
  Fixture f;
  std::ofstream(f.path) << "a regular file\n";
  CHECK_FALSE(f.reader->open());
  CHECK_FALSE(f.reader->is_open());
  REQUIRE(f.logs.size() == 1);
  CHECK(f.logs[0].first == Level::Error);
  CHECK(f.logs[0].second == f.path + " exists and is not a FIFO: commands from hb_standby, "
                                     "hb_takeover and other tools cannot be received");
  CHECK(hbd::testing::read_file(f.path) == "a regular file\n");

  Fixture g;
  g.path = g.dir.path() + "/no-dir/fifo";
  g.reader = std::make_unique<FifoReader>(g.loop, g.path, [](hbd::wire::Message) {},
                                          [&](Level l, const std::string& t) { g.logs.emplace_back(l, t); });
  CHECK_FALSE(g.reader->open());
  CHECK(g.logs.back() == std::make_pair(Level::Error, "Cannot create FIFO " + g.path +
                                                          ": No such file or directory"));
}

TEST_CASE("fifo reader: blocks arrive in order, split or together", "[fifo_reader]") {
  Fixture f;
  REQUIRE(f.reader->open());
  f.write(">>>\nt=ask_resources\nrsc_hold=all\ninfo=me\n<<<\n");
  REQUIRE(f.await_messages(1));
  f.write(">>>\nt=hb_tak");
  f.reader->on_readable();  // the half is in the pipe already: read it now
  CHECK(f.messages.size() == 1);
  f.write("eover\nrsc_hold=local\n<<<\n>>>\nt=resource\nrsc_hold=foreign\ninfo=mach_down\n<<<\n");
  REQUIRE(f.await_messages(3));
  CHECK(f.messages == std::vector<std::string>{"t=ask_resources rsc_hold=all info=me",
                                               "t=hb_takeover rsc_hold=local",
                                               "t=resource rsc_hold=foreign info=mach_down"});
  CHECK(f.logs.size() == 1);  // only "Creating FIFO"
}

TEST_CASE("fifo reader: heartbeat's own hb_standby and hb_takeover talk to it", "[fifo_reader]") {
  if (::access("/usr/share/heartbeat/hb_standby", X_OK) != 0) {
    WARN("heartbeat's shell tools are not installed: skipped");
    return;
  }
  Fixture f;
  REQUIRE(f.reader->open());
  std::string env = "HA_FIFO=" + f.path + " HA_LOGFACILITY= HA_LOGFILE=/dev/null HA_DEBUGLOG=/dev/null ";
  REQUIRE(std::system((env + "/usr/share/heartbeat/hb_standby foreign >/dev/null 2>&1").c_str()) == 0);
  REQUIRE(std::system((env + "/usr/share/heartbeat/hb_takeover all >/dev/null 2>&1").c_str()) == 0);
  REQUIRE(f.await_messages(2));
  CHECK(f.messages == std::vector<std::string>{"t=ask_resources rsc_hold=foreign info=me",
                                               "t=hb_takeover rsc_hold=all"});
}

TEST_CASE("fifo reader: bad blocks are warned about, at most once per 10 s", "[fifo_reader]") {
  Fixture f;
  REQUIRE(f.reader->open());
  f.logs.clear();
  f.write("garbage\n>>>\nrsc_hold=all\n<<<\n>>>\nt=x\nnope\n<<<\n>>>\nt=good\n<<<\n");
  REQUIRE(f.await_messages(1));
  CHECK(f.messages == std::vector<std::string>{"t=good"});
  CHECK(f.logs == std::vector<std::pair<Level, std::string>>{
                      {Level::Warn, "Bad message on FIFO " + f.path +
                                        ": text outside a block: \"garbage\""}});
  f.now = 10000;
  f.write(">>>\n<<<\n");
  REQUIRE(f.await_logs(2));
  CHECK(f.logs[1] == std::make_pair(Level::Warn, "Bad message on FIFO " + f.path +
                                                     ": block without t (2 similar messages suppressed)"));
}

TEST_CASE("fifo reader: writers succeed while it is open, get ENXIO when it is not",
          "[fifo_reader]") {
  Fixture f;
  REQUIRE(f.reader->open());
  int fd = ::open(f.path.c_str(), O_WRONLY | O_NONBLOCK);
  CHECK(fd >= 0);
  if (fd >= 0) ::close(fd);
  f.reader->close();
  errno = 0;
  fd = ::open(f.path.c_str(), O_WRONLY | O_NONBLOCK);
  int err = errno;
  if (fd >= 0) ::close(fd);
  CHECK(fd == -1);
  CHECK(err == ENXIO);
}
