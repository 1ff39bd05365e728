#include "tools/standby.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <fstream>
#include <sstream>

#include "test/temp_dir.h"
#include "wire/fifo_parser.h"

using namespace hbd::tools;

namespace {

constexpr const char* kProg = "/usr/share/heartbeat/hb_standby";

class FakeFifo : public FifoSender {
 public:
  FifoResult open_result;
  FifoResult send_result;
  int opens = 0;
  std::vector<std::string> sent;
  FifoResult open() override {
    ++opens;
    return open_result;
  }
  FifoResult send(const std::string& block) override {
    sent.push_back(block);
    return send_result;
  }
};

class FakeLog : public ScriptLog {
 public:
  std::vector<std::string> lines;
  void log(const std::string& text) override { lines.push_back(text); }
};

struct Run {
  int rc;
  std::string out, err;
};

Run run(StandbyTool tool, std::vector<std::string> args, FakeFifo& fifo, FakeLog& log) {
  std::ostringstream out, err;
  int rc = run_standby(tool, kProg, args, fifo, log, out, err);
  return {rc, out.str(), err.str()};
}

const std::string kUsageErr = std::string(kProg) + " [all|foreign|local|failback]\n";

}  // namespace

TEST_CASE("hb_standby/hb_takeover: the resource set argument", "[tools][standby]") {
  for (auto tool : {StandbyTool::Standby, StandbyTool::Takeover}) {
    CHECK(parse_standby_args(tool, kProg, {}).set == "all");
    CHECK(parse_standby_args(tool, kProg, {"all"}).set == "all");
    CHECK(parse_standby_args(tool, kProg, {"local"}).set == "local");
    CHECK(parse_standby_args(tool, kProg, {"foreign"}).set == "foreign");
  }
  // hb_standby sends failback as foreign; hb_takeover passes the word on.
  CHECK(parse_standby_args(StandbyTool::Standby, kProg, {"failback"}).set == "foreign");
  CHECK(parse_standby_args(StandbyTool::Takeover, kProg, {"failback"}).set == "failback");
}

TEST_CASE("hb_standby/hb_takeover: usage errors, split over stdout and stderr",
          "[tools][standby]") {
  for (auto tool : {StandbyTool::Standby, StandbyTool::Takeover}) {
    StandbyArgs a = parse_standby_args(tool, kProg, {"a", "b"});
    CHECK(a.exit_code == 1);
    CHECK(a.out == std::string(kProg) + ": too many arguments\nusage:\n");
    CHECK(a.err == kUsageErr);
    a = parse_standby_args(tool, kProg, {"bogus"});
    CHECK(a.exit_code == 1);
    CHECK(a.out == std::string(kProg) + ": wrong resources(bogus).\nusage:\n");
    CHECK(a.err == kUsageErr);
    a = parse_standby_args(tool, kProg, {"--help"});
    CHECK(a.exit_code == 1);
    CHECK(a.out == "usage:\n");
    CHECK(a.err == kUsageErr);
    for (const char* odd : {"", "ALL", "a b", "*", "-x"}) {
      a = parse_standby_args(tool, kProg, {odd});
      CHECK(a.exit_code == 1);
      CHECK(a.out == std::string(kProg) + ": wrong resources(" + odd + ").\nusage:\n");
    }
  }
}

TEST_CASE("hb_standby/hb_takeover: the FIFO blocks, byte for byte", "[tools][standby]") {
  CHECK(standby_block(StandbyTool::Standby, "all") ==
        ">>>\nt=ask_resources\nrsc_hold=all\ninfo=me\n<<<\n");
  CHECK(standby_block(StandbyTool::Standby, "foreign") ==
        ">>>\nt=ask_resources\nrsc_hold=foreign\ninfo=me\n<<<\n");
  CHECK(standby_block(StandbyTool::Takeover, "failback") ==
        ">>>\nt=hb_takeover\nrsc_hold=failback\n<<<\n");
  CHECK(going_standby_text("local") == "Going standby [local].");
}

