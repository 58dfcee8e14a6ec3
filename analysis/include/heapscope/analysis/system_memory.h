// What the machine can give an analysis now: the default memory budget of every face.
#pragma once

#include <cstdint>

namespace heapscope::analysis {

// MemAvailable of /proc/meminfo in bytes; 0 when it cannot be read (= no limit).
uint64_t available_memory_bytes();

}  // namespace heapscope::analysis
