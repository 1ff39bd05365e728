#include "io/realtime.h"

#include <sys/mman.h>

#include <cerrno>
#include <string>
#include <vector>

#include "catch2/catch.hpp"
#include "io/receive_buffer.h"

#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif

namespace hbd::io {
namespace {

// Answers each mlockall with the next errno of `lock_answers` (0: accepted)
// and records what was asked, in order.
class FakeRealtimeCalls : public RealtimeCalls {
 public:
  explicit FakeRealtimeCalls(std::vector<int> lock_answers) : lock_answers_(std::move(lock_answers)) {}
  int set_round_robin(int priority) override {
    calls.push_back("rr " + std::to_string(priority));
    return scheduler_error;
  }
  void trim_heap() override { calls.push_back("trim"); }
  void release_startup_pages() override { calls.push_back("release"); }
  int lock_all(int flags) override {
    calls.push_back("lock " + std::to_string(flags));
    size_t i = locks_++;
    return i < lock_answers_.size() ? lock_answers_[i] : 0;
  }
  void prefault() override { calls.push_back("prefault"); }

  int scheduler_error = 0;
  std::vector<std::string> calls;

 private:
  std::vector<int> lock_answers_;
  size_t locks_ = 0;
};

std::string lock(int flags) { return "lock " + std::to_string(flags); }
const int kOnFault = MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT;
const int kEveryPage = MCL_CURRENT | MCL_FUTURE;

}  // namespace

TEST_CASE("realtime: trims the heap, releases start-up pages, locks only faulted pages, then pre-faults the hot path", "[realtime]") {
  FakeRealtimeCalls calls({0});
  auto notes = make_realtime(1, calls);
  CHECK(notes.empty());
  CHECK(calls.calls == std::vector<std::string>{"rr 1", "trim", "release", lock(kOnFault), "prefault"});
}

TEST_CASE("realtime: a kernel refusing MCL_ONFAULT gets every page locked instead", "[realtime]") {
  FakeRealtimeCalls calls({EINVAL, 0});
  auto notes = make_realtime(5, calls);
  CHECK(calls.calls == std::vector<std::string>{"rr 5", "trim", "release", lock(kOnFault), lock(kEveryPage),
                                                "prefault"});
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].level == log::Level::Info);
  CHECK(notes[0].text.find("MCL_ONFAULT") != std::string::npos);
}

TEST_CASE("realtime: memory that cannot be locked is logged as heartbeat does, and the daemon goes on",
          "[realtime]") {
  FakeRealtimeCalls calls({EINVAL, ENOMEM});
  auto notes = make_realtime(1, calls);
  CHECK(calls.calls == std::vector<std::string>{"rr 1", "trim", "release", lock(kOnFault), lock(kEveryPage)});  // no prefault
  REQUIRE(notes.size() == 2);
  CHECK(notes[1].level == log::Level::Error);
  CHECK(notes[1].text ==
        "Cannot lock ourselves into memory:  System limits on locked-in memory are too small.");
}

TEST_CASE("realtime: a refusal other than EINVAL is not retried", "[realtime]") {
  FakeRealtimeCalls calls({EPERM});
  auto notes = make_realtime(1, calls);
  CHECK(calls.calls == std::vector<std::string>{"rr 1", "trim", "release", lock(kOnFault)});
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].text.rfind("Cannot lock ourselves into memory:  ", 0) == 0);
}

TEST_CASE("realtime: a refused scheduler is logged and memory is still locked", "[realtime]") {
  FakeRealtimeCalls calls({0});
  calls.scheduler_error = EPERM;
  auto notes = make_realtime(99, calls);
  CHECK(calls.calls == std::vector<std::string>{"rr 99", "trim", "release", lock(kOnFault), "prefault"});
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].text.rfind("Cannot set realtime priority 99: ", 0) == 0);
}

}  // namespace hbd::io

TEST_CASE("realtime: the pre-faulted receive buffer holds any IPv4 datagram and no more", "[realtime]") {
  // Larger could never be filled by one recv, yet would be locked.
  using hbd::io::kMaxIpv4Datagram;
  using hbd::io::kReceiveBufferSize;
  CHECK(kReceiveBufferSize > kMaxIpv4Datagram);
  CHECK(kReceiveBufferSize <= kMaxIpv4Datagram + 4096);
}
