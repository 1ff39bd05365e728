// ha.cf: lexing and per-directive checks, producing a typed HaConfig plus
// the raw recorded values heartbeat exports as HA_<name>.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/defaults.h"
#include "config/diagnostic.h"
#include "config/system_probe.h"

namespace hbd::config {

enum class MediumKind { Bcast, Mcast, Ucast, Serial, Mcast6, Ucast6 };

struct Medium {
  MediumKind kind = MediumKind::Bcast;
  std::string dev;    // interface, or tty path for serial
  std::string group;  // mcast group
  std::string peer;   // ucast peer (IP or hostname)
  int port = 0;       // bcast/ucast: udpport latched when created; mcast: own port
  int ttl = 1;        // mcast ttl / hops
  int loop = 0;       // mcast loop
  int baud = 0;       // serial: baud latched when created
  int line = 0;
};

struct PingGroup {
  std::string name;
  std::vector<std::string> hosts;
};

enum class AutoFailback { On, Off, Legacy };

struct ClientChild {  // respawn / failfast
  std::string user;
  std::string command;  // full rest of line after the user
  bool failfast = false;
  int line = 0;
};

struct ApiAuth {
  std::string client;
  std::vector<std::string> uids, gids;
};

struct StonithHost {
  std::string host;  // "*" or a node
  std::string type;
  std::string params;
};

struct HaConfig {
  std::vector<std::string> nodes;  // lower-cased, in file order
  std::optional<long> keepalive_ms, deadtime_ms, warntime_ms, initdead_ms, deadping_ms;
  std::optional<int> udpport, baud;
  std::vector<Medium> media;
  std::vector<std::string> ping_nodes;
  std::vector<PingGroup> ping_groups;
  std::optional<AutoFailback> auto_failback;
  int hopfudge = defaults::kHopfudge;
  std::optional<std::string> logfile, debugfile, logfacility;
  std::optional<bool> use_logd;
  long conn_logd_time_ms = defaults::kConnLogdTimeMs;
  std::optional<bool> syslogmsgfmt;
  bool msgfmt_netstring = false;
  int max_rexmit_delay_ms = defaults::kMaxRexmitDelayMs;
  std::string hbgenmethod = defaults::kHbgenmethod;
  std::string uuidfrom = defaults::kUuidfrom;
  std::string autojoin = defaults::kAutojoin;  // lower-cased
  std::optional<std::string> pacemaker;  // raw value of pacemaker/crm
  bool pacemaker_enabled = false;
  std::vector<ClientChild> clients;
  std::vector<ApiAuth> apiauth;
  std::vector<std::string> stonith;  // whole `stonith` lines
  std::vector<StonithHost> stonith_hosts;
  bool realtime = true;
  std::optional<int> rtprio;
  int debug = 0;
  std::optional<std::string> watchdog;
  bool coredumps = true;
  std::optional<std::string> coreroot;
  std::vector<std::pair<std::string, std::string>> env;
  // Raw value of every recorded directive (last one wins), then defaults.
  std::map<std::string, std::string> params;
  // Line of the last occurrence of each directive, for later messages.
  std::map<std::string, int> lines;
  int line_of_first_medium = 0;
};

struct HaCfResult {
  HaConfig config;
  Diagnostics diagnostics;
  int errors = 0;  // failed directives; any => "configuration error"
};

// Parses the text of `path`. Host facts (interfaces, users, names) come from
// `probe`.
HaCfResult parse_hacf(const std::string& text, const std::string& path,
                      const SystemProbe& probe);

}  // namespace hbd::config
