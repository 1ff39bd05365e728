// ha.cf media and whole-line directives: bcast, mcast, ucast, serial, ping,
// ping_group (and their IPv6 forms), respawn/failfast, apiauth, stonith.
#include <arpa/inet.h>

#include <sstream>
#include <vector>

#include "config/defaults.h"
#include "config/hacf_directives.h"
#include "config/timeval.h"

namespace hbd::config::hacf {

namespace {

std::vector<std::string> split_blanks(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// `s` without its first `n` blank-separated words and the blanks after them.
std::string after_words(const std::string& s, size_t n) {
  size_t i = s.find_first_not_of(" \t");
  for (; n > 0 && i != std::string::npos; --n) {
    i = s.find_first_of(" \t", i);
    if (i != std::string::npos) i = s.find_first_not_of(" \t", i);
  }
  return i == std::string::npos ? "" : s.substr(i);
}

// The port bcast/ucast use: udpport if already read, else /etc/services.
int latched_udpport(const Context& c) {
  if (c.cfg.udpport) return *c.cfg.udpport;
  return c.probe.udp_service_port("ha-cluster").value_or(defaults::kUdpPort);
}

Medium& add_medium(Context& c, MediumKind kind, const std::string& dev) {
  Medium m;
  m.kind = kind;
  m.dev = dev;
  m.line = c.line;
  if (c.cfg.media.empty()) c.cfg.line_of_first_medium = c.line;
  c.cfg.media.push_back(m);
  return c.cfg.media.back();
}

bool on_bcast(Context& c, const std::string& ifname) {
  ProbeResult r = c.probe.broadcast_address(ifname);
  if (!r.ok) {
    c.fail("glib: Get broadcast for interface " + ifname + " failed: " + r.error);
    c.fail("glib: IP interface [" + ifname + "] does not exist");
    return c.fail("Illegal bcast [UDP/IP broadcast] in config file [" + ifname + "]");
  }
  add_medium(c, MediumKind::Bcast, ifname).port = latched_udpport(c);
  return true;
}

bool on_serial(Context& c, const std::string& tty) {
  if (tty.empty() || tty[0] != '/') {
    c.fail("glib: Serial port not full pathname [" + tty + "] in config file");
    return c.fail("Illegal serial [serial ring] in config file [" + tty + "]");
  }
  if (!c.probe.path_exists(tty)) {
    c.fail("glib: Nonexistent serial port [" + tty + "] in config file");
    return c.fail("Illegal serial [serial ring] in config file [" + tty + "]");
  }
  if (!c.probe.is_char_device(tty)) {
    c.fail("glib: Serial port [" + tty + "] not a char device in config file");
    return c.fail("Illegal serial [serial ring] in config file [" + tty + "]");
  }
  add_medium(c, MediumKind::Serial, tty).baud = c.cfg.baud.value_or(defaults::kBaud);
  return true;
}

bool check_ping_host(Context& c, const std::string& host) {
  ProbeResult r = c.probe.resolve_host(host);
  if (r.ok) return true;
  c.fail("glib: unknown host: " + host + ": " + r.error);
  return c.fail("Illegal ping [ping membership] in config file [" + host + "]");
}

bool on_ping(Context& c, const std::string& host) {
  if (!check_ping_host(c, host)) return false;
  c.cfg.ping_nodes.push_back(host);
  return true;
}

bool on_ping6(Context& c, const std::string& host) {
  c.warn("ping6 [" + host + "] is accepted but not supported by hbd: ignored");
  return true;
}

bool is_ipv4_multicast(const std::string& addr) {
  struct in_addr a;
  if (inet_pton(AF_INET, addr.c_str(), &a) != 1) return false;
  unsigned first = ntohl(a.s_addr) >> 24;
  return first >= 224 && first <= 239;
}

// Reads a number of an mcast line as heartbeat does: atoi, then kept in a
// field of `bits` bits. Warns when that changes what was written.
long mcast_number(Context& c, const std::string& dev, const char* what, const std::string& text,
                  int bits) {
  LaxInt n = parse_lax_int(text);
  long kept = n.value & ((1L << bits) - 1);
  if (!n.clean || kept != n.value)
    c.warn("mcast [" + dev + "]: " + what + " [" + text + "] is read as " + std::to_string(kept));
  return kept;
}

// mcast dev group port ttl loop. Stops at the first problem, as heartbeat.
bool on_mcast(Context& c, const std::string& rest) {
  auto w = split_blanks(rest);
  std::string dev = w.empty() ? "" : w[0];
  if (!c.probe.interface_exists(dev)) {
    c.fail("glib: Unable to retrieve local interface address for interface [" + dev +
           "] using ioctl(SIOCGIFADDR): No such device");
    return c.fail("glib: mcast device [" + dev + "] is invalid or not set up properly");
  }
  const std::string who = "glib: mcast [" + dev + "] ";
  const std::string bad = "glib:  mcast [" + dev + "] bad ";
  if (w.size() < 2) return c.fail(who + "missing mcast address");
  if (!is_ipv4_multicast(w[1])) return c.fail(who + "bad addr [" + w[1] + "]");
  if (w.size() < 3) return c.fail(who + "missing port");
  long port = mcast_number(c, dev, "port", w[2], 16);
  if (port == 0) return c.fail(bad + "port [" + std::to_string(port) + "]");
  if (w.size() < 4) return c.fail(who + "missing ttl");
  long ttl = mcast_number(c, dev, "ttl", w[3], 8);
  if (ttl > 4) {
    c.fail(bad + "ttl [" + std::to_string(ttl) + "]");
    c.info("heartbeat 3.0.6 accepts an mcast ttl of 0 to 4 only");
    return false;
  }
  if (w.size() < 5) return c.fail(who + "missing loop");
  long loop = mcast_number(c, dev, "loop", w[4], 8);
  if (loop > 1) return c.fail(bad + "loop [" + std::to_string(loop) + "]");
  if (w.size() > 5) c.warn("mcast [" + dev + "]: text after the loop value is ignored");
  Medium& m = add_medium(c, MediumKind::Mcast, dev);
  m.group = w[1];
  m.port = static_cast<int>(port);
  m.ttl = static_cast<int>(ttl);
  m.loop = static_cast<int>(loop);
  return true;
}

// ucast dev peer. Whether `dev` exists is only found out when heartbeat
// opens the medium, so validation checks it (a start failure, not a
// configuration error).
bool on_ucast(Context& c, const std::string& rest) {
  auto w = split_blanks(rest);
  std::string dev = w.empty() ? "" : w[0];
  if (w.size() < 2) return c.fail("glib: ucast: [" + dev + "] missing target IP address/hostname");
  if (!c.probe.resolve_host(w[1]).ok) {
    c.fail("glib: ucast: cannot resolve hostname");
    return c.fail("glib: ucast: interface [" + dev + "] does not exist");
  }
  if (w.size() > 2) c.warn("ucast [" + dev + "]: only the first peer [" + w[1] + "] is used");
  Medium& m = add_medium(c, MediumKind::Ucast, dev);
  m.peer = w[1];
  m.port = latched_udpport(c);
  return true;
}

bool on_ipv6_medium(Context& c, const std::string& rest) {
  c.warn("IPv6 medium [" + rest + "] is accepted but not supported by hbd: ignored");
  return true;
}

bool on_ping_group(Context& c, const std::string& rest) {
  auto w = split_blanks(rest);
  if (w.size() < 2) return c.fail("ping_group [" + rest + "] needs a name and at least one host");
  PingGroup g{w[0], {}};
  for (size_t i = 1; i < w.size(); ++i) {
    // heartbeat logs this at ERROR level, leaves the host out and starts.
    ProbeResult r = c.probe.resolve_host(w[i]);
    if (!r.ok) {
      c.warn("glib: unknown host: " + w[i] + ": " + r.error);
      continue;
    }
    g.hosts.push_back(w[i]);
  }
  if (g.hosts.empty()) c.warn("ping_group [" + g.name + "] has no host that resolves: it is always dead");
  c.cfg.ping_groups.push_back(g);
  return true;
}

bool add_client(Context& c, const std::string& rest, bool failfast) {
  auto w = split_blanks(rest);
  std::string user = w.empty() ? "" : w[0];
  if (!c.probe.user_exists(user))
    return c.fail("Invalid uid [" + user + "] specified for client child");
  std::string command = after_words(rest, 1);
  std::string path = w.size() > 1 ? w[1] : "";
  if (path.empty() || path[0] != '/')
    return c.fail("Client child command [" + path + "] is not full pathname");
  // heartbeat only asks access(X_OK), which a directory passes.
  if (c.probe.is_directory(path))
    c.warn("Client child command [" + path + "] is a directory: it will fail to run at every respawn");
  else if (!c.probe.is_executable_file(path))
    return c.fail("Client child command [" + path + "] is not executable");
  c.cfg.clients.push_back({user, command, failfast, c.line});
  return true;
}
bool on_respawn(Context& c, const std::string& rest) { return add_client(c, rest, false); }
bool on_failfast(Context& c, const std::string& rest) { return add_client(c, rest, true); }

bool apiauth_syntax_error(Context& c, const std::string& rest) {
  c.fail("Invalid apiauth directive [" + rest + "]");
  c.info("Syntax: apiauth client [uid=uidlist] [gid=gidlist]");
  c.info("Where uidlist is a comma-separated list of uids,");
  c.info("and gidlist is a comma-separated list of gids");
  c.info("One or the other must be specified.");
  return false;
}

// Splits "a,b" and checks each name with `exists`.
bool parse_id_list(Context& c, const std::string& list, bool users,
                   std::vector<std::string>* out) {
  std::string item;
  std::istringstream in(list);
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    // heartbeat takes a number as the id itself, existing or not.
    bool numeric = item.find_first_not_of("0123456789") == std::string::npos;
    bool ok = numeric || (users ? c.probe.user_exists(item) : c.probe.group_exists(item));
    if (!ok) {
      c.fail(std::string(users ? "Invalid user id name [" : "Invalid group name [") + item + "]");
      return c.fail(std::string(users ? "Bad uid list [" : "Bad gid list [") + list + "]");
    }
    out->push_back(item);
  }
  return true;
}

bool on_apiauth(Context& c, const std::string& rest) {
  auto w = split_blanks(rest);
  if (w.size() < 2) return apiauth_syntax_error(c, rest);
  ApiAuth a{w[0], {}, {}};
  for (const auto& e : c.cfg.apiauth) {
    if (e.client == a.client) {
      c.fail("Duplicate apiauth directive for API client " + a.client + ": [" + rest + "]");
      return apiauth_syntax_error(c, rest);
    }
  }
  bool have_uid = false, have_gid = false;
  for (size_t i = 1; i < w.size(); ++i) {
    bool uid = w[i].compare(0, 4, "uid=") == 0;
    bool gid = w[i].compare(0, 4, "gid=") == 0;
    if (!uid && !gid) {
      c.fail("Missing uid or gid in apiauth");
      return apiauth_syntax_error(c, rest);
    }
    bool& seen = uid ? have_uid : have_gid;
    if (seen) {
      c.fail(uid ? "Duplicate uid list in apiauth" : "Duplicate gid list in apiauth");
      return apiauth_syntax_error(c, rest);
    }
    seen = true;
    if (!parse_id_list(c, w[i].substr(4), uid, uid ? &a.uids : &a.gids))
      return apiauth_syntax_error(c, rest);
  }
  c.cfg.apiauth.push_back(a);
  return true;
}

// cluster-glue's STONITH plugins: heartbeat accepts a type only when its
// plugin is installed (external/NAME: the external plugin runs NAME).
constexpr const char* kStonithPlugins = "/usr/lib/stonith/plugins";

bool stonith_type_known(const Context& c, const std::string& type) {
  std::string base = type.substr(0, type.find('/'));
  return c.probe.path_exists(std::string(kStonithPlugins) + "/stonith2/" + base + ".so");
}

bool stonith_not_used(Context& c, const std::string& rest) {
  c.warn("STONITH devices are not used by hbd: [" + rest + "] is ignored; hbd fences with the "
         "[fence] command of hbd.ini (see hbd.ini(5))");
  return true;
}

bool on_stonith(Context& c, const std::string& rest) {
  auto w = split_blanks(rest);
  if (w.empty()) return c.fail("No Stonith type given");
  if (!stonith_type_known(c, w[0])) return c.fail("Invalid Stonith type [" + w[0] + "]");
  std::string file = w.size() < 2 ? "" : w[1];
  if (!c.probe.path_exists(file)) {
    c.fail("glib: Cannot open " + file);
    return c.fail("Invalid Stonith config file [" + file + "]");
  }
  c.cfg.stonith.push_back(rest);
  return stonith_not_used(c, rest);
}

// stonith_host HOST|* TYPE PARAMS: heartbeat checks only the lines meant
// for this node.
bool on_stonith_host(Context& c, const std::string& rest) {
  auto w = split_blanks(rest);
  if (w.empty()) return c.fail("No Stonith hostname argument given");
  if (w.size() < 2) return c.fail("No Stonith type given");
  std::string params = after_words(rest, 2);
  c.cfg.stonith_hosts.push_back({w[0], w[1], params});
  if (w[0] != "*" && to_lower(w[0]) != to_lower(c.probe.node_name()))
    return stonith_not_used(c, rest);
  if (!stonith_type_known(c, w[1])) return c.fail("Invalid Stonith type [" + w[1] + "]");
  bool external = w[1].compare(0, 9, "external/") == 0;
  if (params.empty() ||
      (external && !c.probe.path_exists(std::string(kStonithPlugins) + "/" + w[1])))
    return c.fail("Invalid Stonith configuration parameter [" +
                  (params.empty() ? "" : " " + params) + "]");
  return stonith_not_used(c, rest);
}

}  // namespace

LineHandler find_line_directive(const std::string& name) {
  static const struct {
    const char* name;
    LineHandler handle;
  } kLines[] = {
      {"stonith", on_stonith},   {"stonith_host", on_stonith_host}, {"apiauth", on_apiauth},
      {"respawn", on_respawn},   {"failfast", on_failfast},         {"mcast", on_mcast},
      {"ucast", on_ucast},       {"ping_group", on_ping_group},     {"mcast6", on_ipv6_medium},
      {"ucast6", on_ipv6_medium},
  };
  for (const auto& d : kLines)
    if (name == d.name) return d.handle;
  return nullptr;
}

ValueHandler find_value_medium(const std::string& name) {
  if (name == "bcast") return on_bcast;
  if (name == "serial") return on_serial;
  if (name == "ping") return on_ping;
  if (name == "ping6") return on_ping6;
  return nullptr;
}

}  // namespace hbd::config::hacf
