// The test captures' pcap reader is the one `hbctl decode` uses
// (tools/pcap_reader.h); the tests and benchmarks keep these names.
#pragma once
#include "tools/pcap_reader.h"

namespace hbd::test {

using UdpPacket = tools::UdpPacket;
using PcapContents = tools::PcapContents;
using tools::parse_pcap_udp;
using tools::read_pcap_udp;

}  // namespace hbd::test
