#include "heapscope/hprof/flat_array.h"

#include <sys/mman.h>

namespace heapscope::hprof::detail {

void* reserve_memory(size_t bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

void release_memory(void* p, size_t bytes) {
  ::munmap(p, bytes);
}

void discard_memory(void* p, size_t bytes) {
  ::madvise(p, bytes, MADV_DONTNEED);
}

}  // namespace heapscope::hprof::detail
