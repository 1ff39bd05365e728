// hbd.ini: hbd's own extension file beside ha.cf (ha.cf must stay readable
// by a heartbeat 3.0.6 node, which refuses unknown directives). Parsed with
// inih; every problem is a Diagnostic with the file's path and line.
//
//   [monitor]            defaults for every resource
//   [group "KEY"]        a haresources line, by its first resource
//   [resource "NAME"]    a resource token as written, or a script name
//   [fence]              the command run before a takeover
//   [timeouts]           start/stop/status script timeouts
//   [status]             a group whose members may read the status
//   [notify]             a directory of event hooks
//   [metrics]            an HTTP listener for Prometheus
//
// Without hbd.ini nothing here exists and hbd behaves as heartbeat.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/diagnostic.h"
#include "config/haresources.h"
#include "resources/policies.h"

namespace hbd::config {

// The monitoring keys one section gives; unset keys come from the sections
// below it in precedence (resource token > script name > group > monitor).
struct MonitorKeys {
  std::optional<int64_t> interval_ms;
  std::optional<int64_t> timeout_ms;
  std::optional<resources::OnFail> on_fail;
  std::optional<int> max_restarts;
  std::optional<int64_t> restart_window_ms;
  std::optional<int64_t> backoff_ms;
  std::optional<int64_t> backoff_max_ms;
};

// A named section ([group "KEY"], [resource "NAME"]) and where it starts.
struct NamedMonitor {
  MonitorKeys keys;
  int line = 0;
};

struct FenceKeys {
  std::vector<std::string> command;  // argv; empty: no fencing
  std::optional<bool> required;
  std::optional<int64_t> timeout_ms;
  std::optional<int64_t> retry_ms;
  std::optional<int64_t> retry_max_ms;
};

// [timeouts]: each one set here wins over HBD_*_TIMEOUT; 0 = no timeout.
struct ScriptTimeouts {
  std::optional<int64_t> start_ms;
  std::optional<int64_t> stop_ms;
  std::optional<int64_t> status_ms;
};

// [status]: members of this group may read the status (hbctl status, check,
// metrics; cl_status) over the control socket; control stays root's.
struct StatusKeys {
  std::string group;  // empty: root only
  int line = 0;
};

// [notify]: every executable in `directory` is run for each node, link and
// resource event, one at a time, in event order, each within `timeout`.
struct NotifyKeys {
  std::string directory;  // empty: no hooks
  std::optional<int64_t> timeout_ms;
  int line = 0;
};

// [metrics] listen: where `GET /metrics` is answered (Prometheus text,
// read-only). Unset: no listener.
struct ListenAddress {
  std::string host;  // an IPv4 or IPv6 address (brackets removed)
  int port = 0;
};

struct HbdIni {
  std::string path;
  MonitorKeys monitor;                         // [monitor]
  std::map<std::string, NamedMonitor> groups;     // [group "KEY"]
  std::map<std::string, NamedMonitor> resources;  // [resource "NAME"]
  FenceKeys fence;
  ScriptTimeouts timeouts;
  StatusKeys status;
  NotifyKeys notify;
  std::optional<ListenAddress> metrics;
};

struct HbdIniResult {
  HbdIni ini;
  Diagnostics diagnostics;  // errors make the file unusable
};

// Syntax, sections, keys and values. Names in [group]/[resource] are not
// checked here: that needs haresources (check_hbd_ini_names).
HbdIniResult parse_hbd_ini(const std::string& text, const std::string& path);

// Every [group "KEY"] must be a group key of haresources, every
// [resource "NAME"] a resource token or the script of some resource.
Diagnostics check_hbd_ini_names(const HbdIni& ini, const std::vector<ResourceGroup>& groups);

// A duration: a non-negative number, optionally with a fraction, and an
// optional unit "ms", "s" or "min" (no unit: seconds); at most 7 days.
std::optional<int64_t> parse_duration_ms(const std::string& text);

// "127.0.0.1:9101", "[::1]:9101" (nullopt when not ADDRESS:PORT).
std::optional<ListenAddress> parse_listen_address(const std::string& text);

// [fence] command: words split at blanks, a double-quoted part kept whole
// (quotes removed, no escapes); nullopt when a quote is not closed.
std::optional<std::vector<std::string>> split_command(const std::string& text);

}  // namespace hbd::config
