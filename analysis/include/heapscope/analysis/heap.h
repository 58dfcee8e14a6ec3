// The indexed snapshot an analysis works on: the opened dump and its index, owned together.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "heapscope/analysis/memory_plan.h"
#include "heapscope/hprof/cache_file.h"
#include "heapscope/hprof/dump.h"
#include "heapscope/hprof/index.h"

namespace heapscope::analysis {

using hprof::ClassIndex;
using hprof::ObjectIndex;
using hprof::Result;

struct HeapOptions {
  hprof::OpenOptions open;
  hprof::IndexOptions index;
  // Where the on-disk cache lives (hprof/cache_file.h; hprof::default_cache_dir() is the usual
  // place); empty = no cache. A valid cache file of this dump replaces indexing; otherwise the
  // index is built and the file written. The cache never makes an open fail.
  std::filesystem::path cache_dir;
  // The index goes to spill files (memory_plan.h) when the dump's tables are expected not to fit
  // in `memory_budget` bytes (0 = no limit); `memory_budget_source` names it in messages.
  uint64_t memory_budget = 0;
  std::string memory_budget_source;
  std::filesystem::path spill_dir;  // empty = $TMPDIR, else /tmp
};

// What the on-disk cache did for one step (Heap::open, Engine::build).
struct CacheUse {
  std::filesystem::path file;  // empty when caching was off or the dump has no file
  bool loaded = false;         // the result was read from the file
  bool written = false;        // the file was (re)written
  std::string warning;         // why it could not be written; "" otherwise
};

class Heap {
 public:
  // Opens (decompressing if needed) and indexes the dump at `path`.
  static Result<Heap> open(const std::filesystem::path& path, const HeapOptions& options = {});
  // Indexes a dump the caller has opened; the Heap takes it over.
  static Result<Heap> from_dump(hprof::Dump dump, const hprof::IndexOptions& options = {});

  const hprof::Dump& dump() const { return *dump_; }
  const hprof::Index& index() const { return *index_; }

  // The cache key of this dump and heap dump number; nullopt when the dump has no file.
  const std::optional<hprof::CacheKey>& cache_key() const { return cache_key_; }
  const CacheUse& cache_use() const { return cache_use_; }
  // Whether the index went to spill files.
  const SpillUse& spill_use() const { return spill_use_; }

 private:
  Heap() = default;
  static Result<Heap> from_dump(hprof::Dump dump, const HeapOptions& options);
  std::unique_ptr<hprof::Dump> dump_;  // stable address: the index points at it
  std::unique_ptr<hprof::Index> index_;
  std::optional<hprof::CacheKey> cache_key_;
  CacheUse cache_use_;
  SpillUse spill_use_;
};

}  // namespace heapscope::analysis
