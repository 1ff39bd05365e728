#include "tools/cl_status.h"

#include <catch2/catch.hpp>

#include "control/test_support.h"

using namespace hbd::tools;
using hbd::control::FetchStatus;
using hbd::control::Snapshot;
using hbd::control::testing::two_node_snapshot;

namespace {

ClStatusOutcome run(std::vector<std::string> args, const Snapshot& s = two_node_snapshot()) {
  return answer(parse_cl_status(args), s);
}

ClStatusOutcome down(std::vector<std::string> args, FetchStatus why = FetchStatus::NotRunning) {
  return answer_unreachable(parse_cl_status(args), why, "detail");
}

using Errors = std::vector<std::string>;

}  // namespace

TEST_CASE("cl_status: usage and bad sub-commands need no daemon", "[tools]") {
  for (auto args : {std::vector<std::string>{}, std::vector<std::string>{"-h"}}) {
    ClStatusCommand cmd = parse_cl_status(args);
    CHECK(cmd.kind == ClStatusCommand::Kind::Usage);
    ClStatusOutcome o = answer_offline(cmd);
    CHECK(o.exit_code == 0);
    CHECK(o.out.rfind("Usage: cl_status <sub-command> [<options>] [<parameters>]\n\nSub-commands:\n", 0) == 0);
    CHECK(o.out.find("hbparameter -p <parameter-name>\n") != std::string::npos);
  }
  for (std::string bad : {"bogus", "HBSTATUS", "--help", "test"}) {
    ClStatusCommand cmd = parse_cl_status({bad});
    CHECK(cmd.kind == ClStatusCommand::Kind::BadSubCommand);
    ClStatusOutcome o = answer_offline(cmd);
    CHECK(o.exit_code == 11);
    CHECK(o.out.empty());
    CHECK(o.errors == Errors{bad + ": invalid sub-command."});
  }
}

TEST_CASE("cl_status: daemon not running", "[tools]") {
  ClStatusOutcome o = down({"hbstatus"});
  CHECK(o.out == "Heartbeat is stopped on this machine.\n");
  CHECK(o.exit_code == 1);
  CHECK(o.errors.empty());
  CHECK(down({"hbstatus", "-v"}).out ==
        "Heartbeat is stopped on this machine.\n(hb_api_signon: Can't initiate connection to heartbeat)\n");
  for (auto args : {std::vector<std::string>{"listnodes", "-m"}, {"nodestatus", "x"}, {"rscstatus"},
                    {"hbparameter"}, {"clientstatus", "a", "b"}}) {
    ClStatusOutcome d = down(args);
    CHECK(d.exit_code == 1);
    CHECK(d.out.empty());
    CHECK(d.errors == Errors{"Cannot signon with heartbeat",
                             "REASON: hb_api_signon: Can't initiate connection to heartbeat"});
  }
}

TEST_CASE("cl_status: refused, timed out, garbled", "[tools]") {
  ClStatusOutcome refused = down({"hbstatus"}, FetchStatus::Refused);
  CHECK(refused.out == "Heartbeat is apparently running on this machine, but refuses my connection\n");
  CHECK(refused.exit_code == 0);
  CHECK(down({"listnodes"}, FetchStatus::Refused).errors.front() == "Cannot signon with heartbeat");
  CHECK(down({"listnodes"}, FetchStatus::Refused).exit_code == 1);
  CHECK(down({"hbstatus"}, FetchStatus::TimedOut).exit_code == 12);
  CHECK(down({"nodestatus", "a"}, FetchStatus::TimedOut).exit_code == 12);
  ClStatusOutcome bad = down({"rscstatus"}, FetchStatus::BadResponse);
  CHECK(bad.exit_code == 13);
  CHECK(bad.errors == Errors{"Cannot signon with heartbeat", "REASON: detail"});
}