TEST_CASE("hb_standby: logs, then sends", "[tools][standby]") {
  FakeFifo fifo;
  FakeLog log;
  Run r = run(StandbyTool::Standby, {"failback"}, fifo, log);
  CHECK(r.rc == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  CHECK(log.lines == std::vector<std::string>{"Going standby [foreign]."});
  CHECK(fifo.sent ==
        std::vector<std::string>{">>>\nt=ask_resources\nrsc_hold=foreign\ninfo=me\n<<<\n"});
}

TEST_CASE("hb_takeover: sends without logging", "[tools][standby]") {
  FakeFifo fifo;
  FakeLog log;
  Run r = run(StandbyTool::Takeover, {}, fifo, log);
  CHECK(r.rc == 0);
  CHECK(log.lines.empty());
  CHECK(fifo.sent == std::vector<std::string>{">>>\nt=hb_takeover\nrsc_hold=all\n<<<\n"});
}

TEST_CASE("hb_standby: no daemon, fails at once, logs nothing", "[tools][standby]") {
  FakeFifo fifo;
  FakeLog log;
  fifo.open_result = {false, "hb_standby: heartbeat (hbd) is not running: nobody reads /f"};
  Run r = run(StandbyTool::Standby, {}, fifo, log);
  CHECK(r.rc == 1);
  CHECK(r.err == "hb_standby: heartbeat (hbd) is not running: nobody reads /f\n");
  CHECK(log.lines.empty());
  CHECK(fifo.sent.empty());

  fifo.open_result = {};
  fifo.send_result = {false, "hb_standby: cannot write to /f: Broken pipe"};
  r = run(StandbyTool::Standby, {}, fifo, log);
  CHECK(r.rc == 1);
  CHECK(r.err == "hb_standby: cannot write to /f: Broken pipe\n");
}

TEST_CASE("hb_standby: a usage error opens nothing", "[tools][standby]") {
  FakeFifo fifo;
  FakeLog log;
  Run r = run(StandbyTool::Standby, {"x", "y"}, fifo, log);
  CHECK(r.rc == 1);
  CHECK(fifo.opens == 0);
  CHECK(r.out == std::string(kProg) + ": too many arguments\nusage:\n");
  CHECK(r.err == kUsageErr);
}

TEST_CASE("FIFO errors say what is wrong", "[tools][standby]") {
  CHECK(describe_fifo_error("hb_standby", "/var/lib/heartbeat/fifo", FifoStage::Open, ENXIO) ==
        "hb_standby: heartbeat (hbd) is not running: nobody reads /var/lib/heartbeat/fifo");
  CHECK(describe_fifo_error("hb_standby", "/f", FifoStage::Open, ENOENT) ==
        "hb_standby: heartbeat (hbd) is not running: /f does not exist");
  CHECK(describe_fifo_error("hb_takeover", "/f", FifoStage::Write, EPIPE) ==
        "hb_takeover: heartbeat (hbd) is not running: nobody reads /f");
  CHECK(describe_fifo_error("x", "/f", FifoStage::Open, EACCES) ==
        "x: cannot open /f: Permission denied (run it as root)");
  CHECK(describe_fifo_error("x", "/f", FifoStage::Write, EAGAIN) ==
        "x: heartbeat (hbd) is not reading /f (it is full)");
  CHECK(describe_fifo_error("x", "/f", FifoStage::Open, EISDIR) ==
        "x: cannot open /f: Is a directory");
}

TEST_CASE("FIFO sender: a reader gets the block whole, and the daemon's parser reads it",
          "[tools][standby]") {
  hbd::testing::TempDir dir;
  std::string path = dir.path() + "/fifo";
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  // The daemon holds its FIFO open read-write (io/fifo_reader.h).
  int reader = ::open(path.c_str(), O_RDWR | O_NONBLOCK);
  REQUIRE(reader >= 0);
  {
    PipeFifoSender sender("hb_standby", path);
    REQUIRE(sender.open().ok);
    REQUIRE(sender.send(standby_block(StandbyTool::Standby, "local")).ok);
  }
  char buf[4096];
  ssize_t n = ::read(reader, buf, sizeof buf);
  ::close(reader);
  REQUIRE(n > 0);
  std::string got(buf, static_cast<size_t>(n));
  CHECK(got == ">>>\nt=ask_resources\nrsc_hold=local\ninfo=me\n<<<\n");
  hbd::wire::FifoParser parser;
  auto blocks = parser.feed(got);
  REQUIRE(blocks.size() == 1);
  REQUIRE(blocks[0].ok());
  CHECK(blocks[0].message.get_or("t", "") == "ask_resources");
  CHECK(blocks[0].message.get_or("rsc_hold", "") == "local");
  CHECK(blocks[0].message.get_or("info", "") == "me");
}

TEST_CASE("FIFO sender: no reader, no FIFO, not a FIFO", "[tools][standby]") {
  hbd::testing::TempDir dir;
  std::string path = dir.path() + "/fifo";
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  FifoResult r = PipeFifoSender("hb_standby", path).open();
  CHECK_FALSE(r.ok);
  CHECK(r.error == "hb_standby: heartbeat (hbd) is not running: nobody reads " + path);
  r = PipeFifoSender("hb_standby", dir.path() + "/none").open();
  CHECK_FALSE(r.ok);
  CHECK(r.error ==
        "hb_standby: heartbeat (hbd) is not running: " + dir.path() + "/none does not exist");
  std::string file = dir.path() + "/file";
  std::ofstream(file) << "x";
  r = PipeFifoSender("hb_standby", file).open();
  CHECK_FALSE(r.ok);
  CHECK(r.error == "hb_standby: " + file +
                       " is not a FIFO: heartbeat (hbd) reads requests "
                       "from a FIFO only");
  CHECK(hbd::testing::read_file(file) == "x");  // untouched
}

TEST_CASE("FIFO sender: a reader that never reads a full FIFO is reported", "[tools][standby]") {
  hbd::testing::TempDir dir;
  std::string path = dir.path() + "/fifo";
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  int reader = ::open(path.c_str(), O_RDWR | O_NONBLOCK);
  REQUIRE(reader >= 0);
  int filler = ::open(path.c_str(), O_WRONLY | O_NONBLOCK);
  REQUIRE(filler >= 0);
  std::string chunk(4096, 'x');
  while (::write(filler, chunk.data(), chunk.size()) > 0) {
  }
  std::string one(1, 'x');
  while (::write(filler, one.data(), 1) > 0) {
  }
  ::close(filler);
  PipeFifoSender sender("hb_standby", path, 20);
  REQUIRE(sender.open().ok);
  FifoResult r = sender.send(standby_block(StandbyTool::Standby, "all"));
  ::close(reader);
  CHECK_FALSE(r.ok);
  CHECK(r.error == "hb_standby: heartbeat (hbd) is not reading " + path + " (it is full)");
}
