#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "test/temp_dir.h"
#include "wire/fifo_parser.h"

using hbd::wire::FifoBlock;
using hbd::wire::FifoParser;
using hbd::wire::Message;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields fields_of(const Message& m) {
  Fields out;
  for (const auto& f : m.fields()) out.emplace_back(f.name, f.value);
  return out;
}

// "ok: t=a b=c" or "error: reason" per result, to compare whole sequences.
std::vector<std::string> describe(const std::vector<FifoBlock>& blocks) {
  std::vector<std::string> out;
  for (const auto& b : blocks) {
    if (!b.ok()) {
      out.push_back("error: " + b.error);
      continue;
    }
    std::string text = "ok:";
    for (const auto& [name, value] : fields_of(b.message)) text += " " + name + "=" + value;
    out.push_back(text);
  }
  return out;
}

std::vector<std::string> parse(const std::string& text) {
  FifoParser parser;
  return describe(parser.feed(text));
}

// Byte for byte what heartbeat 3.0.6's tools wrote into a regular file
// standing in for the FIFO (HA_FIFO=file): hb_standby, hb_standby foreign,
// hb_standby failback (sent as foreign), hb_takeover local.
const char kToolOutput[] =
    ">>>\nt=ask_resources\nrsc_hold=all\ninfo=me\n<<<\n"
    ">>>\nt=ask_resources\nrsc_hold=foreign\ninfo=me\n<<<\n"
    ">>>\nt=ask_resources\nrsc_hold=foreign\ninfo=me\n<<<\n"
    ">>>\nt=hb_takeover\nrsc_hold=local\n<<<\n";

const std::vector<std::string> kToolMessages = {
    "ok: t=ask_resources rsc_hold=all info=me",
    "ok: t=ask_resources rsc_hold=foreign info=me",
    "ok: t=ask_resources rsc_hold=foreign info=me",
    "ok: t=hb_takeover rsc_hold=local",
};

}  // namespace

TEST_CASE("fifo parser: the blocks heartbeat's tools write", "[fifo_parser]") {
  CHECK(parse(kToolOutput) == kToolMessages);
  // mach_down and req_resource/rc.d ip-request forms.
  CHECK(parse(">>>\nt=resource\nrsc_hold=foreign\ninfo=mach_down\n<<<\n"
              ">>>\nt=ip-request-resp\ndest=nodea\nipaddr=198.18.9.100\nweown=yes\nok=OK\n<<<\n") ==
        std::vector<std::string>{
            "ok: t=resource rsc_hold=foreign info=mach_down",
            "ok: t=ip-request-resp dest=nodea ipaddr=198.18.9.100 weown=yes ok=OK"});
}

TEST_CASE("fifo parser: the installed ha_clustermsg's text, live", "[fifo_parser]") {
  if (::access("/etc/ha.d/shellfuncs", R_OK) != 0 ||
      ::access("/usr/share/heartbeat/hb_standby", X_OK) != 0) {
    WARN("heartbeat's shell tools are not installed: skipped");
    return;
  }
  hbd::testing::TempDir dir;
  std::string file = dir.path() + "/fifo";
  // The tools log through ha_log; keep that away from syslog.
  std::string env = "HA_FIFO=" + file + " HA_LOGFACILITY= HA_LOGFILE=/dev/null HA_DEBUGLOG=/dev/null ";
  for (const char* tool : {"hb_standby", "hb_standby foreign", "hb_standby failback",
                           "hb_takeover local"}) {
    std::string command = env + "/usr/share/heartbeat/" + tool + " >/dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
  }
  std::string written = hbd::testing::read_file(file);
  CHECK(written == kToolOutput);
  CHECK(parse(written) == kToolMessages);
}

TEST_CASE("fifo parser: lines split across feeds, CR LF, blank lines", "[fifo_parser]") {
  std::string text = ">>>\r\nt=hb_takeover\r\n\r\nrsc_hold=all\r\n<<<\r\n\n";
  FifoParser parser;
  std::vector<FifoBlock> all;
  for (char c : text) {
    auto some = parser.feed(std::string_view(&c, 1));
    all.insert(all.end(), some.begin(), some.end());
  }
  CHECK(describe(all) == std::vector<std::string>{"ok: t=hb_takeover rsc_hold=all"});
  // Nothing comes out before the block's end.
  FifoParser second;
  CHECK(second.feed(">>>\nt=x\n<<").empty());
  CHECK(describe(second.feed("<\n")) == std::vector<std::string>{"ok: t=x"});
}

