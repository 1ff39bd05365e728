#include <catch2/catch.hpp>

#include "config/fake_system_probe.h"
#include "config/hacf.h"
#include "config/words.h"

using namespace hbd::config;

namespace {

const std::string kPath = "/etc/ha.d/ha.cf";

HaCfResult parse(const std::string& text, const FakeSystemProbe& probe = FakeSystemProbe()) {
  return parse_hacf(text, kPath, probe);
}

// True if some diagnostic has exactly this message (and line, when given).
bool says(const HaCfResult& r, const std::string& message, int line = -1) {
  for (const auto& d : r.diagnostics)
    if (d.message == message && (line < 0 || d.line == line)) return true;
  return false;
}

}  // namespace

TEST_CASE("ha.cf lexing: comments, CRLF, blank lines", "[config]") {
  auto r = parse("# comment\n\n   keepalive 2 # trailing\r\n\tdeadtime 10#x\n");
  CHECK(r.errors == 0);
  CHECK(r.config.keepalive_ms == 2000);
  CHECK(r.config.deadtime_ms == 10000);
  CHECK(r.config.params.at("keepalive") == "2");
}

TEST_CASE("ha.cf: option values split on blanks and commas, last wins", "[config]") {
  auto r = parse("keepalive 2 3\nnode a,B c\nnode D\n");
  CHECK(r.errors == 0);
  CHECK(r.config.keepalive_ms == 3000);
  CHECK(r.config.nodes == std::vector<std::string>{"a", "b", "c", "d"});
}

TEST_CASE("ha.cf: directive names are case-sensitive; unknown ones are errors", "[config]") {
  auto r = parse("Keepalive 2\nnormalpoll 1\nkeepalive 1\n");
  CHECK(r.errors == 2);
  CHECK(says(r, "Illegal directive [Keepalive] in /etc/ha.d/ha.cf", 1));
  CHECK(says(r, "Illegal directive [normalpoll] in /etc/ha.d/ha.cf", 2));
  CHECK(r.config.keepalive_ms == 1000);
}

TEST_CASE("ha.cf: a directive without values does nothing", "[config]") {
  auto r = parse("keepalive\nbcast\n");
  CHECK(r.errors == 0);
  CHECK_FALSE(r.config.keepalive_ms.has_value());
  CHECK(r.config.media.empty());
}

TEST_CASE("ha.cf: 'udp' is bcast with a warning", "[config]") {
  auto r = parse("udp eth0\n");
  CHECK(r.errors == 0);
  REQUIRE(r.config.media.size() == 1);
  CHECK(r.config.media[0].kind == MediumKind::Bcast);
  CHECK(says(r, "WARNING: directive 'udp' replaced by 'bcast'", 1));
}

TEST_CASE("ha.cf: each value that fails counts as one error", "[config]") {
  auto r = parse("keepalive 2s 3 x\n");
  CHECK(r.errors == 2);
  CHECK(r.config.keepalive_ms == 3000);
}

TEST_CASE("ha.cf: time directives", "[config]") {
  CHECK(parse("keepalive 0\n").errors == 1);
  CHECK(parse("keepalive 500ms\n").config.keepalive_ms == 500);
  CHECK(parse("deadtime 0\n").errors == 0);
  CHECK(parse("initdead 2s\n").errors == 1);
  CHECK(parse("deadping 1.5\n").config.deadping_ms == 1500);
  auto w = parse("warntime 0\n");
  CHECK(w.errors == 1);
  CHECK(says(w, "Warn time [0] is invalid.", 1));
  CHECK(parse("conn_logd_time 0\n").errors == 1);
  CHECK(parse("keepalive 500 ms\n").errors == 1);  // "ms" alone is a second value
}

