#include "tools/fifo_sender.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hbd::tools {

namespace {

// Not an errno: the path exists but is no FIFO.
constexpr int kNotFifo = -1;

}  // namespace

std::string describe_fifo_error(const std::string& program, const std::string& path,
                                FifoStage stage, int err) {
  std::string head = program + ": ";
  switch (err) {
    case ENXIO:
    case EPIPE: return head + "heartbeat (hbd) is not running: nobody reads " + path;
    case ENOENT: return head + "heartbeat (hbd) is not running: " + path + " does not exist";
    case EAGAIN: return head + "heartbeat (hbd) is not reading " + path + " (it is full)";
    case EACCES:
    case EPERM:
      return head + "cannot open " + path + ": " + std::strerror(err) + " (run it as root)";
    case kNotFifo:
      return head + path + " is not a FIFO: heartbeat (hbd) reads requests from a FIFO only";
    default:
      return head + (stage == FifoStage::Open ? "cannot open " : "cannot write to ") + path + ": " +
             std::strerror(err);
  }
}

PipeFifoSender::PipeFifoSender(std::string program, std::string path, int full_wait_ms)
    : program_(std::move(program)), path_(std::move(path)), full_wait_ms_(full_wait_ms) {}

PipeFifoSender::~PipeFifoSender() {
  if (fd_ >= 0) ::close(fd_);
}

FifoResult PipeFifoSender::fail(FifoStage stage, int err) const {
  return {false, describe_fifo_error(program_, path_, stage, err)};
}

FifoResult PipeFifoSender::open() {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) return fail(FifoStage::Open, errno);
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISFIFO(st.st_mode)) return fail(FifoStage::Open, kNotFifo);
  return {};
}

FifoResult PipeFifoSender::send(const std::string& block) {
  if (block.size() > PIPE_BUF) return fail(FifoStage::Write, EMSGSIZE);
  for (;;) {
    ssize_t n = ::write(fd_, block.data(), block.size());
    if (n == static_cast<ssize_t>(block.size())) return {};
    if (n >= 0) return fail(FifoStage::Write, EIO);  // cannot happen below PIPE_BUF
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return fail(FifoStage::Write, errno);
    // Full: the daemon is alive but behind. Wait for room, not for ever.
    struct pollfd p = {fd_, POLLOUT, 0};
    int ready = ::poll(&p, 1, full_wait_ms_);
    if (ready == 0) return fail(FifoStage::Write, EAGAIN);
    if (ready < 0 && errno != EINTR) return fail(FifoStage::Write, errno);
    if (p.revents & (POLLERR | POLLHUP)) return fail(FifoStage::Write, EPIPE);
  }
}

}  // namespace hbd::tools
