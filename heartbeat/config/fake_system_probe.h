// A SystemProbe whose host is described by plain fields, for tests.
#pragma once
#include <cerrno>
#include <map>
#include <set>

#include "config/system_probe.h"

namespace hbd::config {

struct FakeFile {
  std::string text;
  unsigned mode = 0600;
  unsigned owner = 0;
};

class FakeSystemProbe : public SystemProbe {
 public:
  std::string hostname = "node1";
  std::set<std::string> bcast_interfaces = {"eth0"};  // with an IPv4 broadcast
  std::set<std::string> interfaces = {"lo", "eth0"};
  std::set<std::string> hosts = {"node1", "node2"};   // resolvable names
  std::set<std::string> users = {"root", "hacluster"};
  std::set<std::string> groups = {"root", "haclient"};
  std::set<std::string> executables = {"/usr/libexec/heartbeat/ipfail"};
  std::set<std::string> directories = {"/var/lib/heartbeat/cores"};
  std::set<std::string> paths = {"/dev/ttyS0", "/dev/watchdog"};
  std::set<std::string> char_devices = {"/dev/ttyS0", "/dev/watchdog"};
  std::map<int, std::string> services = {{694, "ha-cluster"}, {53, "domain"}};
  std::map<std::string, FakeFile> files;
  std::set<std::string> unreadable;  // read_file fails with EACCES

  std::string node_name() const override { return hostname; }
  ProbeResult broadcast_address(const std::string& ifname) const override {
    if (bcast_interfaces.count(ifname)) return ProbeResult::success();
    if (interfaces.count(ifname)) return ProbeResult::failure("Cannot assign requested address");
    return ProbeResult::failure("No such device");
  }
  bool interface_exists(const std::string& ifname) const override {
    return interfaces.count(ifname) || bcast_interfaces.count(ifname);
  }
  ProbeResult resolve_host(const std::string& host) const override {
    bool numeric = !host.empty() && host.find_first_not_of("0123456789.") == std::string::npos;
    if (numeric || hosts.count(host)) return ProbeResult::success();
    return ProbeResult::failure("Name or service not known");
  }
  bool user_exists(const std::string& n) const override { return users.count(n) > 0; }
  bool group_exists(const std::string& n) const override { return groups.count(n) > 0; }
  bool path_exists(const std::string& p) const override {
    return paths.count(p) || directories.count(p) || executables.count(p) || files.count(p);
  }
  bool is_directory(const std::string& p) const override { return directories.count(p) > 0; }
  bool is_char_device(const std::string& p) const override { return char_devices.count(p) > 0; }
  bool is_executable_file(const std::string& p) const override {
    return executables.count(p) > 0;
  }
  std::optional<std::string> udp_service_name(int port) const override {
    auto it = services.find(port);
    if (it == services.end()) return std::nullopt;
    return it->second;
  }
  std::optional<int> udp_service_port(const std::string& name) const override {
    for (const auto& [port, n] : services)
      if (n == name) return port;
    return std::nullopt;
  }
  FileContent read_file(const std::string& path) const override {
    FileContent out;
    if (unreadable.count(path)) {
      out.error = EACCES;
      return out;
    }
    auto it = files.find(path);
    if (it == files.end()) {
      out.error = ENOENT;
      return out;
    }
    out.text = it->second.text;
    out.mode = it->second.mode;
    out.owner = it->second.owner;
    return out;
  }
};

}  // namespace hbd::config
