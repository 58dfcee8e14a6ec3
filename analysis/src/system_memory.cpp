#include "heapscope/analysis/system_memory.h"

#include "heapscope/hprof/memory_budget.h"

namespace heapscope::analysis {

uint64_t available_memory_bytes() {
  return hprof::default_memory_budget().bytes;
}

}  // namespace heapscope::analysis
