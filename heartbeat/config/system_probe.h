// What configuration checking needs to know about the host: its name, its
// interfaces, users, files and name resolution. Behind an interface so the
// parsers and validation stay pure and testable with a fake.
#pragma once
#include <optional>
#include <string>

namespace hbd::config {

// Outcome of a host look-up: ok, or the system's reason for failing.
struct ProbeResult {
  bool ok = true;
  std::string error;  // e.g. "No such device"
  static ProbeResult success() { return {}; }
  static ProbeResult failure(std::string why) { return {false, std::move(why)}; }
};

struct FileContent {
  int error = 0;      // errno of open/read, 0 when read
  std::string text;
  unsigned mode = 0;  // permission bits (st_mode & 07777)
  unsigned owner = 0; // st_uid
};

class SystemProbe {
 public:
  virtual ~SystemProbe() = default;
  virtual std::string node_name() const = 0;  // `uname -n`, as is
  // The IPv4 broadcast address of an interface can be read.
  virtual ProbeResult broadcast_address(const std::string& ifname) const = 0;
  virtual bool interface_exists(const std::string& ifname) const = 0;
  virtual ProbeResult resolve_host(const std::string& host) const = 0;
  virtual bool user_exists(const std::string& name) const = 0;
  virtual bool group_exists(const std::string& name) const = 0;
  virtual bool path_exists(const std::string& path) const = 0;
  virtual bool is_directory(const std::string& path) const = 0;
  virtual bool is_char_device(const std::string& path) const = 0;
  virtual bool is_executable_file(const std::string& path) const = 0;
  // /etc/services: the udp service on `port`, and the port of a udp service.
  virtual std::optional<std::string> udp_service_name(int port) const = 0;
  virtual std::optional<int> udp_service_port(const std::string& name) const = 0;
  virtual FileContent read_file(const std::string& path) const = 0;
};

// Another probe, except that the node's name is `name` (hbd -t -n NODE:
// checking a peer's files from here). Interfaces, devices, users and files
// are still this host's.
class RenamedNodeProbe : public SystemProbe {
 public:
  RenamedNodeProbe(const SystemProbe& host, std::string name)
      : host_(host), name_(std::move(name)) {}
  std::string node_name() const override { return name_; }
  ProbeResult broadcast_address(const std::string& ifname) const override {
    return host_.broadcast_address(ifname);
  }
  bool interface_exists(const std::string& ifname) const override {
    return host_.interface_exists(ifname);
  }
  ProbeResult resolve_host(const std::string& host) const override {
    return host_.resolve_host(host);
  }
  bool user_exists(const std::string& name) const override { return host_.user_exists(name); }
  bool group_exists(const std::string& name) const override { return host_.group_exists(name); }
  bool path_exists(const std::string& path) const override { return host_.path_exists(path); }
  bool is_directory(const std::string& path) const override { return host_.is_directory(path); }
  bool is_char_device(const std::string& path) const override {
    return host_.is_char_device(path);
  }
  bool is_executable_file(const std::string& path) const override {
    return host_.is_executable_file(path);
  }
  std::optional<std::string> udp_service_name(int port) const override {
    return host_.udp_service_name(port);
  }
  std::optional<int> udp_service_port(const std::string& name) const override {
    return host_.udp_service_port(name);
  }
  FileContent read_file(const std::string& path) const override { return host_.read_file(path); }

 private:
  const SystemProbe& host_;
  std::string name_;
};

// The host as it is: uname, ioctl, getaddrinfo, getpwnam, stat, getservby*.
class RealSystemProbe : public SystemProbe {
 public:
  std::string node_name() const override;
  ProbeResult broadcast_address(const std::string& ifname) const override;
  bool interface_exists(const std::string& ifname) const override;
  ProbeResult resolve_host(const std::string& host) const override;
  bool user_exists(const std::string& name) const override;
  bool group_exists(const std::string& name) const override;
  bool path_exists(const std::string& path) const override;
  bool is_directory(const std::string& path) const override;
  bool is_char_device(const std::string& path) const override;
  bool is_executable_file(const std::string& path) const override;
  std::optional<std::string> udp_service_name(int port) const override;
  std::optional<int> udp_service_port(const std::string& name) const override;
  FileContent read_file(const std::string& path) const override;
};

}  // namespace hbd::config