TEST_CASE("ha.cf: udpport and its order rule", "[config]") {
  auto r = parse("udpport 700\nbcast eth0\nudpport 800\nbcast eth0\n");
  CHECK(r.errors == 0);
  REQUIRE(r.config.media.size() == 2);
  CHECK(r.config.media[0].port == 700);
  CHECK(r.config.media[1].port == 800);
  CHECK(says(r, "udpport setting must precede media statements: bcast/ucast above keep port 700", 3));
  auto bad = parse("udpport 0\nudpport abc\nudpport -5\n");
  CHECK(bad.errors == 3);
  CHECK(parse("udpport 65536\n").errors == 0);  // as heartbeat 3.0.6
  CHECK(says(bad, "heartbeat: invalid port [0] specified."));
  CHECK(says(bad, "heartbeat: invalid port [abc] specified."));
  // heartbeat reads it with atoi into 16 bits: accepted, with a warning
  auto big = parse("udpport 70000\nbcast eth0\n");
  CHECK(big.errors == 0);
  CHECK(big.config.media[0].port == 4464);
  CHECK(says(big, "udpport [70000] is read as 4464", 1));
  CHECK(parse("udpport 694x\n").config.udpport == 694);
  auto reserved = parse("udpport 53\n");
  CHECK(reserved.errors == 0);
  CHECK(says(reserved, "heartbeat: udp port 53 reserved for service \"domain\".", 1));
  // mcast carries its own port
  auto m = parse("mcast eth0 239.18.0.1 700 1 0\nudpport 800\n");
  CHECK(m.errors == 0);
  CHECK(m.config.media[0].port == 700);
}

TEST_CASE("ha.cf: baud", "[config]") {
  auto r = parse("baud 38400\nserial /dev/ttyS0\n");
  CHECK(r.errors == 0);
  CHECK(r.config.media[0].baud == 38400);
  CHECK(parse("serial /dev/ttyS0\n").config.media[0].baud == 19200);
  auto bad = parse("baud 1234\n");
  CHECK(says(bad, "heartbeat: invalid baudrate [1234] specified."));
  auto twice = parse("baud 19200\nbaud 19200\n");
  CHECK(twice.errors == 1);
  CHECK(says(twice, "heartbeat: Baudrate multiply specified.", 2));
}

TEST_CASE("ha.cf: bcast needs an interface with a broadcast address", "[config]") {
  FakeSystemProbe p;
  p.interfaces.insert("eth1");  // exists, no IPv4 address
  auto r = parse("bcast eth0 eth9,eth1\n", p);
  CHECK(r.errors == 2);
  CHECK(r.config.media.size() == 1);
  CHECK(says(r, "glib: Get broadcast for interface eth9 failed: No such device"));
  CHECK(says(r, "glib: IP interface [eth9] does not exist"));
  CHECK(says(r, "Illegal bcast [UDP/IP broadcast] in config file [eth9]"));
  CHECK(says(r, "glib: Get broadcast for interface eth1 failed: Cannot assign requested address"));
}

TEST_CASE("ha.cf: mcast checks, first problem only", "[config]") {
  auto ok = parse("mcast eth0 239.18.0.1 694 1 0\n");
  CHECK(ok.errors == 0);
  REQUIRE(ok.config.media.size() == 1);
  const Medium& m = ok.config.media[0];
  CHECK((m.kind == MediumKind::Mcast && m.group == "239.18.0.1" && m.port == 694 && m.ttl == 1 &&
         m.loop == 0));
  CHECK(says(parse("mcast eth9 239.18.0.1 694 1 0\n"),
             "glib: mcast device [eth9] is invalid or not set up properly"));
  CHECK(says(parse("mcast eth0\n"), "glib: mcast [eth0] missing mcast address"));
  CHECK(says(parse("mcast eth0 198.18.5.9 694 1 0\n"), "glib: mcast [eth0] bad addr [198.18.5.9]"));
  CHECK(says(parse("mcast eth0 239.18.0.1\n"), "glib: mcast [eth0] missing port"));
  CHECK(says(parse("mcast eth0 239.18.0.1 0 1 0\n"), "glib:  mcast [eth0] bad port [0]"));
  CHECK(says(parse("mcast eth0 239.18.0.1 694\n"), "glib: mcast [eth0] missing ttl"));
  CHECK(says(parse("mcast eth0 239.18.0.1 694 1\n"), "glib: mcast [eth0] missing loop"));
  CHECK(says(parse("mcast eth0 239.18.0.1 694 1 2\n"), "glib:  mcast [eth0] bad loop [2]"));
  auto missing = parse("mcast eth0 239.18.0.1\n");
  CHECK(missing.errors == 1);
  CHECK(missing.diagnostics.size() == 1);
}

