#include "heapscope/hprof/flat_array.h"

#include <sys/mman.h>

#include "heapscope/hprof/spill.h"

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

void* reserve_table(size_t bytes, bool& file_backed) {
  file_backed = false;
  SpillStorage* spill = SpillScope::current();
  if (spill && bytes >= SpillScope::kMinSpillBytes) {
    // No fallback to anonymous memory: that is what would get the process OOM-killed.
    void* p = spill->map(bytes);  // throws SpillError
    file_backed = true;
    return p;
  }
  return reserve_memory(bytes);
}

void discard_table(void* p, size_t bytes, bool file_backed) {
  // MADV_REMOVE punches the pages out of the spill file (disk blocks and page cache alike).
  if (!file_backed || ::madvise(p, bytes, MADV_REMOVE) != 0) discard_memory(p, bytes);
}

void set_aside_table(const void* p, size_t bytes, bool file_backed) {
#ifdef MADV_COLD
  if (file_backed && p && bytes) ::madvise(const_cast<void*>(p), bytes, MADV_COLD);
#else
  (void)p, (void)bytes, (void)file_backed;
#endif
}

}  // namespace heapscope::hprof::detail
