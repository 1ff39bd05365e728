#include "tools/standby.h"

namespace hbd::tools {

namespace {

bool is_set_word(const std::string& word) {
  return word == "all" || word == "foreign" || word == "local" || word == "failback";
}

StandbyArgs usage(const std::string& program, std::string first_line) {
  StandbyArgs a;
  a.exit_code = 1;
  a.out = std::move(first_line) + "usage:\n";
  a.err = program + " [all|foreign|local|failback]\n";
  return a;
}

}  // namespace

StandbyArgs parse_standby_args(StandbyTool tool, const std::string& program,
                               const std::vector<std::string>& args) {
  if (args.size() >= 2) return usage(program, program + ": too many arguments\n");
  std::string word = args.empty() ? "all" : args[0];
  if (word == "--help") return usage(program, "");
  // heartbeat's shell test breaks on an empty word or one with blanks or
  // glob characters (a `[` error, then the usage); here they are just wrong.
  if (!is_set_word(word)) return usage(program, program + ": wrong resources(" + word + ").\n");
  StandbyArgs a;
  a.set = tool == StandbyTool::Standby && word == "failback" ? "foreign" : word;
  return a;
}

std::string fifo_block(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string block = ">>>\n";
  for (const auto& [name, value] : fields) block += name + "=" + value + "\n";
  return block + "<<<\n";
}

std::string standby_block(StandbyTool tool, const std::string& set) {
  if (tool == StandbyTool::Standby)
    return fifo_block({{"t", "ask_resources"}, {"rsc_hold", set}, {"info", "me"}});
  return fifo_block({{"t", "hb_takeover"}, {"rsc_hold", set}});
}

std::string going_standby_text(const std::string& set) { return "Going standby [" + set + "]."; }

int run_standby(StandbyTool tool, const std::string& program, const std::vector<std::string>& args,
                FifoSender& fifo, ScriptLog& log, std::ostream& out, std::ostream& err) {
  StandbyArgs a = parse_standby_args(tool, program, args);
  if (!a.ok()) {
    out << a.out << std::flush;
    err << a.err << std::flush;
    return a.exit_code;
  }
  FifoResult r = fifo.open();
  if (r.ok) {
    if (tool == StandbyTool::Standby) log.log(going_standby_text(a.set));
    r = fifo.send(standby_block(tool, a.set));
  }
  if (r.ok) return 0;
  err << r.error << "\n" << std::flush;
  return 1;
}

}  // namespace hbd::tools
