// Where the tables of an analysis live: in memory while they fit the budget, in spill files
// (hprof/spill.h) when they do not. Heap::open decides for the index, Engine::build for the
// graph, dominator tree and retained sizes (docs/notes/memory-budget.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "heapscope/hprof/error.h"
#include "heapscope/hprof/spill.h"

namespace heapscope::analysis {

struct MemoryOptions {
  // Bytes the tables may take in memory; 0 = no limit. hprof::default_memory_budget() is what
  // the CLI and the GUI use unless told otherwise.
  uint64_t budget = 0;
  // Says where the budget came from, for messages ("cgroup memory.max 1.0 GiB, 0.2 GiB in use",
  // "--memory-budget"); may be empty.
  std::string budget_source;
  // Where spill files go; empty = $TMPDIR, else /tmp.
  std::filesystem::path spill_dir;
};

// What spilling did for one step (Heap::open, Engine::build).
struct SpillUse {
  std::filesystem::path dir;  // empty when the step kept its tables in memory
  uint64_t bytes = 0;         // capacity mapped from spill files
  std::string warning;        // e.g. the spill directory is in memory (tmpfs)
};

// Whole-run peak of the tables per byte of dump, measured on realistic dumps (the index alone
// is about a third of it); decides whether the index spills before it is built.
inline constexpr double kTablesPerDumpByte = 0.75;

// A spill storage when `need` bytes of tables (for `what`: "the index", "the dominator tree")
// do not fit in the budget, nullptr when they do. Fails with kMemoryBudget when the spill
// directory cannot hold them either, saying how much memory and disk it would take.
hprof::Result<std::unique_ptr<hprof::SpillStorage>> plan_spill(const MemoryOptions& options,
                                                               uint64_t need,
                                                               const std::string& what);

// Fills `use` from a storage plan_spill made (nothing when it is nullptr).
void record_spill(const hprof::SpillStorage* storage, SpillUse& use);

}  // namespace heapscope::analysis
