// How heartbeat judges a resource script's `status` (config-and-tools §3.5):
// by the text on stdout, never by the exit code, so LSB scripts that print
// "is running"/"is not running" and systemd-redirected ones both work.
#pragma once
#include <string_view>

namespace hbd::resources {

// True when the output says the resource runs:
//   "not" (any case) followed later by "running"/"Running"  -> stopped
//   else "running" or "Running" anywhere                    -> running
//   else "OK" anywhere (case-sensitive, "TOKEN" counts)     -> running
//   anything else ("RUNNING", "stopped", empty)             -> stopped
bool says_running(std::string_view output);

}  // namespace hbd::resources
