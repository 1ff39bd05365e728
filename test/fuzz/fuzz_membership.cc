// Stateful libFuzzer target for the membership core: a sequence of messages
// from peers (and from someone using our own name), with a virtual clock
// between them, as an attacker holding the key (or forging crc) could send.
// The core must never crash, and what it sends in answer to one message or
// one tick must stay bounded (heartbeat caps retransmissions at 50 a burst).
//
// Input: records of [op][advance ms][a][b][c][d] (6 bytes) and a string of
// 4 × its first byte; op chooses the message type, a-d its numbers.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cluster/membership.h"
#include "cluster/outgoing.h"
#include "wire/message.h"

using namespace hbd::cluster;
using hbd::wire::FieldType;
using hbd::wire::Message;

namespace {

constexpr size_t kMaxSendsPerStep = 400;

struct CountingSink : Sink {
  size_t sent = 0;
  void send(const Message&, SendKind) override { ++sent; }
  void log(hbd::log::Level, const std::string&) override {}
  void event(const Event&) override {}
};

struct ByteRandom : Random {  // deterministic: the fuzzer owns every choice
  uint64_t state = 1;
  int64_t between(int64_t lo, int64_t hi) override {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    if (hi <= lo) return lo;
    return lo + static_cast<int64_t>((state >> 33) % static_cast<uint64_t>(hi - lo + 1));
  }
};

Params three_nodes() {
  Params p;
  p.local_node = "node1";
  p.nodes = {"node1", "node2", "node3"};
  p.ping_nodes = {"198.18.0.254"};
  p.keepalive_ms = 100;
  p.deadtime_ms = 500;
  p.warntime_ms = 300;
  p.initdead_ms = 1000;
  p.generation = 0x100;
  p.uuid = std::string(16, '\x11');
  return p;
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool empty() const { return at_ >= in_.size(); }
  uint8_t byte() { return at_ < in_.size() ? static_cast<uint8_t>(in_[at_++]) : 0; }
  std::string text() {
    size_t n = byte() * size_t{4};  // long enough for a repnodes of hundreds of names
    std::string s(in_.substr(std::min(at_, in_.size()), n));
    at_ += n;
    return s;
  }

 private:
  std::string_view in_;
  size_t at_ = 0;
};

// Small numbers most of the time (so sequences line up), the edges sometimes.
uint64_t number(uint8_t b) {
  switch (b >> 6) {
    case 0: return b & 0x3f;
    case 1: return 0x100 + (b & 0x3f);
    case 2: return UINT64_MAX - (b & 0x3f);
    default: return (uint64_t{1} << (b & 0x3f));
  }
}

const char* sender(uint8_t b) {
  static const char* names[] = {"node2", "node3", "node1", "198.18.0.254", "stranger", ""};
  return names[b % 6];
}

Message build(uint8_t op, uint8_t a, uint8_t b, uint8_t c, uint8_t d, const std::string& text) {
  static const char* types[] = {"status", "NS_ackmsg", "NS_rexmit", "NS_nak_rexmit", "NS_st",
                                "reqnodes", "repnodes", "ip-request", "T_RESOURCES"};
  Message m;
  m.add("t", types[op % 9]);
  m.add("src", sender(a));
  if (a & 0x80) m.add("srcuuid", std::string(16, static_cast<char>(a)), FieldType::Binary);
  if (b & 1) m.add("seq", to_hex(number(b)));
  m.add("hg", to_hex(number(c)));
  m.add("ts", to_hex(number(d)));
  switch (op % 9) {
    case 0: m.add("st", text.empty() ? "active" : text); m.add("dt", to_hex(number(d))); break;
    case 1: m.add("ackseq", to_hex(number(c ^ d))); break;
    case 2:
    case 3: m.add("firstseq", to_hex(number(c))); m.add("lastseq", to_hex(number(d))); break;
    case 6: m.add("nodelist", text); break;
    default: if (!text.empty()) m.add("info", text);
  }
  if (op & 0x40) m.add("dest", sender(b));
  if (op & 0x20) m.add("protocol", "1");
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CountingSink sink;
  ByteRandom rng;
  Membership core(three_nodes(), sink, rng, [] { return int64_t{1800000000}; },
                  [] { return std::string("0.00 0.00 0.00 1/1 1"); });
  int64_t now = 1000;
  core.start(now);
  Reader in(std::string_view(reinterpret_cast<const char*>(data), size));
  for (int step = 0; step < 2000 && !in.empty(); ++step) {
    uint8_t op = in.byte();
    now += in.byte() * 7;  // up to ~1.8 s between records
    uint8_t a = in.byte(), b = in.byte(), c = in.byte(), d = in.byte();
    std::string text = in.text();
    sink.sent = 0;
    if (op & 0x80) {
      core.tick(now);
    } else {
      core.receive(build(op, a, b, c, d, text), (a & 1) ? "eth0" : "ttyS0", now);
      if (sink.sent > kMaxSendsPerStep) __builtin_trap();
      sink.sent = 0;
      core.tick(now);
    }
    if (sink.sent > kMaxSendsPerStep) __builtin_trap();
    // A peer's repnodes must not grow the table past heartbeat's MAXNODE (100).
    if (core.nodes().all().size() > 128) __builtin_trap();
  }
  return 0;
}
