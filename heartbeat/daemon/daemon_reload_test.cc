// SIGHUP on the daemon's wiring with fakes (daemon/daemon_fixture.h): the
// check of a changed ha.cf runs away from the loop (FakeConfigDir ends it
// when the test says), and heartbeats go on meanwhile.
#include <signal.h>

#include <catch2/catch.hpp>

#include "daemon/daemon_fixture.h"

using namespace hbd;
using namespace hbd::daemon;
using namespace hbd::daemon::testing;

namespace {

// SIGHUP to the running daemon after an edit of ha.cf: its check starts.
void hup_after_hacf_change(Fixture& f) {
  f.config.times.hacf = {101, 0};
  f.daemon->on_signal(SIGHUP);
}

// authkeys now signs with key 2.
void change_authkeys(Fixture& f, unsigned mode = 0600) {
  f.config.times.authkeys = {101, 0};
  f.config.authkeys = {0, "auth 2\n2 md5 other\n", mode};
}

}  // namespace

TEST_CASE("daemon: SIGHUP with nothing changed", "[daemon]") {
  Fixture f;
  f.start();
  f.daemon->on_signal(SIGHUP);
  CHECK(f.logged("info: Configuration unchanged."));
  CHECK(f.config.checks == 0);
  CHECK_FALSE(f.daemon->stopping());
}

TEST_CASE("daemon: SIGHUP after an authkeys change signs with the new key", "[daemon]") {
  Fixture f;
  f.start();
  change_authkeys(f);
  f.daemon->on_signal(SIGHUP);
  CHECK(f.logged("info: Rereading authentication file."));
  CHECK(f.daemon->wire_settings().auth.active == 2);
  f.run_until(f.clock.mono + 1000);
  wire::DecodeResult d = wire::decode(f.medium(0).sent.back(), f.daemon->wire_settings().auth);
  CHECK(d.ok());
  CHECK(d.auth_index == 2);
  CHECK_FALSE(wire::decode(f.medium(0).sent.back(), f.auth).ok());
  f.daemon->on_signal(SIGHUP);
  CHECK(f.logged("info: Configuration unchanged."));
}

// One rule for UDP and serial: every send, a retransmission too, is signed
// with the keys of the moment (heartbeat re-signs what it retransmits).
TEST_CASE("daemon: after an authkeys change retransmissions carry the new key on every medium",
          "[daemon]") {
  Fixture f;
  f.start();
  f.hear(status2(1, "up"));
  std::vector<std::string> first;  // our seq 2 on each medium, signed with key 1
  for (size_t i = 0; i < 3; ++i) first.push_back(f.medium(i).sent.at(1));
  change_authkeys(f);
  f.daemon->on_signal(SIGHUP);
  const wire::AuthConfig& now = f.daemon->wire_settings().auth;
  REQUIRE(now.active == 2);
  wire::Message req = from_node2("NS_rexmit", 0);
  req.add("dest", "node1");
  req.add("firstseq", "2");
  req.add("lastseq", "2");
  f.medium(0).deliver(wire::encode_netstring(req, now, true));
  for (size_t i = 0; i < 3; ++i) {
    INFO("medium " << i);
    const std::string& again = f.medium(i).sent.back();
    wire::DecodeResult d = wire::decode(again, now);
    REQUIRE(d.ok());
    CHECK(d.auth_index == 2);
    CHECK(d.msg.get_or("seq", "") == "2");
    wire::Message was = wire::decode(first[i], f.auth).msg;
    was.remove("auth");
    d.msg.remove("auth");
    CHECK(d.msg == was);  // the message as first sent, signed anew
    CHECK_FALSE(wire::decode(again, f.auth).ok());
  }
}

TEST_CASE("daemon: SIGHUP with a bad authkeys keeps the keys", "[daemon]") {
  Fixture f;
  f.start();
  change_authkeys(f, 0644);
  f.daemon->on_signal(SIGHUP);
  CHECK(f.logged("ERROR: Cannot reread /cfg/authkeys: keeping the current keys"));
  CHECK(f.daemon->wire_settings().auth.active == 1);
}

