#include <catch2/catch.hpp>

#include <map>

#include "serial/frame_reader.h"
#include "serial/socat_log.h"
#include "wire/codec.h"

using hbd::serial::FrameReader;

namespace {

const std::string kStatus =
    ">>>\nt=status\nst=active\nsrc=node1\nseq=1\nauth=1 df5804bf\n<<<\n";
const std::string kOther = ">>>\nt=NS_ackmsg\nsrc=node2\nackseq=7\n<<<\n";

std::vector<std::string> feed(FrameReader& reader, const std::string& bytes) {
  std::vector<std::string> frames;
  reader.feed(bytes, frames);
  return frames;
}

std::vector<std::string> feed_bytewise(FrameReader& reader, const std::string& bytes) {
  std::vector<std::string> frames;
  for (char c : bytes) reader.feed(std::string_view(&c, 1), frames);
  return frames;
}

hbd::wire::AuthConfig crc_key() {
  hbd::wire::AuthConfig a;
  a.active = 1;
  a.keys[1] = {hbd::wire::AuthMethod::Crc, ""};
  return a;
}

hbd::wire::AuthConfig sha1_key() {  // test/vectors/INDEX.md, serial-sha1
  hbd::wire::AuthConfig a;
  a.active = 1;
  a.keys[1] = {hbd::wire::AuthMethod::Sha1, "hblab-sha1-secret"};
  return a;
}

}  // namespace

TEST_CASE("frames arrive whole however the bytes are split", "[serial]") {
  FrameReader reader;
  CHECK(feed_bytewise(reader, kStatus + kOther) == std::vector<std::string>{kStatus, kOther});
  CHECK(reader.counters().frames == 2);
  CHECK(reader.counters().noise_bytes == 0);
  CHECK_FALSE(reader.in_frame());
}

TEST_CASE("noise outside frames is counted and skipped", "[serial]") {
  FrameReader reader;
  const std::string noise1 = "garbage\n\n";   // 9 bytes
  const std::string noise2 = "<<<\nx>>>\n";   // a stray end marker, a misplaced start
  auto frames = feed(reader, noise1 + kStatus + noise2 + "tail without newline");
  CHECK(frames == std::vector<std::string>{kStatus});
  CHECK(reader.counters().noise_bytes == noise1.size() + noise2.size());
  frames = feed(reader, "\n" + kOther);
  CHECK(frames == std::vector<std::string>{kOther});
  CHECK(reader.counters().noise_bytes == noise1.size() + noise2.size() + 21);
}

TEST_CASE("CR is dropped and the 8th bit stripped, as IGNCR and ISTRIP do", "[serial]") {
  FrameReader reader;
  std::string crlf;
  for (char c : kStatus) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  crlf[6] = static_cast<char>(crlf[6] | 0x80);  // the 's' of "status"
  CHECK(feed(reader, crlf) == std::vector<std::string>{kStatus});
}

TEST_CASE("a marker line counts by its first three characters", "[serial]") {
  FrameReader reader;
  auto frames = feed(reader, ">>> hello\nt=status\n<<<<<<\n");
  CHECK(frames == std::vector<std::string>{">>>\nt=status\n<<<\n"});
}

TEST_CASE("a peer restarting mid-frame loses only the torn frame", "[serial]") {
  FrameReader reader;
  std::string torn = kStatus.substr(0, 20);  // ends inside "st=active"
  auto frames = feed(reader, torn + "\n" + kOther);
  CHECK(frames == std::vector<std::string>{kOther});
  CHECK(reader.counters().restarted == 1);
  CHECK(reader.counters().frames == 1);
}

TEST_CASE("a torn frame without a new start swallows no later frame for good", "[serial]") {
  FrameReader reader;
  // The end marker of the torn frame is lost: its lines and the next frame's
  // start run together; the frame after that arrives intact.
  auto frames = feed(reader, kStatus.substr(0, 30) + kOther + kStatus);
  CHECK(frames.size() == 2);
  CHECK(frames.back() == kStatus);
}

