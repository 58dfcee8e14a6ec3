// Big-endian loads from a dump's bytes (HPROF is big-endian): ids, field values, array
// elements. Callers check bounds first.
#pragma once

#include <cstdint>
#include <cstring>

namespace heapscope::hprof {

inline uint16_t load_u16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return __builtin_bswap16(v);
}
inline uint32_t load_u32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return __builtin_bswap32(v);
}
inline uint64_t load_u64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}
// An object id of the dump's id size (4 or 8).
inline uint64_t load_id(const uint8_t* p, uint32_t id_size) {
  return id_size == 8 ? load_u64(p) : load_u32(p);
}
// A value of `size` bytes (1, 2, 4 or 8), zero-extended.
inline uint64_t load_value(const uint8_t* p, uint32_t size) {
  switch (size) {
    case 1:
      return *p;
    case 2:
      return load_u16(p);
    case 4:
      return load_u32(p);
    default:
      return load_u64(p);
  }
}

}  // namespace heapscope::hprof