TEST_CASE("ha.cf: mcast numbers are read as heartbeat 3.0.6 reads them", "[config]") {
  // Observed: ttl 0..4 accepted, 5, 32, 128, 255 refused; 256 and "abc" read as 0.
  for (const char* ttl : {"0", "1", "4", "256", "abc"})
    CHECK(parse(std::string("mcast eth0 239.18.0.1 694 ") + ttl + " 0\n").errors == 0);
  for (const char* ttl : {"5", "32", "128", "255", "-1", "1000"})
    CHECK(parse(std::string("mcast eth0 239.18.0.1 694 ") + ttl + " 0\n").errors == 1);
  CHECK(says(parse("mcast eth0 239.18.0.1 694 -1 0\n"), "glib:  mcast [eth0] bad ttl [255]"));
  auto zero = parse("mcast eth0 239.18.0.1 694 256 0\n");
  CHECK(zero.config.media[0].ttl == 0);
  CHECK(says(zero, "mcast [eth0]: ttl [256] is read as 0"));
  // port: atoi into 16 bits, 0 refused; loop: 8 bits, 0 or 1
  CHECK(parse("mcast eth0 239.18.0.1 70000 1 0\n").config.media[0].port == 4464);
  CHECK(parse("mcast eth0 239.18.0.1 -1 1 0\n").config.media[0].port == 65535);
  CHECK(parse("mcast eth0 239.18.0.1 694x 1 0\n").config.media[0].port == 694);
  CHECK(parse("mcast eth0 239.18.0.1 abc 1 0\n").errors == 1);
  CHECK(parse("mcast eth0 239.18.0.1 694 1 256\n").errors == 0);
}

TEST_CASE("ha.cf: ucast", "[config]") {
  auto r = parse("udpport 700\nucast eth0 198.18.5.2\n");
  CHECK(r.errors == 0);
  CHECK(r.config.media[0].peer == "198.18.5.2");
  CHECK(r.config.media[0].port == 700);
  CHECK(says(parse("ucast eth0\n"), "glib: ucast: [eth0] missing target IP address/hostname"));
  auto unresolved = parse("ucast eth0 nowhere.invalid\n");
  CHECK(unresolved.errors == 1);
  CHECK(says(unresolved, "glib: ucast: cannot resolve hostname"));
  // The interface is only opened at start: not a parse error.
  CHECK(parse("ucast eth9 198.18.5.2\n").errors == 0);
}

TEST_CASE("ha.cf: serial, ping and ping_group", "[config]") {
  auto s = parse("serial /dev/nonexist\n");
  CHECK(says(s, "glib: Nonexistent serial port [/dev/nonexist] in config file"));
  CHECK(says(s, "Illegal serial [serial ring] in config file [/dev/nonexist]"));
  auto p = parse("ping 198.18.5.254 nowhere.invalid\n");
  CHECK(p.errors == 1);
  CHECK(p.config.ping_nodes == std::vector<std::string>{"198.18.5.254"});
  CHECK(says(p, "Illegal ping [ping membership] in config file [nowhere.invalid]"));
  auto g = parse("ping_group g1 198.18.5.254 198.18.5.253\n");
  CHECK(g.errors == 0);
  REQUIRE(g.config.ping_groups.size() == 1);
  CHECK(g.config.ping_groups[0].hosts.size() == 2);
  CHECK(parse("ping_group g1\n").errors == 1);
}

TEST_CASE("ha.cf: nodes", "[config]") {
  auto r = parse("node Node1 node2\nnode NODE1\n");
  CHECK(r.errors == 0);
  CHECK(r.config.nodes == std::vector<std::string>{"node1", "node2"});
  CHECK(parse("node " + std::string(120, 'a') + "\n").errors == 0);  // as heartbeat
  std::string many = "node";
  for (int i = 0; i < 101; ++i) many += " n" + std::to_string(i);
  CHECK(parse(many + "\n").errors == 1);
}

