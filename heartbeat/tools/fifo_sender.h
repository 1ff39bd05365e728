// Writing one request block into the daemon's command FIFO, failing fast
// where heartbeat's tools block for ever (config-and-tools §5.3).
//
// The FIFO is opened O_WRONLY|O_NONBLOCK: with no reader (the daemon is
// not running: ENXIO) or no FIFO at all (ENOENT) the tool says so and exits
// 1 at once. The block goes out in one write(): it is far below PIPE_BUF,
// so it arrives whole, never interleaved with another writer's. A FIFO
// whose reader does not drain it (full pipe) is waited on for a few
// seconds, then reported.
#pragma once
#include <string>

namespace hbd::tools {

struct FifoResult {
  bool ok = true;
  std::string error;  // the whole message, e.g. "hb_standby: heartbeat (hbd) is not running: …"
};

class FifoSender {
 public:
  virtual ~FifoSender() = default;
  virtual FifoResult open() = 0;
  virtual FifoResult send(const std::string& block) = 0;
};

enum class FifoStage { Open, Write };

// The message for a failed open/write of `path` with errno `err`.
std::string describe_fifo_error(const std::string& program, const std::string& path,
                                FifoStage stage, int err);

class PipeFifoSender : public FifoSender {
 public:
  static constexpr int kFullPipeWaitMs = 5000;

  PipeFifoSender(std::string program, std::string path, int full_wait_ms = kFullPipeWaitMs);
  ~PipeFifoSender() override;
  PipeFifoSender(const PipeFifoSender&) = delete;
  PipeFifoSender& operator=(const PipeFifoSender&) = delete;

  FifoResult open() override;
  FifoResult send(const std::string& block) override;

 private:
  FifoResult fail(FifoStage stage, int err) const;

  std::string program_;
  std::string path_;
  int full_wait_ms_;
  int fd_ = -1;
};

}  // namespace hbd::tools
