// Just enough pcap to get UDP datagrams out of a tcpdump capture, for
// `hbctl decode` and the tests: classic pcap files (either byte order,
// microsecond or nanosecond stamps) with link type Ethernet (1, with any
// number of 802.1Q/802.1ad tags), Linux cooked SLL (113) and SLL2 (276), or
// raw IP (101, 228, 229); IPv4 and IPv6 (no extension headers); UDP that is
// not fragmented. No libpcap. Pure: bytes in, datagrams out.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hbd::tools {

struct UdpPacket {
  std::string src_ip, dst_ip;  // as text: "198.18.1.11", "fe80::1"
  uint16_t src_port = 0, dst_port = 0;
  int64_t ts_sec = 0;          // capture time, Unix seconds
  uint32_t ts_nsec = 0;        // and nanoseconds (microsecond files: us * 1000)
  size_t record = 0;           // 1-based record number in the file
  size_t offset = 0;           // file offset of the record header
  size_t udp_length = 0;       // payload length the UDP header announces
  std::string payload;         // shorter than udp_length if the snaplen cut it
  bool cut() const { return payload.size() < udp_length; }
};

struct PcapContents {
  std::vector<UdpPacket> udp;
  uint32_t link_type = 0;
  size_t frames = 0;     // every record in the file
  size_t skipped = 0;    // records that were not UDP over IP
  size_t fragments = 0;  // of those, IP fragments (not reassembled)
  std::string error;     // set when the file is unreadable or malformed
  size_t error_offset = 0;  // where in the file the problem is
};

PcapContents parse_pcap_udp(std::string_view bytes);
// The same from a file ("cannot open" in error when it cannot be read).
PcapContents read_pcap_udp(const std::string& path);

}  // namespace hbd::tools
