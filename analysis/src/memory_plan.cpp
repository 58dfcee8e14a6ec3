#include "heapscope/analysis/memory_plan.h"

#include "heapscope/hprof/memory_budget.h"

namespace heapscope::analysis {

hprof::Result<std::unique_ptr<hprof::SpillStorage>> plan_spill(const MemoryOptions& options,
                                                               uint64_t need,
                                                               const std::string& what) {
  if (options.budget == 0 || need <= options.budget) return std::unique_ptr<hprof::SpillStorage>();
  auto storage = std::make_unique<hprof::SpillStorage>(options.spill_dir);
  const auto free = storage->free_disk();
  if (!free || *free < need) {
    const std::string source =
        options.budget_source.empty() ? std::string() : " (" + options.budget_source + ")";
    const std::string disk = free ? "has " + hprof::format_bytes(*free) + " free"
                                  : "cannot be used (no such directory?)";
    return hprof::Error{
        hprof::ErrorCode::kMemoryBudget, 0, -1,
        what + " needs about " + hprof::format_bytes(need) + ", more than the memory budget of " +
            hprof::format_bytes(options.budget) + source + ", and the spill directory " +
            storage->dir().string() + " " + disk + ": it needs " + hprof::format_bytes(need) +
            " of disk there (--spill-dir) or " + hprof::format_bytes(need) +
            " of memory (--memory-budget)"};
  }
  return storage;
}

void record_spill(const hprof::SpillStorage* storage, SpillUse& use) {
  if (!storage) return;
  use.dir = storage->dir();
  use.bytes += storage->bytes_mapped();
  if (storage->in_memory() && use.warning.empty()) {
    use.warning = "the spill directory " + use.dir.string() +
                  " is in memory (tmpfs): spilling there does not save memory; use --spill-dir "
                  "on a disk";
  }
}

}  // namespace heapscope::analysis
