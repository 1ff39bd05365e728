// The one buffer every medium reads datagrams into. The loop runs one
// callback at a time and each hands the bytes on before it returns, so the
// media can share it: one buffer, locked and pre-faulted once, instead of
// one per kind of medium.
#pragma once
#include <cstddef>


namespace hbd::io {

// Only datagram media (UDP, ICMP) read into it, and no IPv4 datagram is
// longer than 65535 bytes, headers included: a larger buffer could never be
// filled, yet MAXMSG (256 KiB, wire-protocol §1.6) of it would be pre-faulted
// and locked for nothing. Longer messages cannot travel as one datagram
// anyway; the codec still bounds what it accepts by MAXMSG.
inline constexpr size_t kMaxIpv4Datagram = 65535;
inline constexpr size_t kReceiveBufferSize = kMaxIpv4Datagram + 1;

// kReceiveBufferSize bytes.
char* receive_buffer();

// Writes every page of the buffer once (see RealtimeCalls::prefault).
void prefault_receive_buffer();

}  // namespace hbd::io
