#include "tools/hbctl_metrics.h"

#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "control/test_support.h"

using namespace hbd::tools;
using hbd::control::Snapshot;

namespace {

// A small checker of the text format (0.0.4): each line is a HELP, a TYPE or
// a sample; a sample belongs to the family whose TYPE came last and was not
// declared before; names and label syntax as the format defines them. Returns
// the first offence, empty when the text is valid.
std::string exposition_error(const std::string& text) {
  static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) ([^\n\\]|\\\\|\\n)*)");
  static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
  static const std::regex sample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\\\|\\"|\\n)*")"
      R"((,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\\\|\\"|\\n)*")*\})? -?[0-9]+(\.[0-9]+)?)");
  if (text.empty() || text.back() != '\n') return "no final newline";
  std::set<std::string> declared, series;
  std::string current;
  std::istringstream in(text);
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, help)) continue;
    if (std::regex_match(line, m, type)) {
      current = m[1];
      if (!declared.insert(current).second) return "family declared twice: " + line;
    } else if (std::regex_match(line, m, sample)) {
      if (m[1] != current) return "sample outside its family: " + line;
      std::string key = line.substr(0, line.rfind(' '));
      if (!series.insert(key).second) return "series twice: " + line;
    } else {
      return "bad line: " + line;
    }
  }
  return "";
}

Snapshot sample_snapshot() {
  Snapshot s = hbd::control::testing::two_node_snapshot();
  s.counters["packets accepted"] = 12;
  s.counters["rejected: bad digest"] = 3;
  s.groups.push_back({"198.18.0.200/24/eth0", "nodea", "nodea", "running", 65000, 1250, ""});
  return s;
}

}  // namespace

TEST_CASE("metrics: label values and counter names are escaped", "[tools][metrics]") {
  CHECK(prometheus_label_value("eth0") == "eth0");
  CHECK(prometheus_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
  CHECK(prometheus_label_value("tab\there") == "tab\there");
  CHECK(prometheus_name_part("packets accepted") == "packets_accepted");
  CHECK(prometheus_name_part("rejected: bad digest") == "rejected_bad_digest");
  CHECK(prometheus_name_part("Dropped: ack beyond our last seq") == "dropped_ack_beyond_our_last_seq");
  CHECK(prometheus_name_part(": x-y ") == "x_y");
  CHECK(prometheus_name_part("\xc3\xa9t\xc3\xa9") == "t");
  CHECK(prometheus_name_part("::") == "unnamed");
}

TEST_CASE("metrics: the exposition of a two-node snapshot", "[tools][metrics]") {
  std::string text = format_metrics(sample_snapshot());
  CHECK(exposition_error(text) == "");
  CHECK(text.rfind("# HELP hbd_up 1 when hbd answered on its control socket\n# TYPE hbd_up gauge\nhbd_up 1\n", 0) == 0);
  for (const char* line : {
           "hbd_info{version=\"0.1.0\",node=\"nodea\"} 1\n",
           "hbd_comm_up 1\n",
           "hbd_node_up{node=\"nodea\",type=\"normal\"} 1\n",
           "hbd_node_up{node=\"nodeb\",type=\"normal\"} 0\n",
           "hbd_node_up{node=\"198.18.0.254\",type=\"ping\"} 1\n",
           "hbd_node_heard_seconds_ago{node=\"nodeb\",type=\"normal\"} 7.200\n",
           "hbd_node_heard_seconds_ago{node=\"198.18.0.254\",type=\"ping\"} 0.430\n",
           "hbd_link_up{node=\"nodeb\",link=\"eth0\"} 0\n",
           "hbd_link_up{node=\"nodeb\",link=\"eth1\"} 1\n",
           "# TYPE hbd_packets_accepted_total counter\nhbd_packets_accepted_total 12\n",
           "# HELP hbd_rejected_bad_digest_total hbd counter 'rejected: bad digest'\n",
           "hbd_rejected_bad_digest_total 3\n",
           "hbd_group_owned{group=\"198.18.0.200/24/eth0\",home=\"nodea\",owner=\"nodea\"} 1\n",
           "hbd_group_state{group=\"198.18.0.200/24/eth0\",state=\"running\"} 1\n",
           "hbd_group_state{group=\"198.18.0.200/24/eth0\",state=\"failed\"} 0\n",
           "hbd_group_state_seconds{group=\"198.18.0.200/24/eth0\"} 65.000\n",
           "hbd_group_last_transition_seconds{group=\"198.18.0.200/24/eth0\"} 1.250\n"}) {
    INFO(line);
    CHECK(text.find(line) != std::string::npos);
  }
  // Never heard (ourselves): no heard sample rather than a made-up value.
  CHECK(text.find("hbd_node_heard_seconds_ago{node=\"nodea\"") == std::string::npos);
}

TEST_CASE("metrics: awkward names stay valid exposition", "[tools][metrics]") {
  Snapshot s = sample_snapshot();
  s.nodes[1].name = "no\"de\\b\n";
  s.groups[0].key = "IPaddr::10.0.0.1 \"x\"";
  s.groups[0].state = "weird";  // a state this tool does not know yet
  s.counters["rejected: bad-digest"] = 4;  // sanitises like "rejected: bad digest"
  std::string text = format_metrics(s);
  CHECK(exposition_error(text) == "");
  CHECK(text.find("hbd_link_up{node=\"no\\\"de\\\\b\\n\",link=\"eth0\"} 0\n") != std::string::npos);
  CHECK(text.find("hbd_group_state{group=\"IPaddr::10.0.0.1 \\\"x\\\"\",state=\"weird\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("hbd_rejected_bad_digest_total 7\n") != std::string::npos);
  CHECK(text.find("'rejected: bad digest, rejected: bad-digest'") != std::string::npos);
}

TEST_CASE("metrics: the checker itself rejects bad exposition", "[tools][metrics]") {
  CHECK(exposition_error("# TYPE a gauge\na 1\n") == "");
  CHECK(exposition_error("# TYPE a gauge\na{x=\"a\"b\"} 1\n") != "");   // unescaped quote
  CHECK(exposition_error("# TYPE a gauge\na{x=\"a\nb\"} 1\n") != "");   // raw newline
  CHECK(exposition_error("# TYPE a gauge\nb 1\n") != "");              // outside its family
  CHECK(exposition_error("# TYPE a gauge\n# TYPE a gauge\n") != "");   // declared twice
  CHECK(exposition_error("# TYPE a gauge\na 1\na 2\n") != "");         // series twice
  CHECK(exposition_error("# TYPE a-b gauge\n") != "");
  CHECK(exposition_error("# TYPE a gauge\na 1") != "");
}

TEST_CASE("metrics: hbd down is hbd_up 0", "[tools][metrics]") {
  std::string text = format_metrics_down();
  CHECK(exposition_error(text) == "");
  CHECK(text == "# HELP hbd_up 1 when hbd answered on its control socket\n# TYPE hbd_up gauge\nhbd_up 0\n");
}
