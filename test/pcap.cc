#include "test/pcap.h"

#include <fstream>
#include <iterator>

namespace hbd::test {
namespace {

constexpr uint32_t kMagicMicro = 0xa1b2c3d4;
constexpr uint32_t kMagicNano = 0xa1b23c4d;
constexpr uint32_t kLinkEthernet = 1;
constexpr size_t kFileHeader = 24, kRecordHeader = 16;

uint16_t be16(const unsigned char* p) { return uint16_t(p[0] << 8 | p[1]); }
uint32_t be32(const unsigned char* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}
uint32_t le32(const unsigned char* p) {
  return uint32_t(p[3]) << 24 | uint32_t(p[2]) << 16 | uint32_t(p[1]) << 8 | p[0];
}

// One Ethernet frame → UDP datagram, or false if it is anything else.
bool frame_to_udp(const unsigned char* p, size_t n, UdpPacket& out) {
  size_t off = 12;
  if (n < off + 2) return false;
  uint16_t ethertype = be16(p + off);
  off += 2;
  if (ethertype == 0x8100) {  // one VLAN tag
    if (n < off + 4) return false;
    ethertype = be16(p + off + 2);
    off += 4;
  }
  if (ethertype != 0x0800 || n < off + 20) return false;
  const unsigned char* ip = p + off;
  size_t ihl = size_t(ip[0] & 15) * 4;
  size_t total = be16(ip + 2);
  bool fragment = (be16(ip + 6) & 0x3fff) != 0;  // MF set or offset non-zero
  if ((ip[0] >> 4) != 4 || ihl < 20 || ip[9] != 17 || fragment) return false;
  if (total < ihl + 8 || n < off + total) return false;
  const unsigned char* udp = ip + ihl;
  size_t udp_len = be16(udp + 4);
  if (udp_len < 8 || udp_len > total - ihl) return false;
  out.src_ip = be32(ip + 12);
  out.dst_ip = be32(ip + 16);
  out.src_port = be16(udp);
  out.dst_port = be16(udp + 2);
  out.payload.assign(reinterpret_cast<const char*>(udp + 8), udp_len - 8);
  return true;
}

}  // namespace

PcapContents parse_pcap_udp(const std::string& bytes) {
  PcapContents result;
  auto p = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() < kFileHeader) {
    result.error = "shorter than a pcap header";
    return result;
  }
  uint32_t magic = le32(p);
  bool swapped = magic != kMagicMicro && magic != kMagicNano;
  if (swapped && be32(p) != kMagicMicro && be32(p) != kMagicNano) {
    result.error = "not a pcap file (pcapng is not supported)";
    return result;
  }
  auto u32 = [swapped](const unsigned char* q) { return swapped ? be32(q) : le32(q); };
  if (u32(p + 20) != kLinkEthernet) {
    result.error = "link type is not Ethernet";
    return result;
  }
  size_t off = kFileHeader;
  while (off < bytes.size()) {
    if (bytes.size() - off < kRecordHeader) {
      result.error = "truncated record header";
      break;
    }
    size_t caplen = u32(p + off + 8);
    off += kRecordHeader;
    if (bytes.size() - off < caplen) {
      result.error = "truncated record";
      break;
    }
    ++result.frames;
    UdpPacket packet;
    if (frame_to_udp(p + off, caplen, packet))
      result.udp.push_back(std::move(packet));
    else
      ++result.skipped;
    off += caplen;
  }
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

}  // namespace hbd::test
