// What the machine can give an analysis now: the default memory budget of every face.
#pragma once

#include <cstdint>

namespace heapscope::analysis {

// The smaller of MemAvailable and the room left in the process's memory cgroups
// (hprof::default_memory_budget, which also names the limit that applied); 0 = nothing known.
uint64_t available_memory_bytes();

}  // namespace heapscope::analysis
