#include "io/receive_buffer.h"

namespace hbd::io {

namespace {
// Zero-initialised static storage: no page is resident until first written.
char buffer[kReceiveBufferSize];
}  // namespace

char* receive_buffer() { return buffer; }

void prefault_receive_buffer() {
  volatile char* bytes = buffer;
  for (size_t i = 0; i < kReceiveBufferSize; i += 1024) bytes[i] = 0;
}

}  // namespace hbd::io
