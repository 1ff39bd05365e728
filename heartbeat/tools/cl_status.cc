#include "tools/cl_status.h"

#include <functional>
#include <map>

#include "config/timeval.h"

namespace hbd::tools {
namespace {

using control::NodeState;
using control::Snapshot;

// heartbeat's getopt letters per sub-command; 'p' of hbparameter takes a value.
const std::map<std::string, std::string>& option_letters() {
  static const std::map<std::string, std::string> letters = {
      {"hbstatus", "mv"},    {"listnodes", "mpnv"}, {"nodestatus", "m"},
      {"nodeweight", "m"},   {"nodesite", "m"},     {"nodetype", "m"},
      {"listhblinks", "mv"}, {"hblinkstatus", "m"}, {"clientstatus", "m"},
      {"rscstatus", "m"},    {"hbparameter", "mp"},
  };
  return letters;
}

const char* const kSignonError = "Cannot signon with heartbeat";
const char* const kSignonReason = "REASON: hb_api_signon: Can't initiate connection to heartbeat";

ClStatusOutcome failure(int code, std::vector<std::string> errors) {
  ClStatusOutcome o;
  o.exit_code = code;
  o.errors = std::move(errors);
  return o;
}

// heartbeat writes some complaints with plain fprintf, not as log lines.
ClStatusOutcome complaint(int code, std::string text) {
  ClStatusOutcome o;
  o.exit_code = code;
  o.plain_err = std::move(text) + "\n";
  return o;
}

ClStatusOutcome printed(std::string out, int code = kClOk) {
  ClStatusOutcome o;
  o.out = std::move(out);
  o.exit_code = code;
  return o;
}

const NodeState* find_node(const Snapshot& s, const std::string& name) {
  for (const NodeState& node : s.nodes)
    if (config::iequals(node.name, name)) return &node;
  return nullptr;
}

// Applies the letters of one "-xyz" word, noting getopt's complaint about
// an unknown one and carrying on as getopt does.
void apply_options(const std::string& word, const std::string& allowed,
                   const std::vector<std::string>& args, std::size_t& i, ClStatusCommand& cmd) {
  for (std::size_t k = 1; k < word.size(); ++k) {
    char c = word[k];
    if (allowed.find(c) == std::string::npos) {
      if (cmd.option_error.empty())
        cmd.option_error = cmd.given_sub + ": invalid option -- '" + c + "'\n";
      continue;
    }
    if (c == 'm') cmd.human = true;
    if (c == 'v') cmd.verbose = true;
    if (c == 'n') cmd.only_normal = true;
    if (c == 'p' && cmd.sub == "listnodes") cmd.only_ping = true;
    if (c == 'p' && cmd.sub == "hbparameter") {
      std::string rest = word.substr(k + 1);
      if (rest.empty() && i + 1 < args.size()) rest = args[++i];
      else if (rest.empty()) {
        if (cmd.option_error.empty())
          cmd.option_error = cmd.given_sub + ": option requires an argument -- 'p'\n";
        return;
      }
      cmd.parameter = rest;
      cmd.has_parameter = true;
      return;
    }
  }
}

const char* const kLinksHeader = "\tthis node has the following heartbeat links:\n";

// One node of `listnodes -v`: a blank line, the node, then its links as
// `listhblinks -v` prints them.
std::string node_lines_verbose(const NodeState& node, bool human) {
  std::string out = "\n" + node.name + "\t" + node.status + "\t(nodetype: " + node.type + ")\n";
  if (human) out += kLinksHeader;
  for (const auto& link : node.links) out += "\t" + link.name + "\t" + link.status + "\n";
  return out;
}

bool listed(const ClStatusCommand& cmd, const NodeState& node) {
  if (cmd.only_normal == cmd.only_ping) return true;  // neither or both: all nodes
  return cmd.only_ping ? node.type == "ping" : node.type != "ping";
}

ClStatusOutcome list_nodes(const ClStatusCommand& cmd, const Snapshot& s) {
  std::string out = cmd.human ? "The nodes are as follow:\n" : "";
  for (const NodeState& node : s.nodes) {
    if (!listed(cmd, node)) continue;
    out += cmd.verbose ? node_lines_verbose(node, cmd.human) : node.name + "\n";
  }
  return printed(out);
}

std::string version_of(const Snapshot& s) {
  auto it = s.parameters.find("hbversion");
  return it != s.parameters.end() ? it->second : s.version;
}

// `-v` replaces the "running" line with the version, the manager and
// `listnodes -v` (all under the same -m).
ClStatusOutcome hb_status(const ClStatusCommand& cmd, const Snapshot& s) {
  if (!cmd.verbose) return printed("Heartbeat is running on this machine.\n");
  std::string out = cmd.human ? "Heartbeat version " + version_of(s) + "\n" +
                                    "Resources controlled by \"haresources\"\n"
                              : "version:\t" + version_of(s) + "\n" + "managed by:\t\"haresources\"\n";
  ClStatusCommand all_nodes;
  all_nodes.human = cmd.human;
  all_nodes.verbose = true;
  return printed(out + list_nodes(all_nodes, s).out);
}

// heartbeat's sub-commands word these two complaints differently.
const char* const kNotEnough = "Not enough parameters.";
const char* const kNoEnough = "No enough parameter.";
const char* const kBadNodeName = "Error. May be due to incorrect node name";
const char* const kBadNodeName2 = "Error. Maybe due to incorrect node name.";

// The node named by the first operand, or nullptr with `error` set.
const NodeState* require_node(const ClStatusCommand& cmd, const Snapshot& s, ClStatusOutcome& error,
                              const char* missing_text, const char* unknown_text) {
  if (cmd.operands.empty()) {
    error = complaint(kClBadUsage, missing_text);
    return nullptr;
  }
  const NodeState* node = find_node(s, cmd.operands[0]);
  if (!node) error = complaint(kClBadUsage, unknown_text);
  return node;
}

ClStatusOutcome node_status(const ClStatusCommand& cmd, const Snapshot& s) {
  ClStatusOutcome error;
  const NodeState* node = require_node(cmd, s, error, kNotEnough, kBadNodeName);
  if (!node) return error;
  bool alive = node->status == "active" || node->status == "up" || node->status == "ping";
  std::string out = cmd.human ? "The cluster node " + cmd.operands[0] + " is " + node->status
                              : node->status;
  return printed(out + "\n", alive ? kClOk : kClFailure);
}

ClStatusOutcome node_type(const ClStatusCommand& cmd, const Snapshot& s) {
  ClStatusOutcome error;
  const NodeState* node = require_node(cmd, s, error, kNoEnough, kBadNodeName);
  if (!node) return error;
  return printed((cmd.human ? "The node " + cmd.operands[0] + "'s type: " + node->type
                            : node->type) + "\n");
}

ClStatusOutcome node_weight(const ClStatusCommand& cmd, const Snapshot& s) {
  ClStatusOutcome error;
  const NodeState* node = require_node(cmd, s, error, kNotEnough, kBadNodeName2);
  if (!node) return error;
  std::string weight = std::to_string(node->weight);
  return printed((cmd.human ? "The weight of the cluster node " + cmd.operands[0] + " is " + weight
                            : weight) + "\n");
}

ClStatusOutcome node_site(const ClStatusCommand& cmd, const Snapshot& s) {
  ClStatusOutcome error;
  const NodeState* node = require_node(cmd, s, error, kNotEnough, kBadNodeName);
  if (!node) return error;
  return printed((cmd.human ? "The site of the cluster node " + cmd.operands[0] + " is " + node->site
                            : node->site) + "\n");
}

ClStatusOutcome list_links(const ClStatusCommand& cmd, const Snapshot& s) {
  if (cmd.operands.empty()) return complaint(kClBadUsage, kNoEnough);
  const NodeState* node = find_node(s, cmd.operands[0]);
  if (!node)
    return failure(kClOtherError, {"Cannot start heartbeat link interface walk.", "REASON: EINVAL"});
  std::string out = cmd.human ? kLinksHeader : "";
  for (const auto& link : node->links)
    out += "\t" + link.name + (cmd.verbose ? "\t" + link.status : "") + "\n";
  return printed(out);
}

ClStatusOutcome link_status(const ClStatusCommand& cmd, const Snapshot& s) {
  if (cmd.operands.size() < 2) return complaint(kClBadUsage, kNoEnough);
  const NodeState* node = find_node(s, cmd.operands[0]);
  const control::LinkState* link = nullptr;
  if (node)
    for (const auto& l : node->links)
      if (l.name == cmd.operands[1]) link = &l;
  if (!link) return failure(kClOtherError, {"Cannot get heartbeat link status", "REASON: "});
  std::string out = cmd.human ? "The node " + cmd.operands[0] + "'s heartbeat link " +
                                    cmd.operands[1] + " is " + link->status
                              : link->status;
  return printed(out + "\n", link->status == "up" ? kClOk : kClFailure);
}

// hbd has no API clients yet, so every client of a known node is offline.
// heartbeat asks the node and, for a node it does not know, times out.
ClStatusOutcome client_status(const ClStatusCommand& cmd, const Snapshot& s) {
  if (cmd.operands.size() < 2) return complaint(kClBadUsage, kNoEnough);
  if (!find_node(s, cmd.operands[0]))
    return failure(kClOtherError, {"Cannot get heartbeat client " + cmd.operands[1] + "'s status",
                                   "REASON: No timely response."});
  return printed("offline\n", kClFailure);
}

ClStatusOutcome rsc_status(const ClStatusCommand& cmd, const Snapshot& s) {
  return printed((cmd.human ? "This node is holding " + s.rsc_status + " resources."
                            : s.rsc_status) + "\n");
}

ClStatusOutcome hb_parameter(const ClStatusCommand& cmd, const Snapshot& s) {
  if (!cmd.has_parameter) return failure(kClBadUsage, {"parameter name required"});
  std::string value;
  auto it = s.parameters.find(cmd.parameter);
  if (it != s.parameters.end()) value = it->second;
  else if (cmd.parameter == "hbversion") value = s.version;
  else return failure(kClFailure, {"Cannot get parameter " + cmd.parameter + "'s value"});
  return printed((cmd.human ? "Heartbeat parameter " + cmd.parameter + "'s value: " + value
                            : value) + "\n");
}

using Handler = std::function<ClStatusOutcome(const ClStatusCommand&, const Snapshot&)>;

const std::map<std::string, Handler>& handlers() {
  static const std::map<std::string, Handler> table = {
      {"hbstatus", hb_status},       {"listnodes", list_nodes},     {"nodestatus", node_status},
      {"nodeweight", node_weight},   {"nodesite", node_site},       {"nodetype", node_type},
      {"listhblinks", list_links},   {"hblinkstatus", link_status}, {"clientstatus", client_status},
      {"rscstatus", rsc_status},     {"hbparameter", hb_parameter},
  };
  return table;
}

}  // namespace

ClStatusCommand parse_cl_status(const std::vector<std::string>& args) {
  ClStatusCommand cmd;
  if (args.empty() || args[0] == "-h") return cmd;
  cmd.given_sub = args[0];
  cmd.sub = args[0] == "parameter" ? "hbparameter" : args[0];  // the man page's name
  auto letters = option_letters().find(cmd.sub);
  if (letters == option_letters().end()) {
    cmd.kind = ClStatusCommand::Kind::BadSubCommand;
    return cmd;
  }
  cmd.kind = ClStatusCommand::Kind::Query;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word == "--") {
      cmd.operands.insert(cmd.operands.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (word.size() > 1 && word[0] == '-') {
      apply_options(word, letters->second, args, i, cmd);
    } else {
      cmd.operands.push_back(word);
    }
  }
  return cmd;
}

ClStatusOutcome answer_offline(const ClStatusCommand& cmd) {
  if (cmd.kind == ClStatusCommand::Kind::BadSubCommand)
    return failure(kClBadUsage, {cmd.given_sub + ": invalid sub-command."});
  return printed(cl_status_usage());
}

ClStatusOutcome answer(const ClStatusCommand& cmd, const Snapshot& snapshot) {
  if (cmd.kind != ClStatusCommand::Kind::Query) return answer_offline(cmd);
  if (cmd.option_error.empty()) return handlers().at(cmd.sub)(cmd, snapshot);
  // hbstatus shrugs off getopt's complaint; the others give up.
  ClStatusOutcome o = cmd.sub == "hbstatus"
                          ? handlers().at(cmd.sub)(cmd, snapshot)
                          : failure(kClBadUsage, {"Error: getopt returnedcharacter code ?."});
  o.plain_err = cmd.option_error + o.plain_err;
  return o;
}

ClStatusOutcome answer_unreachable(const ClStatusCommand& cmd, control::FetchStatus status,
                                   const std::string& detail) {
  using control::FetchStatus;
  if (cmd.kind != ClStatusCommand::Kind::Query) return answer_offline(cmd);
  bool hbstatus = cmd.sub == "hbstatus";
  switch (status) {
    case FetchStatus::Ok:
      break;
    case FetchStatus::NotRunning:
      if (hbstatus)
        return printed(std::string("Heartbeat is stopped on this machine.\n") +
                           (cmd.verbose ? "(hb_api_signon: Can't initiate connection to heartbeat)\n" : ""),
                       kClFailure);
      return failure(kClFailure, {kSignonError, kSignonReason});
    case FetchStatus::Refused:
      if (hbstatus)
        return printed("Heartbeat is apparently running on this machine, but refuses my connection\n");
      return failure(kClFailure, {kSignonError, kSignonReason});
    case FetchStatus::TimedOut:
      return failure(kClTimeout, {"REASON: No timely response."});
    case FetchStatus::BadResponse:
      break;
  }
  return failure(kClOtherError, {kSignonError, "REASON: " + detail});
}

std::string cl_status_usage() {
  return "Usage: cl_status <sub-command> [<options>] [<parameters>]\n"
         "\n"
         "Sub-commands:\n"
         "clientstatus <node-name> <client-id> [<timeout>]\n"
         "\tShow the status of heartbeat clients.\n"
         "hblinkstatus <node-name> <link-name>\n"
         "\tShow the status of a heartbeat link\n"
         "hbstatus\n"
         "\tIndicate if heartbeat is running on the local system.\n"
         "\tOptions:\n"
         "\t\t-v\tverbose: also add \"listnodes -v\" output\n"
         "listnodes [<option>]\n"
         "\tList the nodes in the cluster.\n"
         "\tOptions:\n"
         "\t\t-p\tlist only 'ping' type nodes\n"
         "\t\t-n\tlist only 'normal' type nodes\n"
         "\t\t-v\tverbose: also list type and status,\n"
         "\t\t\tthen add \"listhblinks -v\" output\n"
         "listhblinks <node-name>\n"
         "\tList the network interfaces used as hearbeat links.\n"
         "\tOptions:\n"
         "\t\t-v\tverbose: list link status as well\n"
         "nodestatus <node-name>\n"
         "\tList the node status.\n"
         "nodeweight <node-name>\n"
         "\tList the node weight.\n"
         "nodesite <node-name>\n"
         "\tList the node site.\n"
         "nodetype <node-name>\n"
         "\tList the nodes of a given type.\n"
         "rscstatus\n"
         "\tShow the status of cluster resources.\n"
         "hbparameter -p <parameter-name>\n"
         "\tRetrieve the value of a cluster parameter.\n"
         "\tAs for the valid parameter names, please refer to the man page.\n";
}

}  // namespace hbd::tools
