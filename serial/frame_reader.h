// Cuts the byte stream of a serial link into classic frames (wire-protocol
// §1.7): lines end in '\n', CR is dropped (heartbeat sets IGNCR) and the 8th
// bit stripped (ISTRIP); lines are discarded until one starting ">>>", then
// collected until one starting "<<<". Pure: bytes in, frames out, so noise,
// torn frames and a peer restarting mid-frame are tested without a tty.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hbd::serial {

struct ReaderCounters {
  uint64_t frames = 0;       // complete frames handed out
  uint64_t noise_bytes = 0;  // bytes outside any frame (newlines and CRs included)
  uint64_t restarted = 0;    // frames cut short by a new ">>>" line
  uint64_t oversized = 0;    // frames dropped for passing the size limit
};

class FrameReader {
 public:
  // MAXMSG (§1.6): no real frame is longer.
  static constexpr size_t kDefaultMaxFrame = 256 * 1024;

  explicit FrameReader(size_t max_frame = kDefaultMaxFrame) : max_frame_(max_frame) {}

  // Appends every frame completed by `bytes` to `frames` as ">>>\n...<<<\n".
  void feed(std::string_view bytes, std::vector<std::string>& frames);
  // Forgets a partial frame (the port was closed and reopened).
  void reset();

  const ReaderCounters& counters() const { return counters_; }
  bool in_frame() const { return collecting_; }

 private:
  void end_of_line(std::vector<std::string>& frames);
  void start_frame();
  void take_char(char c);
  void drop_oversized(bool mid_line);

  size_t max_frame_;
  bool collecting_ = false;
  bool skipping_line_ = false;  // the rest of an oversized line is ignored
  std::string line_;            // hunting: only the first 3 characters are kept
  std::string frame_;
  size_t hunted_bytes_ = 0;     // noise in the current line while hunting
  ReaderCounters counters_;
};

}  // namespace hbd::serial
