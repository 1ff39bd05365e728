#include "tools/pcap_reader.h"

#include <catch2/catch.hpp>

#include "test/pcap.h"

using hbd::tools::parse_pcap_udp;
using hbd::tools::PcapContents;

namespace {

// Builds classic pcap files in either byte order, us or ns stamps.
struct PcapWriter {
  bool big_endian = false;
  bool nano = false;
  uint32_t link = 1;
  std::string bytes;

  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) {
      int shift = big_endian ? 24 - 8 * i : 8 * i;
      bytes += char((v >> shift) & 0xff);
    }
  }
  void u16(uint16_t v) {
    if (big_endian) bytes += {char(v >> 8), char(v & 0xff)};
    else bytes += {char(v & 0xff), char(v >> 8)};
  }
  std::string header() {
    bytes.clear();
    u32(nano ? 0xa1b23c4d : 0xa1b2c3d4);
    u16(2);
    u16(4);
    u32(0);
    u32(0);
    u32(262144);
    u32(link);
    return bytes;
  }
  void record(const std::string& frame, uint32_t sec, uint32_t frac, size_t orig = 0) {
    u32(sec);
    u32(frac);
    u32(uint32_t(frame.size()));
    u32(uint32_t(orig ? orig : frame.size()));
    bytes += frame;
  }
};

std::string be16(uint16_t v) { return {char(v >> 8), char(v & 0xff)}; }

std::string udp(const std::string& payload, uint16_t sport = 1234, uint16_t dport = 694) {
  return be16(sport) + be16(dport) + be16(uint16_t(8 + payload.size())) + be16(0) + payload;
}

std::string ipv4(const std::string& l4, uint16_t flags_frag = 0) {
  std::string h = {char(0x45), 0};
  h += be16(uint16_t(20 + l4.size()));
  h += be16(1) + be16(flags_frag);
  h += {64, 17};
  h += be16(0);
  h += {char(198), 18, 1, 11, char(198), 18, 1, char(255)};
  return h + l4;
}

std::string ipv6(const std::string& l4) {
  std::string h = {0x60, 0, 0, 0};
  h += be16(uint16_t(l4.size()));
  h += {17, 64};
  std::string src(16, 0), dst(16, 0);
  src[0] = dst[0] = char(0xfe);
  src[1] = dst[1] = char(0x80);
  src[15] = 1;
  dst[15] = 2;
  return h + src + dst + l4;
}

std::string ethernet(const std::string& ip, uint16_t type = 0x0800, bool vlan = false) {
  std::string f(12, '\x02');
  if (vlan) f += be16(0x8100) + be16(7);
  return f + be16(type) + ip;
}

std::string sll(const std::string& ip) { return std::string(14, '\0') + be16(0x0800) + ip; }
std::string sll2(const std::string& ip) { return be16(0x86dd) + std::string(18, '\0') + ip; }

PcapContents one_frame(PcapWriter& w, const std::string& frame) {
  w.header();
  w.record(frame, 1763760000, w.nano ? 123456789 : 123456);
  return parse_pcap_udp(w.bytes);
}

}  // namespace

TEST_CASE("pcap: both byte orders and both stamp resolutions", "[pcap]") {
  for (bool big : {false, true}) {
    for (bool nano : {false, true}) {
      PcapWriter w;
      w.big_endian = big;
      w.nano = nano;
      PcapContents c = one_frame(w, ethernet(ipv4(udp("hello"))));
      INFO("big " << big << " nano " << nano);
      REQUIRE(c.error.empty());
      REQUIRE(c.udp.size() == 1);
      CHECK(c.udp[0].payload == "hello");
      CHECK(c.udp[0].ts_sec == 1763760000);
      CHECK(c.udp[0].ts_nsec == (nano ? 123456789u : 123456000u));
      CHECK(c.udp[0].src_ip == "198.18.1.11");
      CHECK(c.udp[0].dst_ip == "198.18.1.255");
      CHECK(c.udp[0].src_port == 1234);
      CHECK(c.udp[0].dst_port == 694);
    }
  }
}

