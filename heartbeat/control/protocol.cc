#include "control/protocol.h"

#include <cerrno>
#include <cstdlib>

namespace hbd::control {
namespace {

constexpr const char* kHeader = "hbd-snapshot 1";

bool needs_escape(unsigned char c) { return c == '%' || c <= ' ' || c == 0x7f; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

template <class Fields>
std::string record_of(const Fields& fields) {
  std::string line;
  for (std::string_view field : fields) {
    if (!line.empty()) line += ' ';
    line += escape_field(field);
  }
  return line + '\n';
}

std::string record(std::initializer_list<std::string_view> fields) { return record_of(fields); }
std::string record(const std::vector<std::string>& fields) {
  return record_of(fields);
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    if (end == std::string_view::npos) {
      lines.push_back(text);  // unterminated last line: kept, seen as truncated
      break;
    }
    lines.push_back(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::optional<std::vector<std::string>> split_fields(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    std::size_t end = line.find(' ', start);
    auto field = unescape_field(line.substr(start, end - start));
    if (!field) return std::nullopt;
    fields.push_back(*field);
    if (end == std::string_view::npos) return fields;
    start = end + 1;
  }
}

std::optional<unsigned long long> parse_count(const std::string& text) {
  if (text.empty() || text[0] < '0' || text[0] > '9') return std::nullopt;
  char* end = nullptr;
  errno = 0;
  unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE) return std::nullopt;
  return value;
}

std::optional<long> parse_long(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (*end != '\0') return std::nullopt;
  return value;
}

// Applies one record to `s`; returns an error text, empty when fine.
std::string apply_record(const std::vector<std::string>& f, Snapshot& s) {
  const std::string& kind = f[0];
  auto want = [&](std::size_t n) { return f.size() == n + 1; };
  if (kind == "version" && want(1)) {
    s.version = f[1];
  } else if (kind == "local_node" && want(1)) {
    s.local_node = f[1];
  } else if (kind == "pid" && want(1)) {
    auto pid = parse_long(f[1]);
    if (!pid) return "bad pid '" + f[1] + "'";
    s.pid = *pid;
  } else if (kind == "rsc_status" && want(1)) {
    s.rsc_status = f[1];
  } else if (kind == "rsc_detail" && want(1)) {
    s.rsc_detail = f[1];
  } else if (kind == "comm_up" && want(1)) {
    if (f[1] != "0" && f[1] != "1") return "bad comm_up '" + f[1] + "'";
    s.comm_up = f[1] == "1";
  } else if (kind == "node" && (want(5) || want(6))) {
    auto weight = parse_long(f[4]);
    if (!weight) return "bad node weight '" + f[4] + "'";
    s.nodes.push_back(NodeState{f[1], f[2], f[3], {}, static_cast<int>(*weight), f[5]});
    if (want(6)) {
      auto heard = parse_long(f[6]);
      if (!heard) return "bad node heard time '" + f[6] + "'";
      s.nodes.back().heard_ms_ago = *heard;
    }
  } else if (kind == "link" && want(2)) {
    if (s.nodes.empty()) return "link record before any node";
    s.nodes.back().links.push_back(LinkState{f[1], f[2]});
  } else if (kind == "param" && want(2)) {
    s.parameters[f[1]] = f[2];
  } else if (kind == "group" && want(7)) {
    auto age = parse_long(f[5]);
    auto took = parse_long(f[6]);
    if (!age || !took) return "bad group times '" + f[5] + "' '" + f[6] + "'";
    s.groups.push_back(GroupState{f[1], f[2], f[3], f[4], *age, *took, f[7]});
  } else if (kind == "monitor" && want(3)) {
    GroupMonitor& g = s.monitoring[f[1]];
    g.relocated_away = f[2] == "1";
    g.failed_both = f[3] == "1";
  } else if (kind == "failcount" && want(6)) {
    auto count = parse_long(f[4]);
    auto ago = parse_long(f[5]);
    if (!count || !ago) return "bad failcount numbers '" + f[4] + "' '" + f[5] + "'";
    ResourceFailures r;
    r.resource = f[2];
    r.watched = f[3] == "1";
    r.count = static_cast<int>(*count);
    r.last_failure_ms_ago = *ago;
    r.reason = f[6];
    s.monitoring[f[1]].resources.push_back(std::move(r));
  } else if (kind == "transitions" && f.size() >= 5 && f.size() % 2 == 1) {
    // group kind count sum_ms, then le_ms/count pairs
    TransitionCounts t{f[1], f[2], {}, {}, 0, 0};
    auto count = parse_count(f[3]);
    auto sum = parse_long(f[4]);
    if (!count || !sum) return "bad transitions numbers '" + f[3] + "' '" + f[4] + "'";
    t.count = *count;
    t.sum_ms = *sum;
    for (std::size_t i = 5; i + 1 < f.size(); i += 2) {
      auto le_ms = parse_long(f[i]);
      auto n = parse_count(f[i + 1]);
      if (!le_ms || !n) return "bad transitions bucket '" + f[i] + "' '" + f[i + 1] + "'";
      t.le_ms.push_back(*le_ms);
      t.le.push_back(*n);
    }
    s.transitions.push_back(std::move(t));
  } else if (kind == "counter" && want(2)) {
    auto value = parse_count(f[2]);
    if (!value) return "bad counter value '" + f[2] + "'";
    s.counters[f[1]] = *value;
  } else if (kind == "version" || kind == "local_node" || kind == "pid" ||
             kind == "rsc_status" || kind == "comm_up" || kind == "node" || kind == "link" ||
             kind == "param" || kind == "group" || kind == "rsc_detail" ||
             kind == "counter" || kind == "monitor" || kind == "failcount" ||
             kind == "transitions") {
    return "wrong number of fields in '" + kind + "' record";
  }
  // Other record kinds come from a newer daemon: skipped, so old tools keep working.
  return "";
}

}  // namespace

std::string escape_field(std::string_view text) {
  if (text.empty()) return "%";
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (needs_escape(c)) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::optional<std::string> unescape_field(std::string_view field) {
  if (field == "%") return std::string();
  std::string out;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '%') {
      out += field[i];
      continue;
    }
    if (i + 2 >= field.size()) return std::nullopt;
    int hi = hex_value(field[i + 1]), lo = hex_value(field[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::string parse_request_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return std::string(line);
}

std::string encode_snapshot(const Snapshot& s) {
  std::string out = std::string(kHeader) + '\n';
  out += record({"version", s.version});
  out += record({"local_node", s.local_node});
  out += record({"pid", std::to_string(s.pid)});
  out += record({"rsc_status", s.rsc_status});
  out += record({"comm_up", s.comm_up ? "1" : "0"});
  out += record({"rsc_detail", s.rsc_detail});
  for (const NodeState& node : s.nodes) {
    out += record({"node", node.name, node.type, node.status, std::to_string(node.weight),
                   node.site, std::to_string(node.heard_ms_ago)});
    for (const LinkState& link : node.links) out += record({"link", link.name, link.status});
  }
  for (const auto& [name, value] : s.parameters) out += record({"param", name, value});
  for (const GroupState& g : s.groups)
    out += record({"group", g.key, g.home, g.owner, g.state, std::to_string(g.age_ms),
                   std::to_string(g.last_transition_ms), g.error});
  for (const auto& [key, g] : s.monitoring) {
    out += record({"monitor", key, g.relocated_away ? "1" : "0", g.failed_both ? "1" : "0"});
    for (const ResourceFailures& r : g.resources)
      out += record({"failcount", key, r.resource, r.watched ? "1" : "0", std::to_string(r.count),
                     std::to_string(r.last_failure_ms_ago), r.reason});
  }
  for (const TransitionCounts& t : s.transitions) {
    std::vector<std::string> f = {"transitions", t.group, t.kind, std::to_string(t.count),
                                  std::to_string(t.sum_ms)};
    for (std::size_t i = 0; i < t.le.size() && i < t.le_ms.size(); ++i) {
      f.push_back(std::to_string(t.le_ms[i]));
      f.push_back(std::to_string(t.le[i]));
    }
    out += record(f);
  }
  for (const auto& [name, value] : s.counters) out += record({"counter", name, std::to_string(value)});
  return out + "end\n";
}

std::string encode_error(std::string_view reason) {
  std::string out = "error ";
  for (char c : reason) out += (c == '\n' || c == '\r') ? ' ' : c;
  return out + '\n';
}

DecodeResult decode_response(std::string_view text) {
  DecodeResult result;
  std::vector<std::string_view> lines = split_lines(text);
  if (lines.empty()) {
    result.error = "empty response";
    return result;
  }
  if (lines[0].substr(0, 6) == "error ") {
    result.error = std::string(lines[0].substr(6));
    result.complete = true;
    return result;
  }
  if (lines[0] != kHeader) {
    result.error = "not a snapshot response";
    return result;
  }
  Snapshot s;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    bool terminated = i + 1 < lines.size() || text.back() == '\n';
    if (lines[i] == "end" && terminated) {
      if (i + 1 != lines.size()) {
        result.error = "data after end of response";
        return result;
      }
      result.complete = true;
      result.snapshot = std::move(s);
      return result;
    }
    auto fields = split_fields(lines[i]);
    if (!fields) {
      result.error = "bad escape in line " + std::to_string(i + 1);
      return result;
    }
    std::string err = apply_record(*fields, s);
    if (!err.empty()) {
      result.error = "line " + std::to_string(i + 1) + ": " + err;
      return result;
    }
  }
  result.error = "truncated response";
  return result;
}

}  // namespace hbd::control
