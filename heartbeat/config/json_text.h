// JSON text for the tools' machine-readable output (hbd -t --json, hbctl
// status --json): strings escaped so that any byte a configuration file or a
// packet holds still gives valid JSON.
#pragma once
#include <string>
#include <string_view>

namespace hbd::config {

// `text` as a JSON string literal, quotes included. Control characters and
// bytes that are not valid UTF-8 become \u00XX (the byte read as Latin-1),
// so the output is always valid UTF-8 JSON.
std::string json_string(std::string_view text);

}  // namespace hbd::config
