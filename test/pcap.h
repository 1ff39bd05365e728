// Just enough pcap to get UDP payloads out of the test captures: classic
// pcap files (either byte order, us or ns stamps), Ethernet (optionally one
// 802.1Q tag), IPv4, unfragmented UDP. No libpcap.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace hbd::test {

struct UdpPacket {
  uint32_t src_ip = 0, dst_ip = 0;  // host byte order
  uint16_t src_port = 0, dst_port = 0;
  std::string payload;
};

struct PcapContents {
  std::vector<UdpPacket> udp;
  size_t frames = 0;   // every record in the file
  size_t skipped = 0;  // records that were not whole IPv4/UDP datagrams
  std::string error;   // set when the file itself is unreadable or malformed
};

PcapContents read_pcap_udp(const std::string& path);
// The same from bytes already in memory.
PcapContents parse_pcap_udp(const std::string& bytes);

}  // namespace hbd::test
