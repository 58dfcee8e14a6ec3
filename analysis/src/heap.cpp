#include "heapscope/analysis/heap.h"

namespace heapscope::analysis {

Result<Heap> Heap::open(const std::filesystem::path& path, const HeapOptions& options) {
  auto dump = hprof::Dump::open(path, options.open);
  if (!dump) return dump.error();
  return from_dump(std::move(*dump), options.index);
}

Result<Heap> Heap::from_dump(hprof::Dump dump, const hprof::IndexOptions& options) {
  Heap heap;
  heap.dump_ = std::make_unique<hprof::Dump>(std::move(dump));
  auto index = hprof::Index::build(*heap.dump_, options);
  if (!index) return index.error();
  heap.index_ = std::make_unique<hprof::Index>(std::move(*index));
  return heap;
}

}  // namespace heapscope::analysis
