// decode_pcap and decode_serial (tools/decode.h): walk a capture, hand each
// heartbeat payload to describe_message, and sum up.
#include "tools/decode.h"

#include <cstdio>
#include <ctime>
#include <vector>

#include "serial/frame_reader.h"
#include "tools/decode_socat.h"
#include "tools/pcap_reader.h"

namespace hbd::tools {
namespace {

// "2026-11-21 21:24:10.460478" (UTC, so the output does not depend on where it runs).
std::string utc_time(int64_t sec, uint32_t nsec) {
  std::time_t t = static_cast<std::time_t>(sec);
  std::tm when{};
  gmtime_r(&t, &when);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d.%06u", when.tm_year + 1900,
                when.tm_mon + 1, when.tm_mday, when.tm_hour, when.tm_min, when.tm_sec,
                static_cast<unsigned>(nsec / 1000));
  return text;
}

std::string endpoint(const std::string& ip, uint16_t port) {
  bool v6 = ip.find(':') != std::string::npos;
  return (v6 ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}

std::string summary(const DecodeTally& t, const DecodeOptions& opts) {
  std::string line = std::to_string(t.messages) + " messages";
  if (opts.auth)
    line += ", " + std::to_string(t.auth_ok) + " auth ok, " + std::to_string(t.auth_failed) +
            " auth FAILS";
  return line + ", " + std::to_string(t.flagged) + " a 3.0.6 peer would reject\n";
}

bool wanted(const UdpPacket& p, uint16_t port) { return p.src_port == port || p.dst_port == port; }

std::string describe_packet(const UdpPacket& p, const DecodeOptions& opts, DecodeTally& tally) {
  std::string out = "#" + std::to_string(p.record) + " " + utc_time(p.ts_sec, p.ts_nsec) + " " +
                    endpoint(p.src_ip, p.src_port) + " -> " + endpoint(p.dst_ip, p.dst_port) +
                    "\n";
  if (p.cut()) {
    ++tally.messages;
    return out + "  ? only " + std::to_string(p.payload.size()) + " of " +
           std::to_string(p.udp_length) +
           " bytes were captured (tcpdump -s): not decoded; capture with -s 0\n";
  }
  return out + describe_message(p.payload, opts, tally);
}

std::string skipped_note(const PcapContents& pcap, size_t other_ports, uint16_t port) {
  std::string note;
  if (other_ports)
    note += std::to_string(other_ports) + " UDP datagrams not to or from port " +
            std::to_string(port) + " skipped (--port N to decode them)\n";
  if (pcap.skipped > pcap.fragments)
    note += std::to_string(pcap.skipped - pcap.fragments) + " records that are not UDP skipped\n";
  if (pcap.fragments)
    note += std::to_string(pcap.fragments) +
            " IP fragments skipped: messages over the MTU are not reassembled\n";
  return note;
}

// One direction of a serial line: its own reader, as each node has one.
struct SerialSide {
  serial::FrameReader reader;
  std::string name;  // "" for a raw stream, else "node '>'" etc.
};

std::string describe_frames(const std::vector<std::string>& frames, const std::string& where,
                            size_t& number, const DecodeOptions& opts, DecodeTally& tally) {
  std::string out;
  for (const std::string& frame : frames)
    out += "#" + std::to_string(++number) + " serial" + where + "\n" +
           describe_message(frame, opts, tally) + "\n";
  return out;
}

std::string reader_note(const SerialSide& side) {
  const serial::ReaderCounters& c = side.reader.counters();
  std::string label = side.name.empty() ? "" : side.name + ": ";
  std::string note;
  if (c.noise_bytes)
    note += label + std::to_string(c.noise_bytes) + " bytes outside any frame ignored\n";
  if (c.restarted)
    note += label + std::to_string(c.restarted) + " frames cut short by a new >>> (lost)\n";
  if (c.oversized) note += label + std::to_string(c.oversized) + " frames over MAXMSG dropped\n";
  if (side.reader.in_frame()) note += label + "the capture ends inside a frame (not shown)\n";
  return note;
}

}  // namespace

DecodeReport decode_pcap(std::string_view capture, const DecodeOptions& opts) {
  DecodeReport report;
  PcapContents pcap = parse_pcap_udp(capture);
  DecodeTally tally;
  size_t other_ports = 0;
  for (const UdpPacket& p : pcap.udp) {
    if (!wanted(p, opts.port)) {
      ++other_ports;
      continue;
    }
    report.out += describe_packet(p, opts, tally) + "\n";
  }
  report.out += skipped_note(pcap, other_ports, opts.port) + summary(tally, opts);
  if (!pcap.error.empty()) {
    report.err = "not a readable capture: " + pcap.error + "\n";
    report.exit_code = 1;
  }
  return report;
}

DecodeReport decode_serial(std::string_view stream, const DecodeOptions& opts) {
  DecodeReport report;
  DecodeTally tally;
  size_t number = 0;
  std::vector<SerialSide> sides;
  if (looks_like_socat_log(stream)) {
    sides.resize(2);
    sides[0].name = "direction '>'";
    sides[1].name = "direction '<'";
    for (const SocatChunk& chunk : parse_socat_log(stream)) {
      SerialSide& side = sides[chunk.direction == '>' ? 0 : 1];
      std::vector<std::string> frames;
      side.reader.feed(chunk.bytes, frames);
      std::string where = std::string(" ") + chunk.direction + " " + chunk.time;
      report.out += describe_frames(frames, where, number, opts, tally);
    }
  } else {
    sides.resize(1);
    std::vector<std::string> frames;
    sides[0].reader.feed(stream, frames);
    report.out += describe_frames(frames, "", number, opts, tally);
  }
  for (const SerialSide& side : sides) report.out += reader_note(side);
  report.out += summary(tally, opts);
  if (number == 0) {
    report.err = "no heartbeat frame (>>> ... <<<) in " + std::to_string(stream.size()) +
                 " bytes: not a serial capture\n";
    report.exit_code = 1;
  }
  return report;
}

}  // namespace hbd::tools
