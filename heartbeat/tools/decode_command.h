// `hbctl decode [--authkeys FILE] [--port N] [--serial] FILE|-`: reads the
// capture and the authkeys, then hands the bytes to tools/decode.h.
#pragma once
#include <string>
#include <vector>

#include "tools/hbctl.h"

namespace hbd::tools {

// args: what follows "decode" on the command line. "-" reads stdin.
HbctlOutcome run_decode(const std::vector<std::string>& args);

}  // namespace hbd::tools
