// The fixed HPROF file header: "JAVA PROFILE 1.0.x\0", identifier size, timestamp.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "heapscope/hprof/error.h"

namespace heapscope::hprof {

enum class Version : uint8_t { k101, k102, k103 };

struct Header {
  Version version = Version::k102;
  std::string version_string;  // "JAVA PROFILE 1.0.2"
  uint32_t id_size = 8;        // 4 or 8
  uint64_t timestamp_ms = 0;   // milliseconds since the epoch, when the dump was written
  uint64_t size = 0;           // bytes the header takes; the first record starts here
};

// Reads the header at the start of `bytes`. Rejects empty input, non-HPROF data (a Git LFS
// pointer, an HTML page), unknown versions and identifier sizes other than 4 or 8.
Result<Header> parse_header(std::span<const uint8_t> bytes);

}  // namespace heapscope::hprof
