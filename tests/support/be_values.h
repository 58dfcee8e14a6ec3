// Big-endian reads for checking the bytes the index hands out.
#pragma once

#include <cstdint>

namespace heapscope::testing {

inline uint32_t be_u32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}
inline uint64_t be_u64(const uint8_t* p) {
  return uint64_t{be_u32(p)} << 32 | be_u32(p + 4);
}
inline uint64_t be_id(const uint8_t* p, uint32_t id_size) {
  return id_size == 8 ? be_u64(p) : be_u32(p);
}

}  // namespace heapscope::testing
