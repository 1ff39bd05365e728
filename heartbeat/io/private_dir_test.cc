#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "io/private_dir.h"
#include "test/temp_dir.h"

using namespace hbd::io;

TEST_CASE("private dir: a foreign owner or a group/other-writable mode is refused", "[io]") {
  std::vector<uid_t> owners{0, 500};
  DirFacts fine{true, true, 0, 0755};
  CHECK(private_dir_problem("/var/lib/heartbeat", fine, owners).empty());
  DirFacts ours{true, true, 500, 0750};
  CHECK(private_dir_problem("/run/heartbeat", ours, owners).empty());
  CHECK(private_dir_problem("/x", DirFacts{}, owners).empty());  // absent: we create it

  DirFacts foreign{true, true, 1000, 0755};
  CHECK(private_dir_problem("/var/lib/heartbeat", foreign, owners) ==
        "/var/lib/heartbeat is owned by uid 1000, not root: refusing to use it "
        "(chown root /var/lib/heartbeat)");
  DirFacts open_to_all{true, true, 0, 01777};
  CHECK(private_dir_problem("/run/heartbeat", open_to_all, owners) ==
        "/run/heartbeat has mode 1777, writable by group or others: refusing to use it "
        "(chmod go-w /run/heartbeat)");
  DirFacts group_writable{true, true, 0, 0775};
  CHECK_FALSE(private_dir_problem("/d", group_writable, owners).empty());
  DirFacts file{true, false, 0, 0644};
  CHECK(private_dir_problem("/d", file, owners) == "/d is not a directory");
}

TEST_CASE("private dir: checked on disk", "[io]") {
  hbd::testing::TempDir dir;
  CHECK(check_private_dir(dir.path()).empty());  // mkdtemp: ours, 0700
  REQUIRE(::chmod(dir.path().c_str(), 0777) == 0);
  CHECK(check_private_dir(dir.path()).find("writable by group or others") != std::string::npos);
  if (::geteuid() == 0) {  // only root can give a directory away
    REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
    REQUIRE(::chown(dir.path().c_str(), 4242, 4242) == 0);
    CHECK(check_private_dir(dir.path()).find("owned by uid 4242") != std::string::npos);
  }
}
