// The one buffer every medium reads datagrams into. The loop runs one
// callback at a time and each hands the bytes on before it returns, so the
// media can share it: one MAXMSG of memory, locked and pre-faulted once,
// instead of one per kind of medium.
#pragma once
#include <cstddef>

#include "wire/codec.h"

namespace hbd::io {

// MAXMSG (wire-protocol §1.6): no message heartbeat sends is longer, and no
// IPv4 datagram (at most 65535 bytes) is longer either.
inline constexpr size_t kReceiveBufferSize = wire::kMaxWireMessage;

// kReceiveBufferSize bytes.
char* receive_buffer();

// Writes every page of the buffer once (see RealtimeCalls::prefault).
void prefault_receive_buffer();

}  // namespace hbd::io