TEST_CASE("ha.cf: auto_failback and nice_failback", "[config]") {
  CHECK(parse("auto_failback on\n").config.auto_failback == AutoFailback::On);
  CHECK(parse("auto_failback No\n").config.auto_failback == AutoFailback::Off);
  CHECK(parse("auto_failback LEGACY\n").config.auto_failback == AutoFailback::Legacy);
  CHECK(parse("auto_failback maybe\n").errors == 1);
  // valid-nice-failback-on, gen-nice-failback-on-after-auto-*: the value
  // does not matter, an on/off auto_failback before it does.
  auto on = parse("nice_failback on\n");
  CHECK(on.errors == 0);
  CHECK(on.config.auto_failback == AutoFailback::Legacy);
  CHECK(says(on, "nice_failback on has been strictly interpreted as 'auto_failback legacy'"));
  CHECK(on.config.params.count("nice_failback") == 0);
  auto after_on = parse("auto_failback on\nnice_failback YES\n");
  CHECK(after_on.config.auto_failback == AutoFailback::Off);
  CHECK(says(after_on, "'nice_failback YES' has been changed to 'auto_failback off'"));
  CHECK(parse("auto_failback legacy\nnice_failback on\n").config.auto_failback ==
        AutoFailback::Legacy);
  auto off = parse("nice_failback off\n");
  CHECK(off.config.auto_failback == AutoFailback::Legacy);
  CHECK(parse("nice_failback maybe\n").errors == 1);
}

TEST_CASE("ha.cf: logging directives", "[config]") {
  auto r = parse("logfile /var/log/ha-log\ndebugfile /var/log/ha-debug\nlogfacility local0\n");
  CHECK(r.errors == 0);
  CHECK(r.config.logfile == "/var/log/ha-log");
  CHECK(r.config.logfacility == "local0");
  CHECK(says(parse("logfacility bogus\n"), "Log facility(bogus) not valid"));
  auto logd = parse("use_logd yes\n");
  CHECK(logd.config.use_logd == true);
  CHECK(says(logd, "Enabling logging daemon "));
  CHECK(parse("use_logd perhaps\n").errors == 1);
  CHECK(parse("syslogmsgfmt false\n").config.syslogmsgfmt == false);
}

TEST_CASE("ha.cf: enumerations and integers", "[config]") {
  CHECK(parse("hopfudge 255\n").errors == 0);
  CHECK(parse("hopfudge 256\n").errors == 1);
  CHECK(parse("debug 255\n").config.debug == 255);
  CHECK(parse("debug 300\n").errors == 1);
  CHECK(says(parse("rtprio 500\n"), "Illegal realtime priority [500]"));
  CHECK(parse("rtprio 99\n").config.rtprio == 99);
  CHECK(says(parse("hbgenmethod x\n"), "Illegal hb generation method [x]"));
  CHECK(parse("hbgenmethod time\n").config.hbgenmethod == "time");
  CHECK(says(parse("uuidfrom x\n"), "Invalid uuidfrom directive [x]"));
  CHECK(says(parse("autojoin bogus\n"), "Invalid autojoin directive [bogus]"));
  CHECK(parse("autojoin ANY\n").config.autojoin == "any");
  CHECK(parse("msgfmt Classic\n").errors == 1);
  CHECK(parse("msgfmt netstring\n").config.msgfmt_netstring);
  CHECK(says(parse("max_rexmit_delay 0\n"), "Invalid max_rexmit_delay time(0)"));
  CHECK(parse("max_rexmit_delay 100\n").config.max_rexmit_delay_ms == 100);
  CHECK(says(parse("compression_threshold 0\n"),
             "set_compression_threshold: compress_threshhold(0) invalid"));
  CHECK(says(parse("compression foo\n"), "Compression module(foo) not found"));
  CHECK(parse("compression bz2\n").errors == 0);
  CHECK(says(parse("record_config_changes maybe\n"),
             "ha_config_check_boolean:Invalid directive value maybe"));
  CHECK(parse("realtime maybe\n").errors == 1);
  CHECK(parse("memreserve 0\n").errors == 1);
  CHECK(parse("crm_daemon_dir /tmp\n").errors == 1);
  CHECK(parse("cluster mine\nquorum_server q\n").config.params.at("cluster") == "mine");
}

