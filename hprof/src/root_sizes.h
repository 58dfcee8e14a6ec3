// Body sizes of the GC-root sub-records of a heap dump segment (private to the hprof library),
// shared by the index scan and redaction. hprof-format.md §A.4, §A.6.
#pragma once

#include <cstdint>

namespace heapscope::hprof::detail {

// Size of the body of a root sub-record with tag `t` for identifier size `I`, or 0 when `t` is
// not a root.
inline uint64_t root_body_size(uint8_t t, uint32_t I) {
  switch (t) {
    case 0xFF:  // ROOT_UNKNOWN
    case 0x05:  // ROOT_STICKY_CLASS
    case 0x07:  // ROOT_MONITOR_USED
    case 0x89:  // ROOT_INTERNED_STRING (Android)
    case 0x8A:  // ROOT_FINALIZING
    case 0x8B:  // ROOT_DEBUGGER
    case 0x8C:  // ROOT_REFERENCE_CLEANUP
    case 0x8D:  // ROOT_VM_INTERNAL
    case 0x90:  // ROOT_UNREACHABLE
      return I;
    case 0x01:  // ROOT_JNI_GLOBAL: object, JNI global ref
      return 2ull * I;
    case 0x02:  // ROOT_JNI_LOCAL
    case 0x03:  // ROOT_JAVA_FRAME
    case 0x08:  // ROOT_THREAD_OBJ
    case 0x8E:  // ROOT_JNI_MONITOR
      return I + 8ull;
    case 0x04:  // ROOT_NATIVE_STACK
    case 0x06:  // ROOT_THREAD_BLOCK
      return I + 4ull;
    default:
      return 0;
  }
}

}  // namespace heapscope::hprof::detail