// The expected texts below are heartbeat 3.0.6's, recorded in a test host.
TEST_CASE("cl_status hbstatus", "[tools]") {
  CHECK(run({"hbstatus"}).out == "Heartbeat is running on this machine.\n");
  CHECK(run({"hbstatus", "-m"}).out == "Heartbeat is running on this machine.\n");
  std::string nodes =
      "\nnodea\tactive\t(nodetype: normal)\n\teth0\tup\n"
      "\nnodeb\tdead\t(nodetype: normal)\n\teth0\tdead\n\teth1\tup\n"
      "\n198.18.0.254\tping\t(nodetype: ping)\n\t198.18.0.254\tup\n";
  CHECK(run({"hbstatus", "-v"}).out == "version:\t0.1.0\nmanaged by:\t\"haresources\"\n" + nodes);
  std::string human_nodes =
      "The nodes are as follow:\n"
      "\nnodea\tactive\t(nodetype: normal)\n\tthis node has the following heartbeat links:\n\teth0\tup\n"
      "\nnodeb\tdead\t(nodetype: normal)\n\tthis node has the following heartbeat links:\n"
      "\teth0\tdead\n\teth1\tup\n"
      "\n198.18.0.254\tping\t(nodetype: ping)\n\tthis node has the following heartbeat links:\n"
      "\t198.18.0.254\tup\n";
  CHECK(run({"hbstatus", "-v", "-m"}).out ==
        "Heartbeat version 0.1.0\nResources controlled by \"haresources\"\n" + human_nodes);
  CHECK(run({"listnodes", "-v", "-m"}).out == human_nodes);
  ClStatusOutcome odd = run({"hbstatus", "-x"});  // getopt complains, hbstatus carries on
  CHECK(odd.out == "Heartbeat is running on this machine.\n");
  CHECK(odd.plain_err == "hbstatus: invalid option -- 'x'\n");
  CHECK(odd.errors.empty());
  CHECK(odd.exit_code == 0);
  Snapshot s = two_node_snapshot();
  s.parameters["hbversion"] = "3.0.6";
  CHECK(run({"hbstatus", "-mv"}, s).out.find("Heartbeat version 3.0.6\n") != std::string::npos);
}

TEST_CASE("cl_status listnodes", "[tools]") {
  CHECK(run({"listnodes"}).out == "nodea\nnodeb\n198.18.0.254\n");
  CHECK(run({"listnodes", "-n"}).out == "nodea\nnodeb\n");
  CHECK(run({"listnodes", "-p"}).out == "198.18.0.254\n");
  CHECK(run({"listnodes", "-p", "-n"}).out == "nodea\nnodeb\n198.18.0.254\n");
  CHECK(run({"listnodes", "-m"}).out == "The nodes are as follow:\nnodea\nnodeb\n198.18.0.254\n");
  CHECK(run({"listnodes", "-pv"}).out == "\n198.18.0.254\tping\t(nodetype: ping)\n\t198.18.0.254\tup\n");
  ClStatusOutcome bad = run({"listnodes", "-x"});
  CHECK(bad.exit_code == 11);
  CHECK(bad.out.empty());
  CHECK(bad.plain_err == "listnodes: invalid option -- 'x'\n");
  CHECK(bad.errors == Errors{"Error: getopt returnedcharacter code ?."});
}

TEST_CASE("cl_status nodestatus and nodetype", "[tools]") {
  ClStatusOutcome a = run({"nodestatus", "nodea"});
  CHECK(a.out == "active\n");
  CHECK(a.exit_code == 0);
  ClStatusOutcome b = run({"nodestatus", "NodeB"});
  CHECK(b.out == "dead\n");
  CHECK(b.exit_code == 1);
  CHECK(run({"nodestatus", "198.18.0.254"}).exit_code == 0);
  CHECK(run({"nodestatus", "nodeA", "-m"}).out == "The cluster node nodeA is active\n");
  CHECK(run({"nodestatus", "-m", "nodea"}).out == "The cluster node nodea is active\n");
  ClStatusOutcome unknown = run({"nodestatus", "nodez"});
  CHECK(unknown.exit_code == 11);
  CHECK(unknown.out.empty());
  CHECK(unknown.plain_err == "Error. May be due to incorrect node name\n");
  CHECK(unknown.errors.empty());
  CHECK(run({"nodestatus"}).exit_code == 11);
  CHECK(run({"nodestatus"}).plain_err == "Not enough parameters.\n");
  CHECK(run({"nodestatus", "nodea", "extra"}).out == "active\n");
  Snapshot s = two_node_snapshot();
  s.nodes[1].status = "init";
  CHECK(run({"nodestatus", "nodeb"}, s).exit_code == 1);
  s.nodes[1].status = "up";
  CHECK(run({"nodestatus", "nodeb"}, s).exit_code == 0);

  CHECK(run({"nodetype", "nodeb"}).out == "normal\n");
  CHECK(run({"nodetype", "198.18.0.254"}).out == "ping\n");
  CHECK(run({"nodetype", "nodeb", "-m"}).out == "The node nodeb's type: normal\n");
  CHECK(run({"nodetype", "nodez"}).exit_code == 11);
  CHECK(run({"nodetype", "nodez"}).plain_err == "Error. May be due to incorrect node name\n");
  CHECK(run({"nodetype"}).plain_err == "No enough parameter.\n");
}

