// The command FIFO's text (config-and-tools §5.7): heartbeat's shell tools
// (ha_clustermsg in shellfuncs, used by hb_standby, hb_takeover, mach_down,
// req_resource…) write blocks
//   >>>
//   t=ask_resources
//   rsc_hold=all
//   <<<
// one name=value per line. Pure: bytes in, messages or rejections out, in
// the order the blocks ended. Lines may arrive split across feeds; a CR
// before LF is tolerated; empty lines are skipped. Values are taken as
// written (no classic-encoding escapes or type prefixes: the tools write
// plain text).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "wire/message.h"

namespace hbd::wire {

struct FifoBlock {
  Message message;    // fields in block order (only when ok())
  std::string error;  // why a block, or text outside blocks, was rejected
  bool ok() const { return error.empty(); }
};

class FifoParser {
 public:
  // A block (its field lines with their newlines) or a line longer than this
  // is discarded up to its `<<<`: memory stays bounded whatever is written.
  static constexpr size_t kMaxBlockBytes = 64 * 1024;

  std::vector<FifoBlock> feed(std::string_view bytes);

 private:
  enum class State { Outside, Inside, Oversized };

  void on_line(std::string_view line, std::vector<FifoBlock>& out);
  void on_overlong_line(std::string_view head, std::vector<FifoBlock>& out);
  void inside_block(std::string_view line, std::vector<FifoBlock>& out);
  void start_block();
  void end_block(std::vector<FifoBlock>& out);
  void stray_text(std::string_view line, std::vector<FifoBlock>& out);

  State state_ = State::Outside;
  std::string partial_;         // the start of a line whose end has not come yet
  bool skipping_line_ = false;  // discarding the rest of an overlong line
  Message block_;
  size_t block_bytes_ = 0;
  std::string block_error_;     // the first bad line of the current block
  bool stray_reported_ = false; // text outside blocks reported since the last `>>>`
};

}  // namespace hbd::wire
