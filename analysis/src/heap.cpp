#include "heapscope/analysis/heap.h"

namespace heapscope::analysis {

Result<Heap> Heap::open(const std::filesystem::path& path, const HeapOptions& options) {
  auto dump = hprof::Dump::open(path, options.open);
  if (!dump) return dump.error();
  return from_dump(std::move(*dump), options);
}

Result<Heap> Heap::from_dump(hprof::Dump dump, const hprof::IndexOptions& options) {
  HeapOptions ho;
  ho.index = options;
  return from_dump(std::move(dump), ho);
}

Result<Heap> Heap::from_dump(hprof::Dump dump, const HeapOptions& heap_options) {
  const hprof::IndexOptions& options = heap_options.index;
  const std::filesystem::path& cache_dir = heap_options.cache_dir;
  Heap heap;
  heap.dump_ = std::make_unique<hprof::Dump>(std::move(dump));
  // Before anything is built: will the tables of this dump fit the budget?
  const auto need =
      static_cast<uint64_t>(static_cast<double>(heap.dump_->bytes().size()) * kTablesPerDumpByte);
  auto spill = plan_spill(
      {heap_options.memory_budget, heap_options.memory_budget_source, heap_options.spill_dir}, need,
      "analyzing this dump");
  if (!spill) return spill.error();
  hprof::SpillScope scope(spill->get());
  if (auto id = hprof::identify(*heap.dump_)) {
    heap.cache_key_ = hprof::CacheKey{*id, options.heap_dump_number};
  }
  if (!cache_dir.empty() && heap.cache_key_) {
    heap.cache_use_.file = hprof::cache_file_path(cache_dir, *heap.dump_, options.heap_dump_number);
    if (auto file = hprof::CacheReader::open(heap.cache_use_.file, *heap.cache_key_)) {
      if (auto index = hprof::Index::load(*heap.dump_, *file, options)) {
        heap.index_ = std::make_unique<hprof::Index>(std::move(*index));
        heap.cache_use_.loaded = true;
        record_spill(spill->get(), heap.spill_use_);
        return heap;
      }
    }
  }
  auto index = hprof::Index::build(*heap.dump_, options);
  if (!index) return index.error();
  heap.index_ = std::make_unique<hprof::Index>(std::move(*index));
  record_spill(spill->get(), heap.spill_use_);
  if (!heap.cache_use_.file.empty()) {
    hprof::CacheWriter writer(*heap.cache_key_, options.threads);
    heap.index_->save(writer);
    auto written = writer.write(heap.cache_use_.file, options.progress);
    heap.cache_use_.written = written.ok();
    if (!written) heap.cache_use_.warning = written.error().message;
  }
  return heap;
}

}  // namespace heapscope::analysis