TEST_CASE("cl_status listhblinks and hblinkstatus", "[tools]") {
  CHECK(run({"listhblinks", "nodeb"}).out == "\teth0\n\teth1\n");
  CHECK(run({"listhblinks", "nodeb", "-v"}).out == "\teth0\tdead\n\teth1\tup\n");
  CHECK(run({"listhblinks", "-m", "nodeb"}).out ==
        "\tthis node has the following heartbeat links:\n\teth0\n\teth1\n");
  ClStatusOutcome nolinks = run({"listhblinks", "nodez"});
  CHECK(nolinks.exit_code == 13);
  CHECK(nolinks.errors == Errors{"Cannot start heartbeat link interface walk.", "REASON: EINVAL"});
  CHECK(run({"listhblinks"}).exit_code == 11);
  CHECK(run({"listhblinks"}).plain_err == "No enough parameter.\n");

  ClStatusOutcome up = run({"hblinkstatus", "NODEB", "eth1"});
  CHECK(up.out == "up\n");
  CHECK(up.exit_code == 0);
  ClStatusOutcome dead = run({"hblinkstatus", "nodeb", "eth0", "-m"});
  CHECK(dead.out == "The node nodeb's heartbeat link eth0 is dead\n");
  CHECK(dead.exit_code == 1);
  ClStatusOutcome unknown = run({"hblinkstatus", "nodeb", "eth9"});
  CHECK(unknown.exit_code == 13);
  CHECK(unknown.errors == Errors{"Cannot get heartbeat link status", "REASON: "});
  CHECK(run({"hblinkstatus", "nodez", "eth0"}).exit_code == 13);
  CHECK(run({"hblinkstatus", "nodeb"}).exit_code == 11);
  CHECK(run({"hblinkstatus", "nodeb"}).plain_err == "No enough parameter.\n");
}

TEST_CASE("cl_status clientstatus, rscstatus, nodeweight, nodesite", "[tools]") {
  ClStatusOutcome client = run({"clientstatus", "nodea", "ipfail", "500"});
  CHECK(client.out == "offline\n");
  CHECK(client.exit_code == 1);
  CHECK(run({"clientstatus", "nodea"}).exit_code == 11);
  CHECK(run({"clientstatus", "nodea"}).plain_err == "No enough parameter.\n");
  ClStatusOutcome stranger = run({"clientstatus", "nodez", "ipfail"});
  CHECK(stranger.exit_code == 13);
  CHECK(stranger.errors == Errors{"Cannot get heartbeat client ipfail's status", "REASON: No timely response."});

  CHECK(run({"rscstatus"}).out == "local\n");
  CHECK(run({"rscstatus", "-m"}).out == "This node is holding local resources.\n");
  Snapshot s = two_node_snapshot();
  s.rsc_status = "none";
  CHECK(run({"rscstatus", "-m"}, s).out == "This node is holding none resources.\n");
  CHECK(run({"rscstatus"}, s).exit_code == 0);

  CHECK(run({"nodeweight", "nodea"}).out == "100\n");
  CHECK(run({"nodeweight", "nodea", "-m"}).out == "The weight of the cluster node nodea is 100\n");
  CHECK(run({"nodeweight", "x"}).plain_err == "Error. Maybe due to incorrect node name.\n");
  CHECK(run({"nodeweight"}).plain_err == "Not enough parameters.\n");
  CHECK(run({"nodesite"}).plain_err == "Not enough parameters.\n");
  CHECK(run({"nodesite", "x"}).exit_code == 11);
  CHECK(run({"nodesite", "nodea"}).out == "\n");
  s.nodes[0].site = "north";
  CHECK(run({"nodesite", "nodea", "-m"}, s).out == "The site of the cluster node nodea is north\n");
}

TEST_CASE("cl_status hbparameter and its alias parameter", "[tools]") {
  CHECK(run({"hbparameter", "-p", "deadtime"}).out == "6\n");
  CHECK(run({"hbparameter", "-pdeadping"}).out == "6000ms\n");
  CHECK(run({"parameter", "-p", "deadtime"}).out == "6\n");
  CHECK(run({"hbparameter", "-m", "-p", "deadtime"}).out == "Heartbeat parameter deadtime's value: 6\n");
  CHECK(run({"hbparameter", "-p", "deadtime", "-m"}).out == "Heartbeat parameter deadtime's value: 6\n");
  CHECK(run({"hbparameter", "-p", "hbversion"}).out == "0.1.0\n");
  ClStatusOutcome unset = run({"hbparameter", "-p", "node"});
  CHECK(unset.exit_code == 1);
  CHECK(unset.errors == Errors{"Cannot get parameter node's value"});
  CHECK(run({"hbparameter", "-p", "DEADTIME"}).exit_code == 1);  // names are case-sensitive
  ClStatusOutcome missing = run({"hbparameter"});
  CHECK(missing.exit_code == 11);
  CHECK(missing.errors == Errors{"parameter name required"});
  ClStatusOutcome no_value = run({"hbparameter", "-p"});
  CHECK(no_value.exit_code == 11);
  CHECK(no_value.plain_err == "hbparameter: option requires an argument -- 'p'\n");
  CHECK(no_value.errors == Errors{"Error: getopt returnedcharacter code ?."});
}
