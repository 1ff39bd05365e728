#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "io/store.h"
#include "test/temp_dir.h"

using namespace hbd::io;

TEST_CASE("store: generation file format", "[io]") {
  CHECK(format_generation(1795294858) == "     1795294858\n");
  CHECK(format_generation(7).size() == 16);
  CHECK(parse_generation("     1795294858\n") == 1795294858u);
  CHECK(parse_generation("12") == 12u);
  CHECK_FALSE(parse_generation(""));
  CHECK_FALSE(parse_generation("   \n"));
  CHECK_FALSE(parse_generation("12a\n"));
  CHECK_FALSE(parse_generation("-1\n"));
  CHECK_FALSE(parse_generation("99999999999999999999999\n"));
}

TEST_CASE("store: first generation is the wall clock, then +1 per start", "[io]") {
  MemoryStore s;
  GenerationOutcome first = next_generation(s, "file", 1000);
  CHECK(first.first);
  CHECK(first.generation == 1000);
  CHECK(s.files[kGenerationFile] == format_generation(1000));
  GenerationOutcome second = next_generation(s, "file", 5000);
  CHECK_FALSE(second.first);
  CHECK(second.generation == 1001);
  CHECK(s.files[kGenerationFile] == format_generation(1001));
}

TEST_CASE("store: hbgenmethod time never goes backwards", "[io]") {
  MemoryStore s;
  CHECK(next_generation(s, "time", 2000).generation == 2000);
  CHECK(next_generation(s, "time", 1500).generation == 2001);  // clock set back
  CHECK(next_generation(s, "time", 9000).generation == 9000);
}

TEST_CASE("store: a generation that cannot be written stops the start", "[io]") {
  MemoryStore s;
  s.fail_writes = true;
  CHECK_FALSE(next_generation(s, "file", 10).error.empty());
}

TEST_CASE("store: uuid is generated once and kept", "[io]") {
  MemoryStore s;
  int calls = 0;
  auto random = [&calls](size_t n) { ++calls; return std::string(n, static_cast<char>(0xab)); };
  UuidOutcome a = load_uuid(s, "file", "node1", random);
  CHECK(a.generated);
  CHECK(a.uuid.size() == 16);
  CHECK(s.files[kUuidFile] == a.uuid);
  UuidOutcome b = load_uuid(s, "file", "node1", random);
  CHECK_FALSE(b.generated);
  CHECK(b.uuid == a.uuid);
  CHECK(calls == 1);
  s.files[kUuidFile] = "short";
  CHECK(load_uuid(s, "file", "node1", random).generated);
}

TEST_CASE("store: uuidfrom nodename derives the uuid and stores nothing", "[io]") {
  MemoryStore s;
  UuidOutcome u = load_uuid(s, "nodename", "node1", [](size_t) { return std::string(); });
  CHECK(u.uuid == std::string("node1") + std::string(11, '\0'));
  CHECK(s.files.empty());
  CHECK(uuid_from_nodename("a-very-long-node-name").size() == 16);
}

TEST_CASE("store: files are replaced whole", "[io]") {
  hbd::testing::TempDir dir("hbd-store");
  FileStore s(dir.path());
  std::string error;
  CHECK_FALSE(s.read("absent", error));
  CHECK(error.empty());
  CHECK(s.write(kGenerationFile, format_generation(42), error));
  CHECK(s.read(kGenerationFile, error) == format_generation(42));
  CHECK(next_generation(s, "file", 1).generation == 43);
  FileStore missing("/nonexistent-hbd-dir");
  CHECK_FALSE(missing.write("x", "y", error));
  CHECK(error.find("/nonexistent-hbd-dir/x.new") != std::string::npos);
}

TEST_CASE("store: a symlink planted at <name>.new is refused, never written through", "[io]") {
  hbd::testing::TempDir dir("hbd-store");
  std::string victim = dir.path() + "/victim";
  std::ofstream(victim) << "precious\n";
  std::string tmp = dir.path() + "/" + kGenerationFile + ".new";
  REQUIRE(::symlink(victim.c_str(), tmp.c_str()) == 0);
  FileStore s(dir.path());
  std::string error;
  CHECK_FALSE(s.write(kGenerationFile, format_generation(7), error));
  CHECK(error.find("refusing to write through it") != std::string::npos);
  CHECK(hbd::testing::read_file(victim) == "precious\n");
  struct stat st;
  CHECK(::lstat(tmp.c_str(), &st) == 0);  // left for the administrator to see
  CHECK(S_ISLNK(st.st_mode));
}

TEST_CASE("store: a stale <name>.new left by a crash does not block writing", "[io]") {
  hbd::testing::TempDir dir("hbd-store");
  std::string tmp = dir.path() + "/" + kGenerationFile + ".new";
  std::ofstream(tmp) << "half a gen";
  FileStore s(dir.path());
  std::string error;
  CHECK(s.write(kGenerationFile, format_generation(9), error));
  CHECK(error.empty());
  CHECK(s.read(kGenerationFile, error) == format_generation(9));
  CHECK(::access(tmp.c_str(), F_OK) != 0);
}

TEST_CASE("store: urandom gives distinct non-null uuids", "[io]") {
  std::string a = urandom_bytes(16), b = urandom_bytes(16);
  CHECK(a.size() == 16);
  CHECK(a != b);
  CHECK(a != std::string(16, '\0'));
}