TEST_CASE("daemon: SIGHUP after a valid ha.cf change leaves the loop to re-exec", "[daemon]") {
  Fixture f;
  f.start();
  hup_after_hacf_change(f);
  CHECK(f.config.checks == 1);
  CHECK_FALSE(f.daemon->stopping());  // not before the check's verdict
  f.config.finish_check(HacfVerdict::valid());
  CHECK(f.logged("info: Heartbeat restart triggered.\n"));
  CHECK(f.logged("info: Restarting heartbeat.\n"));
  CHECK(f.daemon->stopping());
  CHECK(f.daemon->exit_reason() == DaemonExit::Restart);
  size_t sent = f.medium(0).sent.size();
  f.hear(status2(1, "up"));  // a stopping daemon takes nothing in
  f.daemon->on_tick();
  CHECK(f.medium(0).sent.size() == sent);
  CHECK(f.daemon->intake().counters().accepted == 0);
}

TEST_CASE("daemon: SIGHUP after a bad ha.cf change keeps running", "[daemon]") {
  Fixture f;
  f.start();
  hup_after_hacf_change(f);
  f.config.finish_check(HacfVerdict::invalid());
  CHECK(f.logged("ERROR: Config errors: ha.cf not reloaded"));
  CHECK_FALSE(f.daemon->stopping());
  f.daemon->on_signal(SIGHUP);  // the same bad file is not validated again
  CHECK(f.config.checks == 1);
  CHECK(f.logged("info: Configuration unchanged."));
}

// The check may wait on DNS or NSS for seconds: heartbeats must not.
TEST_CASE("daemon: heartbeats go on while a changed ha.cf is being checked", "[daemon]") {
  Fixture f;
  f.start();
  hup_after_hacf_change(f);
  REQUIRE(f.daemon->reload_pending());
  size_t sent = f.medium(0).sent.size();
  f.run_until(f.clock.mono + 3000);
  CHECK(f.sent_on(0, f.auth).size() >= sent + 3);  // keepalive 1: one a second
  CHECK(f.sent_on(0, f.auth).back().get_or("t", "") == "status");
  f.daemon->on_signal(SIGHUP);  // merged into the running check
  CHECK(f.logged("info: Configuration check in progress: reread when it ends."));
  CHECK(f.config.checks == 1);
  CHECK_FALSE(f.daemon->stopping());
}

TEST_CASE("daemon: a check over its budget keeps the running configuration", "[daemon]") {
  Fixture f;
  f.start();
  hup_after_hacf_change(f);
  f.config.finish_check(HacfVerdict::unchecked("Configuration check took longer than 5 s"));
  CHECK(f.logged("ERROR: Configuration check took longer than 5 s: not reloaded"));
  CHECK_FALSE(f.daemon->stopping());
  CHECK_FALSE(f.daemon->reload_pending());
  f.daemon->on_signal(SIGHUP);  // checked again: the name server may answer now
  CHECK(f.config.checks == 2);
}

TEST_CASE("daemon: files changed during the check are looked at with its verdict", "[daemon]") {
  Fixture f;
  f.start();
  hup_after_hacf_change(f);
  change_authkeys(f);
  f.config.times.hacf = {102, 0};
  f.config.finish_check(HacfVerdict::valid());  // for an ha.cf that is gone
  CHECK(f.config.checks == 2);
  CHECK_FALSE(f.daemon->stopping());
  f.config.finish_check(HacfVerdict::invalid());
  CHECK(f.logged("ERROR: Config errors: ha.cf not reloaded"));
  CHECK(f.logged("info: Rereading authentication file."));
  CHECK(f.daemon->wire_settings().auth.active == 2);
}

TEST_CASE("daemon: a check still running when the daemon goes is cancelled", "[daemon]") {
  Fixture f;
  f.start();
  hup_after_hacf_change(f);
  REQUIRE(f.config.pending);
  f.daemon.reset();
  CHECK_FALSE(f.config.pending);
}
