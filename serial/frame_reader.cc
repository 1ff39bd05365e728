#include "serial/frame_reader.h"

namespace hbd::serial {

namespace {

constexpr std::string_view kBegin = ">>>";
constexpr std::string_view kEnd = "<<<";

bool starts_with(const std::string& line, std::string_view prefix) {
  return line.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

void FrameReader::feed(std::string_view bytes, std::vector<std::string>& frames) {
  for (char raw : bytes) {
    char c = static_cast<char>(raw & 0x7f);  // ISTRIP
    if (c == '\n') {
      end_of_line(frames);
    } else if (c == '\r') {  // IGNCR
      if (!collecting_) ++hunted_bytes_;
    } else {
      take_char(c);
    }
  }
}

void FrameReader::reset() {
  collecting_ = false;
  skipping_line_ = false;
  line_.clear();
  frame_.clear();
  hunted_bytes_ = 0;
}

void FrameReader::take_char(char c) {
  if (skipping_line_) {
    if (!collecting_) ++counters_.noise_bytes;
    return;
  }
  if (!collecting_) {
    ++hunted_bytes_;
    if (line_.size() < kBegin.size()) line_ += c;  // only the marker matters
    return;
  }
  line_ += c;
  if (frame_.size() + line_.size() > max_frame_) drop_oversized(true);
}

void FrameReader::drop_oversized(bool mid_line) {
  // Too long to be a real message: drop it and hunt for the next ">>>".
  ++counters_.oversized;
  collecting_ = false;
  frame_.clear();
  line_.clear();
  skipping_line_ = mid_line;
}

void FrameReader::start_frame() {
  collecting_ = true;
  frame_.assign(kBegin);
  frame_ += '\n';
}

void FrameReader::end_of_line(std::vector<std::string>& frames) {
  if (skipping_line_) {
    skipping_line_ = false;
    if (!collecting_) ++counters_.noise_bytes;
  } else if (!collecting_) {
    if (starts_with(line_, kBegin)) start_frame();
    else counters_.noise_bytes += hunted_bytes_ + 1;
  } else if (starts_with(line_, kBegin)) {
    ++counters_.restarted;  // the peer began again: its torn frame is lost
    start_frame();
  } else if (starts_with(line_, kEnd)) {
    frame_ += kEnd;
    frame_ += '\n';
    frames.push_back(std::move(frame_));
    frame_.clear();
    collecting_ = false;
    ++counters_.frames;
  } else {
    frame_ += line_;
    frame_ += '\n';
    if (frame_.size() + kEnd.size() + 1 > max_frame_) drop_oversized(false);
  }
  line_.clear();
  hunted_bytes_ = 0;
}

}  // namespace hbd::serial
