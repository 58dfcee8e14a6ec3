// Record, sub-record and basic-type codes of the HPROF format (see docs/hprof-format notes).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace heapscope::hprof {

enum class Tag : uint8_t {
  kUtf8 = 0x01,
  kLoadClass = 0x02,
  kUnloadClass = 0x03,
  kFrame = 0x04,
  kTrace = 0x05,
  kAllocSites = 0x06,
  kHeapSummary = 0x07,
  kStartThread = 0x0A,
  kEndThread = 0x0B,
  kHeapDump = 0x0C,
  kCpuSamples = 0x0D,
  kControlSettings = 0x0E,
  kHeapDumpSegment = 0x1C,
  kHeapDumpEnd = 0x2C,
};

enum class SubTag : uint8_t {
  kRootUnknown = 0xFF,
  kRootJniGlobal = 0x01,
  kRootJniLocal = 0x02,
  kRootJavaFrame = 0x03,
  kRootNativeStack = 0x04,
  kRootStickyClass = 0x05,
  kRootThreadBlock = 0x06,
  kRootMonitorUsed = 0x07,
  kRootThreadObj = 0x08,
  kClassDump = 0x20,
  kInstanceDump = 0x21,
  kObjArrayDump = 0x22,
  kPrimArrayDump = 0x23,
  // Android (Dalvik / ART)
  kRootInternedString = 0x89,
  kRootFinalizing = 0x8A,
  kRootDebugger = 0x8B,
  kRootReferenceCleanup = 0x8C,
  kRootVmInternal = 0x8D,
  kRootJniMonitor = 0x8E,
  kUnreachable = 0x90,
  kPrimArrayNoData = 0xC3,
  kHeapDumpInfo = 0xFE,
};

enum class BasicType : uint8_t {
  kObject = 2,
  kBoolean = 4,
  kChar = 5,
  kFloat = 6,
  kDouble = 7,
  kByte = 8,
  kShort = 9,
  kInt = 10,
  kLong = 11,
};

// Name of a top-level tag ("HEAP_DUMP_SEGMENT"), or nullopt for an unknown tag.
std::optional<std::string_view> tag_name(uint8_t tag);
// Name of a sub-record tag ("INSTANCE_DUMP", "ROOT_JAVA_FRAME"), or nullopt when unknown.
std::optional<std::string_view> sub_tag_name(uint8_t sub_tag);
// True for the sub-tags that declare a GC root.
bool is_root_sub_tag(uint8_t sub_tag);
// Size in bytes of a value of the type; 0 for an invalid code. Objects take `id_size`.
inline uint32_t basic_type_size(uint8_t type, uint32_t id_size) {
  switch (type) {
    case 2:
      return id_size;
    case 4:
    case 8:
      return 1;
    case 5:
    case 9:
      return 2;
    case 6:
    case 10:
      return 4;
    case 7:
    case 11:
      return 8;
    default:
      return 0;
  }
}
// Java name of a primitive type ("int"), or "" for object / invalid.
std::string_view basic_type_name(uint8_t type);

}  // namespace heapscope::hprof