TEST_CASE("ha.cf: watchdog only once; coreroot and env are not fatal", "[config]") {
  auto w = parse("watchdog /dev/watchdog\nwatchdog /dev/watchdog\n");
  CHECK(w.errors == 1);
  CHECK(says(w, "heartbeat: Watchdog device multiply specified.", 2));
  auto c = parse("coreroot /nonexistent\n");
  CHECK(c.errors == 0);
  CHECK(says(c, "Invalid core directory [/nonexistent]"));
  auto e = parse("env FOO=bar BAZ\n");
  CHECK(e.errors == 0);
  REQUIRE(e.config.env.size() == 1);
  CHECK(e.config.env[0] == std::make_pair(std::string("FOO"), std::string("bar")));
}

TEST_CASE("ha.cf: pacemaker and crm", "[config]") {
  auto off = parse("crm off\n");
  CHECK(off.errors == 0);
  CHECK_FALSE(off.config.pacemaker_enabled);
  CHECK(off.config.params.at("pacemaker") == "off");
  CHECK(parse("pacemaker respawn\n").config.pacemaker_enabled);
  auto twice = parse("pacemaker off\ncrm off\n");
  CHECK(twice.errors == 1);
  CHECK(says(twice, "pacemaker/crm directive used multiple times!", 2));
  CHECK(parse("pacemaker perhaps\n").errors == 1);
}

TEST_CASE("ha.cf: respawn and failfast", "[config]") {
  auto ok = parse("respawn hacluster /usr/libexec/heartbeat/ipfail -x\n");
  CHECK(ok.errors == 0);
  REQUIRE(ok.config.clients.size() == 1);
  CHECK(ok.config.clients[0].user == "hacluster");
  CHECK(ok.config.clients[0].command == "/usr/libexec/heartbeat/ipfail -x");
  CHECK(says(parse("respawn nobody2 /usr/libexec/heartbeat/ipfail\n"),
             "Invalid uid [nobody2] specified for client child"));
  CHECK(says(parse("respawn hacluster ipfail\n"), "Client child command [ipfail] is not full pathname"));
  CHECK(says(parse("respawn hacluster\n"), "Client child command [] is not full pathname"));
  CHECK(says(parse("failfast root /etc/passwd\n"), "Client child command [/etc/passwd] is not executable"));
}

TEST_CASE("ha.cf: apiauth", "[config]") {
  auto ok = parse("apiauth foo uid=root,hacluster gid=haclient\n");
  CHECK(ok.errors == 0);
  REQUIRE(ok.config.apiauth.size() == 1);
  CHECK(ok.config.apiauth[0].uids == std::vector<std::string>{"root", "hacluster"});
  auto bare = parse("apiauth foo\n");
  CHECK(bare.errors == 1);
  CHECK(says(bare, "Invalid apiauth directive [foo]"));
  CHECK(says(bare, "One or the other must be specified."));
  auto dup = parse("apiauth foo uid=root\napiauth foo uid=root\n");
  CHECK(dup.errors == 1);
  CHECK(says(dup, "Duplicate apiauth directive for API client foo: [foo uid=root]", 2));
  auto user = parse("apiauth foo uid=nosuchuser\n");
  CHECK(says(user, "Invalid user id name [nosuchuser]"));
  CHECK(says(user, "Bad uid list [nosuchuser]"));
  CHECK(says(parse("apiauth foo gid=haclient gid=root\n"), "Duplicate gid list in apiauth"));
}

TEST_CASE("ha.cf: the rest of an overlong line is read as a line of its own", "[config]") {
  auto r = parse("node " + std::string(6000, 'a') + "\nkeepalive 2\n");
  CHECK(r.errors == 1);
  CHECK(r.config.keepalive_ms == 2000);
}

