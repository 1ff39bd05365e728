#include "config/defaults.h"

#include <catch2/catch.hpp>

#include "cluster/params.h"
#include "config/hacf.h"
#include "config/validate.h"
#include "io/udp_medium.h"
#include "serial/serial_port.h"

using namespace hbd;
using namespace hbd::config;

// `heartbeat -D` of the installed heartbeat 3.0.6, byte for byte.
const char* const kHeartbeatTable =
    "Directive                Default   Description\n"
    "--------------------------------------------------------------------------------\n"
    "cluster                  linux-ha  the name of cluster\n"
    "hopfudge                 1         # of hops above cluster size\n"
    "keepalive                1000ms    keepalive time\n"
    "deadtime                 30000ms   node deadtime\n"
    "baud                     19200     baud rate\n"
    "auto_failback            legacy    auto failback\n"
    "hbgenmethod              file      protocol generation computation method\n"
    "realtime                 true      enable realtime behavior?\n"
    "msgfmt                   classic   message format in the wire\n"
    "conn_logd_time           60        the interval to reconnect to logd\n"
    "log_badpack              true      warn about bad packets\n"
    "syslogmsgfmt             true      log to files in syslog format\n"
    "coredumps                true      enable Linux-HA core dumps\n"
    "pacemaker                false     enable Pacemaker resource management\n"
    "autojoin                 none      set automatic join mode/style\n"
    "uuidfrom                 file      set the source for uuid\n"
    "compression              zlib      set compression module\n"
    "compression_threshold    2         set compression threshold\n"
    "traditional_compression  no        set traditional_compression\n"
    "max_rexmit_delay         250       set the maximum rexmit delay time\n"
    "record_config_changes    on        record changes to the cib (valid only with: pacemaker on)\n"
    "record_pengine_inputs    on        record the input used by the policy engine (valid only with: pacemaker on)\n"
    "enable_config_writes     on        write configuration changes to disk (valid only with: pacemaker on)\n"
    "memreserve               6500      number of kbytes to preallocate in heartbeat\n"
    ;

TEST_CASE("defaults: hbd -D prints heartbeat's table", "[config]") {
  CHECK(format_defaults_table() == kHeartbeatTable);
}

TEST_CASE("defaults: the derived times follow heartbeat's rules", "[config]") {
  CHECK(defaults::warntime_for(30000) == 15000);
  CHECK(defaults::deadping_for(30000) == 30000);
  CHECK(defaults::initdead_for(30000) == 30000);  // above 10 s: deadtime
  CHECK(defaults::initdead_for(8000) == 16000);   // 6..10 s: twice deadtime
  CHECK(defaults::initdead_for(5000) == 12000);   // below 6 s: 12 s
}

TEST_CASE("defaults: every module starts from the same values", "[config]") {
  HaConfig cfg;
  apply_defaults(cfg);
  cluster::Params p;
  CHECK(cfg.keepalive_ms == p.keepalive_ms);
  CHECK(cfg.deadtime_ms == p.deadtime_ms);
  CHECK(cfg.warntime_ms == p.warntime_ms);
  CHECK(cfg.initdead_ms == p.initdead_ms);
  CHECK(cfg.deadping_ms == p.deadping_ms);
  CHECK(cfg.max_rexmit_delay_ms == p.max_rexmit_delay_ms);
  CHECK(cfg.hopfudge == p.hopfudge);
  CHECK(cfg.udpport == io::UdpSpec{}.port);
  CHECK(cfg.baud == serial::PortSpec{}.baud);
  CHECK(cfg.params.at("keepalive") == "1000ms");
  CHECK(cfg.params.at("udpport") == "694");
}