TEST_CASE("fifo parser: values keep '=' and spaces, field order and duplicates kept",
          "[fifo_parser]") {
  CHECK(parse(">>>\nt=custom\nexpr=a=b=c\nnote= two  words \nempty=\nt=again\n<<<\n") ==
        std::vector<std::string>{"ok: t=custom expr=a=b=c note= two  words  empty= t=again"});
  // t need not come first.
  CHECK(parse(">>>\ninfo=me\nt=ask_resources\n<<<\n") ==
        std::vector<std::string>{"ok: info=me t=ask_resources"});
}

TEST_CASE("fifo parser: rejected blocks say why and do not harm the next", "[fifo_parser]") {
  CHECK(parse(">>>\nt=x\nno equals sign\n<<<\n>>>\nt=ok\n<<<\n") ==
        std::vector<std::string>{"error: line without '=': \"no equals sign\"", "ok: t=ok"});
  CHECK(parse(">>>\nrsc_hold=all\n<<<\n") == std::vector<std::string>{"error: block without t"});
  CHECK(parse(">>>\n<<<\n") == std::vector<std::string>{"error: block without t"});
  CHECK(parse(">>>\nt=x\n=value\n<<<\n") ==
        std::vector<std::string>{"error: empty field name: \"=value\""});
  // Only the first fault of a block is reported.
  CHECK(parse(">>>\nbad one\nbad two\n<<<\n") ==
        std::vector<std::string>{"error: line without '=': \"bad one\""});
}

TEST_CASE("fifo parser: text outside blocks is one error per run", "[fifo_parser]") {
  CHECK(parse("hello\nworld\n>>>\nt=a\n<<<\nmore\n<<<\n") ==
        std::vector<std::string>{"error: text outside a block: \"hello\"", "ok: t=a",
                                 "error: text outside a block: \"more\""});
  std::string long_line(100, 'z');
  CHECK(parse(long_line + "\n") ==
        std::vector<std::string>{"error: text outside a block: \"" + std::string(60, 'z') + "...\""});
}

TEST_CASE("fifo parser: '>>>' inside a block restarts it", "[fifo_parser]") {
  // A writer died half-way; the next writer's block must still get through.
  CHECK(parse(">>>\nt=half\n>>>\nt=whole\n<<<\n") ==
        std::vector<std::string>{"error: block restarted by '>>>' before its '<<<'", "ok: t=whole"});
}

TEST_CASE("fifo parser: blocks over 64 KiB are discarded up to their end", "[fifo_parser]") {
  std::string value(1000, 'v');
  std::string big = ">>>\nt=big\n";
  for (int i = 0; i < 70; ++i) big += "f" + std::to_string(i) + "=" + value + "\n";
  big += "<<<\n>>>\nt=after\n<<<\n";
  CHECK(parse(big) == std::vector<std::string>{"error: block larger than 64 KiB", "ok: t=after"});

  // One endless line, fed in pieces: memory stays bounded, one error.
  FifoParser parser;
  std::vector<FifoBlock> all;
  auto add = [&](const std::string& bytes) {
    auto some = parser.feed(bytes);
    all.insert(all.end(), some.begin(), some.end());
  };
  add(">>>\nt=x\nhuge=");
  std::string chunk(16 * 1024, 'h');
  for (int i = 0; i < 64; ++i) add(chunk);  // 1 MiB without a newline
  add("\nstill=inside\n<<<\n>>>\nt=next\n<<<\n");
  CHECK(describe(all) == std::vector<std::string>{"error: block larger than 64 KiB", "ok: t=next"});

  // A block of exactly 64 KiB of field lines is still fine.
  std::string exact = "t=x\n";
  std::string filler = "pad=";
  filler += std::string(FifoParser::kMaxBlockBytes - exact.size() - filler.size() - 1, 'p');
  auto ok = parse(">>>\n" + exact + filler + "\n<<<\n");
  REQUIRE(ok.size() == 1);
  CHECK(ok[0].rfind("ok: t=x pad=ppp", 0) == 0);
}
