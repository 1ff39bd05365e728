#include "daemon/config_dir.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "config/fake_system_probe.h"
#include "test/temp_dir.h"

using namespace hbd;
using namespace hbd::daemon;

namespace {

void write_with_mtime(const std::string& path, time_t sec, long nsec) {
  std::ofstream(path) << "x\n";
  timespec times[2] = {{sec, nsec}, {sec, nsec}};
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

}  // namespace

TEST_CASE("config dir: mtimes of ha.cf and authkeys, zero when missing", "[daemon]") {
  hbd::testing::TempDir dir;
  config::FakeSystemProbe probe;
  SystemConfigDir cfg(dir.path(), probe);
  ConfigTimes none = cfg.mtimes();
  CHECK(none.hacf == Mtime{});
  CHECK(none.authkeys == Mtime{});
  write_with_mtime(dir.path() + "/ha.cf", 1000, 5);
  write_with_mtime(dir.path() + "/authkeys", 2000, 7);
  ConfigTimes t = cfg.mtimes();
  CHECK(t.hacf == Mtime{1000, 5});
  CHECK(t.authkeys == Mtime{2000, 7});
  CHECK(mtime_of(dir.path() + "/nothing") == Mtime{});
}

TEST_CASE("config dir: validation and authkeys go through the probe", "[daemon]") {
  config::FakeSystemProbe probe;
  SystemConfigDir cfg("/cfg", probe);
  CHECK(cfg.authkeys_path() == "/cfg/authkeys");
  CHECK(cfg.read_authkeys().error == ENOENT);
  CHECK_FALSE(cfg.hacf_validates());
  probe.files["/cfg/ha.cf"] = {"logfile /l\nbcast eth0\nnode node1 node2\n", 0644};
  probe.files["/cfg/authkeys"] = {"auth 1\n1 crc\n", 0600};
  probe.files["/cfg/haresources"] = {"node1 198.18.0.9\n", 0644};
  CHECK(cfg.hacf_validates());
  CHECK(cfg.read_authkeys().text == "auth 1\n1 crc\n");
  probe.files["/cfg/ha.cf"].text += "bogus directive\n";
  CHECK_FALSE(cfg.hacf_validates());
}
