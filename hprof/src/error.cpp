#include "heapscope/hprof/error.h"

#include "heapscope/hprof/progress.h"
#include "heapscope/hprof/tags.h"

namespace heapscope::hprof {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kIo:
      return "io";
    case ErrorCode::kEmpty:
      return "empty";
    case ErrorCode::kNotHprof:
      return "not-hprof";
    case ErrorCode::kUnsupportedVersion:
      return "unsupported-version";
    case ErrorCode::kBadIdSize:
      return "bad-id-size";
    case ErrorCode::kTruncated:
      return "truncated";
    case ErrorCode::kCorrupt:
      return "corrupt";
    case ErrorCode::kNoHeapDump:
      return "no-heap-dump";
    case ErrorCode::kCompression:
      return "compression";
    case ErrorCode::kCancelled:
      return "cancelled";
    case ErrorCode::kTooLarge:
      return "too-large";
    case ErrorCode::kMemoryBudget:
      return "memory-budget";
  }
  return "unknown";
}

std::string Error::describe() const {
  std::string s = to_string(code);
  if (code != ErrorCode::kIo && code != ErrorCode::kCancelled && code != ErrorCode::kMemoryBudget) {
    s += " at byte " + std::to_string(byte_offset);
    if (record_tag >= 0) {
      auto name = tag_name(static_cast<uint8_t>(record_tag));
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", record_tag);
      s += " in ";
      s += name ? std::string(*name) + " (" + hex + ")" : std::string("record ") + hex;
    }
  }
  s += ": " + message;
  return s;
}

NullProgress& null_progress() {
  static NullProgress p;
  return p;
}

}  // namespace heapscope::hprof
