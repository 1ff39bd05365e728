// hb_standby, or hb_takeover when built with HBD_TAKEOVER (one source, two
// programs): see tools/standby.h.
#include <signal.h>

#include <cstdlib>
#include <iostream>

#include "tools/fifo_sender.h"
#include "tools/script_log.h"
#include "tools/standby.h"

int main(int argc, char** argv) {
  using namespace hbd::tools;
#ifdef HBD_TAKEOVER
  const StandbyTool tool = StandbyTool::Takeover;
#else
  const StandbyTool tool = StandbyTool::Standby;
#endif
  // A reader gone between open and write is EPIPE, reported, not a crash.
  ::signal(SIGPIPE, SIG_IGN);
  std::string program = argc > 0 ? argv[0] : "hb_standby";
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  Getenv getenv = [](const char* name) { return std::getenv(name); };
  const char* fifo_path = std::getenv("HA_FIFO");
  PipeFifoSender fifo(program, fifo_path && *fifo_path ? fifo_path : kDefaultFifo);
  ScriptLogger log(plan_for_this_process(program, getenv));
  return run_standby(tool, program, args, fifo, log, std::cout, std::cerr);
}