// Edge cases whose heartbeat 3.0.6 verdict the generated corpus recorded
// (test/config-corpus/cases/gen-*): each check names its case.

TEST_CASE("fgets_lines: buffer-sized reads, NUL ends a line", "[config]") {
  auto reads = fgets_lines(std::string("abcdefg\nxy\0z\n", 13), 4);
  REQUIRE(reads.size() == 5);  // as fgets with a 4-byte buffer
  CHECK(reads[0].text == "abc");
  CHECK_FALSE(reads[0].newline);
  CHECK(reads[1].text == "def");
  CHECK(reads[2].text == "g");
  CHECK(reads[2].newline);
  CHECK(reads[2].line == 1);
  CHECK(reads[3].text == "xy");
  CHECK(reads[3].line == 2);
  CHECK(reads[4].text == "z");
}

TEST_CASE("ha.cf: a line longer than the buffer goes on as a new line", "[config]") {
  // gen-hacf-split-probe: heartbeat reads 5119 bytes, then "DEFGH".
  auto r = parse("#" + std::string(5115, 'x') + "ABCDEFGH\n");
  CHECK(r.errors == 1);
  CHECK(says(r, "Illegal directive [DEFGH] in /etc/ha.d/ha.cf", 1));
  CHECK(parse("#" + std::string(5118, 'x') + "\n").errors == 0);  // gen-hacf-line-5119
  auto split = parse("#" + std::string(5118, 'x') + "keepalive 0\n");  // gen-hacf-long-line-split
  CHECK(split.errors == 1);
}

TEST_CASE("ha.cf: NUL ends the line, leading form feed is white space", "[config]") {
  CHECK(parse(std::string("keepalive 2\0junk\n", 17)).errors == 0);  // gen-hacf-nul-byte
  CHECK(parse("\fkeepalive 2\n").config.keepalive_ms == 2000);      // gen-hacf-formfeed
  CHECK(parse("keepalive\v2\n").errors == 1);                       // gen-hacf-vertical-tab
}

TEST_CASE("ha.cf: integers heartbeat reads with atoi", "[config]") {
  // gen-{hopfudge,debug,rtprio,max-rexmit-delay,memreserve,compression-threshold}-junk/alpha
  auto junk = parse("hopfudge 5x\n");
  CHECK(junk.errors == 0);
  CHECK(junk.config.hopfudge == 5);
  CHECK(says(junk, "hopfudge [5x] is read as 5"));
  CHECK(parse("hopfudge abc\n").config.hopfudge == 0);
  CHECK(parse("hopfudge -1\n").errors == 1);
  CHECK(parse("debug abc\n").errors == 0);
  CHECK(parse("debug 99999999999999999999\n").errors == 1);
  CHECK(parse("rtprio 5x\n").config.rtprio == 5);
  CHECK(parse("rtprio abc\n").errors == 1);
  CHECK(parse("max_rexmit_delay 5x\n").config.max_rexmit_delay_ms == 5);
  CHECK(parse("memreserve 5x\n").errors == 0);
  CHECK(parse("memreserve abc\n").errors == 1);
  CHECK(parse("compression_threshold 5x\n").errors == 0);
  CHECK(parse("udpport 99999999999999999999\n").errors == 1);  // gen-udpport-huge
}

TEST_CASE("ha.cf: a bad baud still counts as given", "[config]") {
  auto r = parse("baud 3 4\n");  // gen-baud-two-values
  CHECK(r.errors == 2);
  CHECK(says(r, "heartbeat: invalid baudrate [3] specified."));
  CHECK(says(r, "heartbeat: Baudrate multiply specified."));
}

TEST_CASE("ha.cf: env needs a name", "[config]") {
  CHECK(says(parse("env =bar\n"), "set_env: invalid nvpair(=bar)"));  // gen-env-empty-name
  CHECK(parse("env FOO\n").errors == 0);                              // gen-env-no-equals
}