TEST_CASE("an oversized frame is dropped and counted; memory stays bounded", "[serial]") {
  FrameReader reader(128);
  std::string big = ">>>\n" + std::string(200, 'a') + "\n<<<\n";
  auto frames = feed(reader, big + kStatus);
  CHECK(frames == std::vector<std::string>{kStatus});
  CHECK(reader.counters().oversized == 1);

  FrameReader full;  // the 256 KiB default, with one line over 300 KiB
  std::string huge = ">>>\nx=" + std::string(300 * 1024, 'b') + "\n<<<\n";
  frames = feed(full, huge + kOther);
  CHECK(frames == std::vector<std::string>{kOther});
  CHECK(full.counters().oversized == 1);
}

TEST_CASE("a frame of exactly the limit still passes", "[serial]") {
  FrameReader reader(kStatus.size());
  CHECK(feed(reader, kStatus) == std::vector<std::string>{kStatus});
  FrameReader smaller(kStatus.size() - 1);
  CHECK(feed(smaller, kStatus).empty());
  CHECK(smaller.counters().oversized == 1);
}

TEST_CASE("reset forgets a partial frame", "[serial]") {
  FrameReader reader;
  feed(reader, kStatus.substr(0, 25));
  CHECK(reader.in_frame());
  reader.reset();
  CHECK_FALSE(reader.in_frame());
  CHECK(feed(reader, "seq=2\n<<<\n" + kOther) == std::vector<std::string>{kOther});
}

TEST_CASE("real heartbeat serial streams give every frame, verified", "[serial]") {
  const std::map<std::string, std::pair<hbd::wire::AuthConfig, std::pair<size_t, size_t>>> cases =
      {{"serial-crc", {crc_key(), {101, 87}}}, {"serial-sha1", {sha1_key(), {99, 86}}}};
  for (const auto& [name, expect] : cases) {
    INFO(name);
    auto chunks = hbd::serial::test::read_socat_log(std::string(HBD_SRCDIR) + "/test/vectors/" +
                                                    name + ".txt");
    REQUIRE(chunks.size() > 100);
    std::map<char, FrameReader> readers;
    std::map<char, std::vector<std::string>> frames;
    for (const auto& chunk : chunks) readers[chunk.direction].feed(chunk.bytes, frames[chunk.direction]);
    CHECK(frames['>'].size() == expect.second.first);
    CHECK(frames['<'].size() == expect.second.second);
    for (char d : {'>', '<'}) {
      CHECK(readers[d].counters().noise_bytes == 0);
      CHECK_FALSE(readers[d].in_frame());
      for (const auto& f : frames[d]) CHECK(hbd::wire::decode(f, expect.first).ok());
    }
  }
}

TEST_CASE("real streams survive noise and torn frames between chunks", "[serial]") {
  auto chunks = hbd::serial::test::read_socat_log(std::string(HBD_SRCDIR) +
                                                  "/test/vectors/serial-sha1.txt");
  REQUIRE_FALSE(chunks.empty());
  FrameReader clean, noisy;
  std::vector<std::string> clean_frames, noisy_frames;
  const std::vector<std::string> junk = {"\x01\x02\xff garbage", "\n<<<\n", ">>>\nt=status\nsrc=n",
                                         std::string(3, '\0') + "\r\n"};
  size_t n = 0;
  for (const auto& chunk : chunks) {
    if (chunk.direction != '>') continue;
    // Junk lands only where the clean stream is between frames, so every
    // real frame must still come out whole.
    if (!clean.in_frame()) noisy.feed(junk[n++ % junk.size()] + "\n", noisy_frames);
    clean.feed(chunk.bytes, clean_frames);
    noisy.feed(chunk.bytes, noisy_frames);
  }
  CHECK(noisy_frames == clean_frames);
  CHECK(noisy.counters().noise_bytes > 0);
  CHECK(noisy.counters().restarted > 0);
  for (const auto& f : noisy_frames) CHECK(hbd::wire::decode(f, sha1_key()).ok());
}