TEST_CASE("pcap: Ethernet with a VLAN tag, SLL, SLL2 and raw IP link types", "[pcap]") {
  struct Case {
    uint32_t link;
    std::string frame;
    std::string src;
  };
  for (const Case& c : {Case{1, ethernet(ipv4(udp("x")), 0x0800, true), "198.18.1.11"},
                        Case{113, sll(ipv4(udp("x"))), "198.18.1.11"},
                        Case{276, sll2(ipv6(udp("x"))), "fe80::1"},
                        Case{101, ipv4(udp("x")), "198.18.1.11"},
                        Case{101, ipv6(udp("x")), "fe80::1"}}) {
    PcapWriter w;
    w.link = c.link;
    PcapContents r = one_frame(w, c.frame);
    INFO("link " << c.link);
    REQUIRE(r.error.empty());
    REQUIRE(r.udp.size() == 1);
    CHECK(r.udp[0].payload == "x");
    CHECK(r.udp[0].src_ip == c.src);
  }
}

TEST_CASE("pcap: fragments and non-UDP records are counted, not returned", "[pcap]") {
  PcapWriter w;
  w.header();
  w.record(ethernet(ipv4(udp("a"), 0x2000)), 1, 0);  // MF set
  w.record(ethernet("arp", 0x0806), 1, 0);
  PcapContents r = parse_pcap_udp(w.bytes);
  CHECK(r.error.empty());
  CHECK(r.frames == 2);
  CHECK(r.udp.empty());
  CHECK(r.skipped == 2);
  CHECK(r.fragments == 1);
}

TEST_CASE("pcap: a datagram cut by the snaplen is returned as cut", "[pcap]") {
  PcapWriter w;
  std::string frame = ethernet(ipv4(udp(std::string(100, 'p'))));
  w.header();
  w.record(frame.substr(0, frame.size() - 60), 1, 0, frame.size());
  PcapContents r = parse_pcap_udp(w.bytes);
  REQUIRE(r.udp.size() == 1);
  CHECK(r.udp[0].cut());
  CHECK(r.udp[0].payload.size() == 40);
  CHECK(r.udp[0].udp_length == 100);
}

TEST_CASE("pcap: truncated or garbage files give an error with the offset", "[pcap]") {
  PcapWriter w;
  w.header();
  w.record(ethernet(ipv4(udp("first"))), 1, 0);
  size_t second = w.bytes.size();
  w.record(ethernet(ipv4(udp("second"))), 2, 0);
  PcapContents cut = parse_pcap_udp(std::string_view(w.bytes).substr(0, w.bytes.size() - 3));
  CHECK(cut.udp.size() == 1);  // what came before the damage is kept
  CHECK(cut.error_offset == second);
  CHECK(cut.error == "record 2: truncated (" + std::to_string(w.bytes.size() - second - 19) +
                         " of " + std::to_string(w.bytes.size() - second - 16) +
                         " bytes) at offset " + std::to_string(second));
  PcapContents header_cut = parse_pcap_udp(std::string_view(w.bytes).substr(0, second + 5));
  CHECK(header_cut.error ==
        "record 2: truncated record header (5 of 16 bytes) at offset " + std::to_string(second));
  CHECK(parse_pcap_udp("GET / HTTP/1.1\r\nHost: x\r\n\r\n").error.find("not a classic pcap") == 0);
  CHECK(parse_pcap_udp("short").error.find("shorter than a pcap file header") == 0);
  std::string garbage = w.header() + std::string(16, '\xff');
  CHECK(parse_pcap_udp(garbage).error.find("implausible length") != std::string::npos);
  PcapWriter tr;
  tr.link = 127;  // radiotap
  CHECK(parse_pcap_udp(tr.header()).error.find("link type 127 is not supported") == 0);
}

TEST_CASE("pcap: the test-side names still read the real captures", "[pcap]") {
  hbd::test::PcapContents c =
      hbd::test::read_pcap_udp(std::string(HBD_SRCDIR) + "/test/vectors/hb-bcast-sha1.pcap");
  REQUIRE(c.error.empty());
  CHECK(c.udp.size() == 186);
  CHECK(c.udp[0].src_ip == "198.18.1.11");
  CHECK(hbd::test::read_pcap_udp("/nonexistent.pcap").error == "cannot open /nonexistent.pcap");
}
