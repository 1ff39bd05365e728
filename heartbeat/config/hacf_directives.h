// Internal to the ha.cf parser: the context a directive handler works in and
// the tables of directives. Not for use outside heartbeat/config/hacf*.cc.
#pragma once
#include <string>

#include "config/hacf.h"

namespace hbd::config::hacf {

// Where a handler is running: the config being built and the line.
struct Context {
  HaConfig& cfg;
  Diagnostics& diags;
  const SystemProbe& probe;
  const std::string& path;
  int line = 0;

  void report(Severity s, std::string message) {
    diags.push_back({s, path, line, std::move(message)});
  }
  // Reports an error and returns false, so handlers can `return fail(...)`.
  bool fail(std::string message) {
    report(Severity::Error, std::move(message));
    return false;
  }
  void warn(std::string message) { report(Severity::Warning, std::move(message)); }
  void info(std::string message) { report(Severity::Info, std::move(message)); }
};

// Option directive: called once per value; returns false on a bad value.
using ValueHandler = bool (*)(Context&, const std::string& value);
// Whole-line directive: called once with the unsplit rest of the line.
using LineHandler = bool (*)(Context&, const std::string& rest);

struct OptionDirective {
  const char* name;
  ValueHandler handle;
  const char* record_as;  // parameter name to record the raw value under, or null
};

// Option directives (split on blanks and commas).
const OptionDirective* find_option(const std::string& name);
// Whole-line directives and whole-line media (mcast, ucast, ping_group…).
LineHandler find_line_directive(const std::string& name);
// Per-value media (bcast, serial, ping, ping6).
ValueHandler find_value_medium(const std::string& name);

}  // namespace hbd::config::hacf
