#include "daemon/reload.h"

#include <catch2/catch.hpp>

using namespace hbd;
using namespace hbd::daemon;
using hbd::log::Level;

namespace {

const ConfigTimes kBefore{{100, 5}, {200, 7}, {0, 0}};

ConfigTimes with_hacf(ConfigTimes t, Mtime m) {
  t.hacf = m;
  return t;
}
ConfigTimes with_keys(ConfigTimes t, Mtime m) {
  t.authkeys = m;
  return t;
}

std::vector<LogLine> lines(std::initializer_list<LogLine> l) { return l; }

}  // namespace

TEST_CASE("reload: nothing changed says so and does nothing", "[daemon][reload]") {
  ReloadDecision d = decide_reload(kBefore, kBefore, HacfVerdict::invalid());
  CHECK_FALSE(d.restart);
  CHECK_FALSE(d.reread_authkeys);
  CHECK(d.log == lines({{Level::Info, "Configuration unchanged."}}));
  CHECK(d.record.hacf == kBefore.hacf);
  CHECK(d.record.authkeys == kBefore.authkeys);
}

TEST_CASE("reload: whether ha.cf validates matters only when it changed", "[daemon][reload]") {
  CHECK_FALSE(hacf_changed(kBefore, kBefore));
  CHECK_FALSE(hacf_changed(kBefore, with_keys(kBefore, {201, 0})));
  CHECK(hacf_changed(kBefore, with_hacf(kBefore, {100, 6})));  // nanoseconds count
  CHECK(decide_reload(kBefore, kBefore, HacfVerdict::valid()).log ==
        decide_reload(kBefore, kBefore, HacfVerdict::invalid()).log);
}

TEST_CASE("reload: a changed authkeys alone is reread", "[daemon][reload]") {
  ConfigTimes now = with_keys(kBefore, {201, 0});
  ReloadDecision d = decide_reload(kBefore, now, HacfVerdict::invalid());
  CHECK_FALSE(d.restart);
  CHECK(d.reread_authkeys);
  CHECK(d.log == lines({{Level::Info, "Rereading authentication file."}}));
  CHECK(d.record.authkeys == now.authkeys);
  CHECK(d.record.hacf == kBefore.hacf);
  // The next SIGHUP compares with the new time.
  CHECK(decide_reload(d.record, now, HacfVerdict::invalid()).log ==
        lines({{Level::Info, "Configuration unchanged."}}));
}

TEST_CASE("reload: a changed, valid ha.cf re-execs (keys come with the new process)",
          "[daemon][reload]") {
  ConfigTimes now = with_keys(with_hacf(kBefore, {300, 0}), {301, 0});
  ReloadDecision d = decide_reload(kBefore, now, HacfVerdict::valid());
  CHECK(d.restart);
  CHECK_FALSE(d.reread_authkeys);
  CHECK(d.log == lines({{Level::Info, "Heartbeat restart triggered."},
                        {Level::Info, "Restarting heartbeat."}}));
}

TEST_CASE("reload: a changed ha.cf with errors is not reloaded", "[daemon][reload]") {
  ConfigTimes now = with_hacf(kBefore, {300, 0});
  ReloadDecision d = decide_reload(kBefore, now, HacfVerdict::invalid());
  CHECK_FALSE(d.restart);
  CHECK_FALSE(d.reread_authkeys);
  CHECK(d.log == lines({{Level::Error, "Config errors: ha.cf not reloaded"}}));
  CHECK(d.record.hacf == now.hacf);  // not reported again for the same file
  CHECK(decide_reload(d.record, now, HacfVerdict::invalid()).log ==
        lines({{Level::Info, "Configuration unchanged."}}));
}

TEST_CASE("reload: an authkeys change made with a bad ha.cf still applies", "[daemon][reload]") {
  ConfigTimes now = with_keys(with_hacf(kBefore, {300, 0}), {301, 0});
  ReloadDecision d = decide_reload(kBefore, now, HacfVerdict::invalid());
  CHECK_FALSE(d.restart);
  CHECK(d.reread_authkeys);
  CHECK(d.log == lines({{Level::Error, "Config errors: ha.cf not reloaded"},
                        {Level::Info, "Rereading authentication file."}}));
  CHECK(d.record.hacf == now.hacf);
  CHECK(d.record.authkeys == now.authkeys);
}

