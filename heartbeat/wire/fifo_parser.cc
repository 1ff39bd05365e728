#include "wire/fifo_parser.h"

namespace hbd::wire {

namespace {

constexpr std::string_view kStart = ">>>";
constexpr std::string_view kEnd = "<<<";
constexpr size_t kQuoteMax = 60;

// The offending text for an error line, shortened.
std::string quoted(std::string_view line) {
  std::string out = "\"";
  out.append(line.substr(0, kQuoteMax));
  if (line.size() > kQuoteMax) out += "...";
  return out + "\"";
}

FifoBlock rejection(std::string error) {
  FifoBlock block;
  block.error = std::move(error);
  return block;
}

}  // namespace

std::vector<FifoBlock> FifoParser::feed(std::string_view bytes) {
  std::vector<FifoBlock> out;
  while (!bytes.empty()) {
    size_t newline = bytes.find('\n');
    std::string_view piece = bytes.substr(0, newline);
    bytes.remove_prefix(newline == std::string_view::npos ? bytes.size() : newline + 1);
    if (skipping_line_) {
      skipping_line_ = newline == std::string_view::npos;
      continue;
    }
    if (partial_.size() + piece.size() > kMaxBlockBytes) {
      std::string head = partial_.substr(0, kQuoteMax + 1);
      head.append(piece.substr(0, kQuoteMax + 1 - head.size()));
      partial_.clear();
      skipping_line_ = newline == std::string_view::npos;
      on_overlong_line(head, out);
      continue;
    }
    if (newline == std::string_view::npos) {
      partial_.append(piece);
      continue;
    }
    std::string line = std::move(partial_);
    partial_.clear();
    line.append(piece);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    on_line(line, out);
  }
  return out;
}

void FifoParser::on_line(std::string_view line, std::vector<FifoBlock>& out) {
  switch (state_) {
    case State::Outside:
      if (line == kStart) start_block();
      else if (!line.empty()) stray_text(line, out);
      return;
    case State::Inside:
      inside_block(line, out);
      return;
    case State::Oversized:
      if (line == kStart) start_block();
      else if (line == kEnd) state_ = State::Outside;
      return;
  }
}

void FifoParser::on_overlong_line(std::string_view head, std::vector<FifoBlock>& out) {
  switch (state_) {
    case State::Outside:
      stray_text(head, out);
      return;
    case State::Inside:
      out.push_back(rejection("block larger than 64 KiB"));
      block_ = Message();
      state_ = State::Oversized;
      return;
    case State::Oversized:
      return;
  }
}

void FifoParser::inside_block(std::string_view line, std::vector<FifoBlock>& out) {
  if (line == kStart) {
    out.push_back(rejection("block restarted by '>>>' before its '<<<'"));
    start_block();
    return;
  }
  if (line == kEnd) {
    end_block(out);
    return;
  }
  if (line.empty()) return;
  block_bytes_ += line.size() + 1;
  if (block_bytes_ > kMaxBlockBytes) {
    on_overlong_line(line, out);
    return;
  }
  size_t equals = line.find('=');
  if (!block_error_.empty()) return;  // the block is lost already; keep only its first fault
  if (equals == std::string_view::npos) {
    block_error_ = "line without '=': " + quoted(line);
  } else if (equals == 0) {
    block_error_ = "empty field name: " + quoted(line);
  } else {
    block_.add(std::string(line.substr(0, equals)), std::string(line.substr(equals + 1)));
  }
}

void FifoParser::start_block() {
  state_ = State::Inside;
  block_ = Message();
  block_bytes_ = 0;
  block_error_.clear();
  stray_reported_ = false;
}

void FifoParser::end_block(std::vector<FifoBlock>& out) {
  state_ = State::Outside;
  if (!block_error_.empty()) {
    out.push_back(rejection(std::move(block_error_)));
  } else if (!block_.has("t")) {
    out.push_back(rejection("block without t"));
  } else {
    FifoBlock block;
    block.message = std::move(block_);
    out.push_back(std::move(block));
  }
  block_ = Message();
  block_error_.clear();
}

// Stray text is reported once per run: a burst of garbage is one error.
void FifoParser::stray_text(std::string_view line, std::vector<FifoBlock>& out) {
  if (stray_reported_) return;
  stray_reported_ = true;
  out.push_back(rejection("text outside a block: " + quoted(line)));
}

}  // namespace hbd::wire
