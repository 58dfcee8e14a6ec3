// What every subcommand shares: opening a dump with progress, reporting errors, formats.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "heapscope/analysis/heap.h"
#include "heapscope/hprof/memory_budget.h"
#include "progress_bar.h"

namespace heapscope::cli {

enum class Format { kText, kJson, kHtml, kMarkdown };

struct CommonOptions {
  std::string dump_path;
  std::string format = "text";
  bool quiet = false;
  uint32_t heap_dump_number = 0;
  uint32_t threads = 0;
  std::string memory_budget;  // "" = hprof::default_memory_budget(); "0" = no limit; "4G", "800M"
  std::string spill_dir;      // "" = $TMPDIR, else /tmp
  // memory_budget(), read once per run: later reads would count the run's own page cache.
  mutable std::optional<hprof::MemoryBudget> resolved_budget;
  bool cache = false;     // --cache: the on-disk cache in the default place
  std::string cache_dir;  // --cache-dir DIR: the on-disk cache there
};

// Where the on-disk cache goes for these options; empty = no cache.
std::filesystem::path cache_dir(const CommonOptions& options);
// Tells on stderr why a cache file could not be written (it is never an error).
void print_cache_warning(const analysis::CacheUse& use);

// Opens and indexes the dump; on failure prints the error on stderr, sets `exit_code` (and
// `error`, when given, to the message) and returns nullopt.
std::optional<analysis::Heap> open_heap(const CommonOptions& options, ProgressBar& progress,
                                        int& exit_code, std::string* error = nullptr);
// The budget for the tables in bytes (see CommonOptions::memory_budget; 0 = unlimited) and
// where it came from; the same for the whole run.
hprof::MemoryBudget memory_budget(const CommonOptions& options);
// Tells on stderr that tables went to spill files (unless --quiet).
void print_spill_note(const CommonOptions& options, const analysis::SpillUse& use);
using hprof::parse_size;

// Prints the parse warnings and the share of the file used, when anything was skipped.
void print_damage_summary(const hprof::Index& index);

std::string human_bytes(uint64_t bytes);
std::string hex_id(uint64_t id);

}  // namespace heapscope::cli
