#include "tools/decode_command.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>

#include "config/authkeys.h"
#include "config/cli.h"
#include "tools/decode.h"

namespace hbd::tools {
namespace {

const char* const kDecodeUsage =
    "Usage: hbctl decode [--authkeys FILE] [--port N] [--serial] FILE|-\n";

struct DecodeArgs {
  std::string authkeys;  // "" when not given
  long port = 694;
  bool serial = false;
  std::string input;
  std::string error;     // why the command line is invalid
};

std::optional<long> parse_port(const std::string& text) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  long port = std::stol(text);
  if (port < 1 || port > 65535) return std::nullopt;
  return port;
}

DecodeArgs parse_decode_args(const std::vector<std::string>& args) {
  DecodeArgs a;
  for (size_t i = 0; i < args.size() && a.error.empty(); ++i) {
    const std::string& arg = args[i];
    bool has_value = i + 1 < args.size();
    if (arg == "--serial") {
      a.serial = true;
    } else if (arg == "--authkeys" && has_value) {
      a.authkeys = args[++i];
    } else if (arg == "--port" && has_value) {
      std::optional<long> port = parse_port(args[++i]);
      if (port) a.port = *port;
      else a.error = "--port wants a number from 1 to 65535, not '" + args[i] + "'";
    } else if (arg.size() > 1 && arg[0] == '-') {
      a.error = "unknown option or missing value: " + arg;
    } else if (a.input.empty()) {
      a.input = arg;
    } else {
      a.error = "one capture at a time ('" + a.input + "' and '" + arg + "')";
    }
  }
  if (a.error.empty() && a.input.empty()) a.error = "which capture? (a file, or - for stdin)";
  return a;
}

bool read_input(const std::string& path, std::string& bytes) {
  if (path == "-") {
    bytes.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return !std::cin.bad();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// The authkeys as heartbeat reads it; its mode is not checked, as a copy of
// another node's file is a fine thing to decode with.
std::optional<wire::AuthConfig> load_authkeys(const std::string& path, std::string& err) {
  std::string text;
  if (!read_input(path, text)) {
    err = "hbctl decode: cannot read authkeys " + path + "\n";
    return std::nullopt;
  }
  config::AuthKeysResult keys = config::parse_authkeys(text, path);
  if (keys.ok) return keys.auth;
  for (const config::Diagnostic& d : keys.diagnostics) err += config::format_diagnostic(d) + "\n";
  err += "hbctl decode: authkeys " + path + " is not usable\n";
  return std::nullopt;
}

HbctlOutcome failure(std::string err, int code) {
  HbctlOutcome o;
  o.err = std::move(err);
  o.exit_code = code;
  return o;
}

}  // namespace

HbctlOutcome run_decode(const std::vector<std::string>& args) {
  if (args.size() == 1 && (args[0] == "-h" || args[0] == "--help"))
    return HbctlOutcome{kDecodeUsage, "", 0};
  DecodeArgs a = parse_decode_args(args);
  if (!a.error.empty()) return failure("hbctl decode: " + a.error + "\n" + kDecodeUsage, 2);
  DecodeOptions opts;
  opts.port = static_cast<uint16_t>(a.port);
  std::optional<wire::AuthConfig> auth;
  if (!a.authkeys.empty()) {
    std::string err;
    auth = load_authkeys(a.authkeys, err);
    if (!auth) return failure(err, 1);
    opts.auth = &*auth;
    opts.authkeys_path = a.authkeys;
  }
  std::string bytes;
  if (!read_input(a.input, bytes)) return failure("hbctl decode: cannot read " + a.input + "\n", 1);
  DecodeReport r = a.serial ? decode_serial(bytes, opts) : decode_pcap(bytes, opts);
  std::string err = r.err.empty() ? "" : "hbctl decode: " + a.input + ": " + r.err;
  return HbctlOutcome{r.out, err, r.exit_code};
}

}  // namespace hbd::tools
