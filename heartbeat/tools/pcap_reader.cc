#include "tools/pcap_reader.h"

#include <arpa/inet.h>

#include <algorithm>
#include <fstream>
#include <iterator>

namespace hbd::tools {
namespace {

constexpr uint32_t kMagicMicro = 0xa1b2c3d4;
constexpr uint32_t kMagicNano = 0xa1b23c4d;
constexpr uint32_t kLinkEthernet = 1, kLinkRaw = 101, kLinkSll = 113, kLinkSll2 = 276,
                   kLinkIpv4 = 228, kLinkIpv6 = 229;
constexpr uint16_t kEtherIpv4 = 0x0800, kEtherIpv6 = 0x86dd;
constexpr uint8_t kProtoUdp = 17, kIpv6Fragment = 44;
constexpr size_t kFileHeader = 24, kRecordHeader = 16, kUdpHeader = 8;
// No capture has records this large; a bigger length means the file is garbage.
constexpr size_t kMaxRecord = 16 * 1024 * 1024;

uint16_t be16(const unsigned char* p) { return uint16_t(p[0] << 8 | p[1]); }
uint32_t be32(const unsigned char* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}
uint32_t le32(const unsigned char* p) {
  return uint32_t(p[3]) << 24 | uint32_t(p[2]) << 16 | uint32_t(p[1]) << 8 | p[0];
}

std::string address_text(int family, const unsigned char* bytes) {
  char text[INET6_ADDRSTRLEN] = "";
  inet_ntop(family, bytes, text, sizeof text);
  return text;
}

enum class Frame { Udp, Other, Fragment };

struct Bytes {
  const unsigned char* p;
  size_t n;
};

// The UDP header at `udp` (with `room` bytes captured after it) into `out`.
Frame take_udp(Bytes udp, size_t ip_payload, UdpPacket& out) {
  if (udp.n < kUdpHeader || ip_payload < kUdpHeader) return Frame::Other;
  size_t udp_len = be16(udp.p + 4);
  if (udp_len < kUdpHeader || udp_len > ip_payload) return Frame::Other;
  out.src_port = be16(udp.p);
  out.dst_port = be16(udp.p + 2);
  out.udp_length = udp_len - kUdpHeader;
  size_t captured = std::min(udp_len, udp.n) - kUdpHeader;
  out.payload.assign(reinterpret_cast<const char*>(udp.p + kUdpHeader), captured);
  return Frame::Udp;
}

Frame ipv4_to_udp(Bytes ip, UdpPacket& out) {
  if (ip.n < 20) return Frame::Other;
  size_t ihl = size_t(ip.p[0] & 15) * 4;
  size_t total = be16(ip.p + 2);
  if (ihl < 20 || ip.n < ihl || total < ihl || ip.p[9] != kProtoUdp) return Frame::Other;
  if ((be16(ip.p + 6) & 0x3fff) != 0) return Frame::Fragment;  // MF set or offset non-zero
  out.src_ip = address_text(AF_INET, ip.p + 12);
  out.dst_ip = address_text(AF_INET, ip.p + 16);
  return take_udp({ip.p + ihl, std::min(ip.n, total) - ihl}, total - ihl, out);
}

Frame ipv6_to_udp(Bytes ip, UdpPacket& out) {
  constexpr size_t kHeader = 40;
  if (ip.n < kHeader) return Frame::Other;
  if (ip.p[6] == kIpv6Fragment) return Frame::Fragment;
  if (ip.p[6] != kProtoUdp) return Frame::Other;  // extension headers: not followed
  size_t payload = be16(ip.p + 4);
  out.src_ip = address_text(AF_INET6, ip.p + 8);
  out.dst_ip = address_text(AF_INET6, ip.p + 24);
  return take_udp({ip.p + kHeader, std::min(ip.n - kHeader, payload)}, payload, out);
}

Frame ip_to_udp(Bytes ip, UdpPacket& out) {
  if (ip.n < 1) return Frame::Other;
  if ((ip.p[0] >> 4) == 4) return ipv4_to_udp(ip, out);
  if ((ip.p[0] >> 4) == 6) return ipv6_to_udp(ip, out);
  return Frame::Other;
}

Frame by_ethertype(uint16_t type, Bytes ip, UdpPacket& out) {
  if (type == kEtherIpv4 || type == kEtherIpv6) return ip_to_udp(ip, out);
  return Frame::Other;
}

bool is_vlan_tag(uint16_t type) { return type == 0x8100 || type == 0x88a8 || type == 0x9100; }

Frame ethernet_to_udp(Bytes f, UdpPacket& out) {
  size_t off = 12;
  if (f.n < off + 2) return Frame::Other;
  uint16_t type = be16(f.p + off);
  while (is_vlan_tag(type)) {
    off += 4;
    if (f.n < off + 2) return Frame::Other;
    type = be16(f.p + off);
  }
  off += 2;
  return by_ethertype(type, {f.p + off, f.n - off}, out);
}

// One record's bytes -> UDP datagram, by the file's link type.
Frame frame_to_udp(uint32_t link, Bytes f, UdpPacket& out) {
  switch (link) {
    case kLinkEthernet: return ethernet_to_udp(f, out);
    case kLinkSll:
      if (f.n < 16) return Frame::Other;
      return by_ethertype(be16(f.p + 14), {f.p + 16, f.n - 16}, out);
    case kLinkSll2:
      if (f.n < 20) return Frame::Other;
      return by_ethertype(be16(f.p), {f.p + 20, f.n - 20}, out);
    case kLinkRaw: case kLinkIpv4: case kLinkIpv6: return ip_to_udp(f, out);
    default: return Frame::Other;
  }
}

bool link_supported(uint32_t link) {
  return link == kLinkEthernet || link == kLinkSll || link == kLinkSll2 || link == kLinkRaw ||
         link == kLinkIpv4 || link == kLinkIpv6;
}

void fail(PcapContents& result, size_t offset, std::string text) {
  result.error = std::move(text) + " at offset " + std::to_string(offset);
  result.error_offset = offset;
}

// Reads the records after the file header; stops at the first bad one.
void read_records(std::string_view bytes, bool swapped, bool nano, PcapContents& result) {
  auto p = reinterpret_cast<const unsigned char*>(bytes.data());
  auto u32 = [swapped](const unsigned char* q) { return swapped ? be32(q) : le32(q); };
  size_t off = kFileHeader;
  while (off < bytes.size()) {
    size_t record = result.frames + 1;
    if (bytes.size() - off < kRecordHeader) {
      fail(result, off, "record " + std::to_string(record) + ": truncated record header (" +
                            std::to_string(bytes.size() - off) + " of 16 bytes)");
      return;
    }
    size_t caplen = u32(p + off + 8);
    if (caplen > kMaxRecord) {
      fail(result, off, "record " + std::to_string(record) + ": implausible length " +
                            std::to_string(caplen) + " (not a pcap record)");
      return;
    }
    if (bytes.size() - off - kRecordHeader < caplen) {
      fail(result, off, "record " + std::to_string(record) + ": truncated (" +
                            std::to_string(bytes.size() - off - kRecordHeader) + " of " +
                            std::to_string(caplen) + " bytes)");
      return;
    }
    ++result.frames;
    UdpPacket packet;
    packet.record = record;
    packet.offset = off;
    packet.ts_sec = u32(p + off);
    packet.ts_nsec = nano ? u32(p + off + 4) : u32(p + off + 4) * 1000;
    Frame kind = frame_to_udp(result.link_type, {p + off + kRecordHeader, caplen}, packet);
    if (kind == Frame::Udp) {
      result.udp.push_back(std::move(packet));
    } else {
      ++result.skipped;
      if (kind == Frame::Fragment) ++result.fragments;
    }
    off += kRecordHeader + caplen;
  }
}

}  // namespace

PcapContents parse_pcap_udp(std::string_view bytes) {
  PcapContents result;
  auto p = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() < kFileHeader) {
    fail(result, 0, "shorter than a pcap file header (" + std::to_string(bytes.size()) +
                        " of 24 bytes)");
    return result;
  }
  uint32_t magic = le32(p);
  bool swapped = magic != kMagicMicro && magic != kMagicNano;
  if (swapped) magic = be32(p);
  if (magic != kMagicMicro && magic != kMagicNano) {
    fail(result, 0, "not a classic pcap file (pcapng is not supported: convert it with "
                    "`editcap -F pcap`)");
    return result;
  }
  uint32_t network = swapped ? be32(p + 20) : le32(p + 20);
  result.link_type = network & 0xffff;  // the upper bits may carry FCS information
  if (!link_supported(result.link_type)) {
    fail(result, 20, "link type " + std::to_string(result.link_type) +
                         " is not supported (Ethernet, Linux cooked SLL/SLL2 or raw IP)");
    return result;
  }
  read_records(bytes, swapped, magic == kMagicNano, result);
  return result;
}

PcapContents read_pcap_udp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    PcapContents result;
    result.error = "cannot open " + path;
    return result;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_pcap_udp(bytes);
}

}  // namespace hbd::tools