TEST_CASE("reload: an unchecked ha.cf is not reloaded and is checked again next time",
          "[daemon][reload]") {
  ConfigTimes now = with_keys(with_hacf(kBefore, {300, 0}), {301, 0});
  HacfVerdict slow = HacfVerdict::unchecked("Configuration check took longer than 5 s");
  ReloadDecision d = decide_reload(kBefore, now, slow);
  CHECK_FALSE(d.restart);
  CHECK(d.reread_authkeys);  // as with a bad ha.cf: the keys are checked on their own
  CHECK(d.log == lines({{Level::Error, "Configuration check took longer than 5 s: not reloaded"},
                        {Level::Info, "Rereading authentication file."}}));
  CHECK(d.record.hacf == kBefore.hacf);
  CHECK(d.record.authkeys == now.authkeys);
  CHECK(hacf_changed(d.record, now));
}

TEST_CASE("reload: a file that vanished counts as changed", "[daemon][reload]") {
  ReloadDecision d = decide_reload(kBefore, with_keys(kBefore, Mtime{}), HacfVerdict::invalid());
  CHECK(d.reread_authkeys);
}

TEST_CASE("reload: reread authkeys gives the new keys", "[daemon][reload]") {
  config::FileContent file{0, "auth 2\n1 crc\n2 sha1 secret\n", 0600};
  AuthkeysReread r = reread_authkeys(file, "/cfg/authkeys");
  REQUIRE(r.auth);
  CHECK(r.auth->active == 2);
  CHECK(r.auth->keys.at(2).method == wire::AuthMethod::Sha1);
  CHECK(r.log.empty());
}

TEST_CASE("reload: an unreadable or open authkeys keeps the current keys", "[daemon][reload]") {
  const std::vector<LogLine> keep = {
      {Level::Error, "Cannot reread /cfg/authkeys: keeping the current keys"}};
  AuthkeysReread missing = reread_authkeys({ENOENT, "", 0}, "/cfg/authkeys");
  CHECK_FALSE(missing.auth);
  CHECK(missing.log == keep);
  AuthkeysReread open = reread_authkeys({0, "auth 1\n1 crc\n", 0644}, "/cfg/authkeys");
  CHECK_FALSE(open.auth);
  CHECK(open.log == keep);
}

TEST_CASE("reload: a bad authkeys says why and keeps the current keys", "[daemon][reload]") {
  AuthkeysReread r = reread_authkeys({0, "auth 20\n1 sha1 x\n", 0600}, "/cfg/authkeys");
  CHECK_FALSE(r.auth);
  CHECK(r.log == lines({{Level::Error, "Auth Key [20] not found in keyfile [/cfg/authkeys]"},
                        {Level::Error,
                         "Authentication configuration error: keeping the current keys"}}));
}

TEST_CASE("reload: a changed hbd.ini is checked and re-execs like ha.cf; a bad one is kept out",
          "[daemon][reload]") {
  ConfigTimes ini_changed = kBefore;
  ini_changed.hbd_ini = {300, 1};
  CHECK(hacf_changed(kBefore, ini_changed));
  ReloadDecision ok = decide_reload(kBefore, ini_changed, HacfVerdict::valid());
  CHECK(ok.restart);
  ReloadDecision bad = decide_reload(kBefore, ini_changed, HacfVerdict::invalid());
  CHECK_FALSE(bad.restart);
  CHECK(bad.log == lines({{Level::Error, "Config errors: hbd.ini not reloaded"}}));
  CHECK(bad.record.hbd_ini == ini_changed.hbd_ini);  // said once for this file
  CHECK(bad.record.hacf == kBefore.hacf);
  CHECK_FALSE(hacf_changed(bad.record, ini_changed));
}