TEST_CASE("ha.cf: serial needs a character device", "[config]") {
  FakeSystemProbe probe;
  probe.paths.insert("/etc/passwd");
  auto r = parse("serial /etc/passwd\n", probe);  // gen-serial-regular-file-only
  CHECK(r.errors == 1);
  CHECK(says(r, "glib: Serial port [/etc/passwd] not a char device in config file"));
  CHECK(says(r, "Illegal serial [serial ring] in config file [/etc/passwd]"));
  CHECK(parse("serial /dev/ttyS0\n").errors == 0);
  CHECK(says(parse("serial ttyS0\n"),  // gen-serial-relative-only
             "glib: Serial port not full pathname [ttyS0] in config file"));
}

TEST_CASE("ha.cf: ping_group leaves out hosts that do not resolve", "[config]") {
  auto r = parse("ping_group g1 nowhere.invalid 198.18.5.254\n");  // gen-ping-group-unresolvable
  CHECK(r.errors == 0);
  REQUIRE(r.config.ping_groups.size() == 1);
  CHECK(r.config.ping_groups[0].hosts == std::vector<std::string>{"198.18.5.254"});
  CHECK(says(r, "glib: unknown host: nowhere.invalid: Name or service not known"));
}

TEST_CASE("ha.cf: respawn of a directory passes heartbeat's access check", "[config]") {
  auto r = parse("respawn root /var/lib/heartbeat/cores\n");  // gen-respawn-dir
  CHECK(r.errors == 0);
  CHECK(says(r, "Client child command [/var/lib/heartbeat/cores] is a directory: it will fail "
                "to run at every respawn"));
}

TEST_CASE("ha.cf: apiauth numeric ids, group message", "[config]") {
  CHECK(parse("apiauth ipfail uid=0\n").errors == 0);  // gen-apiauth-numeric-uid
  CHECK(says(parse("apiauth ipfail gid=nosuchgroup\n"), "Invalid group name [nosuchgroup]"));
  CHECK(says(parse("apiauth ipfail foo=root\n"), "Missing uid or gid in apiauth"));  // gen-apiauth-bogus-key
}

TEST_CASE("ha.cf: stonith and stonith_host types and parameters", "[config]") {
  FakeSystemProbe probe;
  probe.paths.insert("/usr/lib/stonith/plugins/stonith2/null.so");
  probe.paths.insert("/usr/lib/stonith/plugins/stonith2/external.so");
  probe.paths.insert("/etc/ha.d/stonith.cfg");
  auto p = [&probe](const std::string& text) { return parse(text, probe); };
  CHECK(says(p("stonith_host\n"), "No Stonith hostname argument given"));
  CHECK(says(p("stonith_host *\n"), "No Stonith type given"));
  CHECK(says(p("stonith_host * nosuchtype a b\n"), "Invalid Stonith type [nosuchtype]"));
  CHECK(says(p("stonith_host NODE1 nosuchtype a\n"), "Invalid Stonith type [nosuchtype]"));
  CHECK(p("stonith_host node2 nosuchtype a b\n").errors == 0);  // not for this node
  CHECK(says(p("stonith_host * null\n"), "Invalid Stonith configuration parameter []"));
  CHECK(says(p("stonith_host * external/nosuch a\n"), "Invalid Stonith configuration parameter [ a]"));
  CHECK(p("stonith_host * null node1 node2\n").errors == 0);
  CHECK(says(p("stonith_host * null node1 node2\n"),
             "STONITH devices are not used by hbd: [* null node1 node2] is ignored; hbd fences "
             "with the [fence] command of hbd.ini (see hbd.ini(5))"));
  CHECK(says(p("stonith nosuchtype /etc/ha.d/stonith.cfg\n"), "Invalid Stonith type [nosuchtype]"));
  auto file = p("stonith null /nonexistent.cfg\n");
  CHECK(says(file, "glib: Cannot open /nonexistent.cfg"));
  CHECK(says(file, "Invalid Stonith config file [/nonexistent.cfg]"));
  CHECK(p("stonith null /etc/ha.d/stonith.cfg\n").errors == 0);
}
