// What every subcommand shares: opening a dump with progress, reporting errors, formats.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "heapscope/analysis/heap.h"
#include "progress_bar.h"

namespace heapscope::cli {

enum class Format { kText, kJson, kHtml, kMarkdown };

struct CommonOptions {
  std::string dump_path;
  std::string format = "text";
  bool quiet = false;
  uint32_t heap_dump_number = 0;
  uint32_t threads = 0;
  std::string memory_budget;  // "" = the memory available now; "0" = no limit; "4G", "800M"
  bool cache = false;         // --cache: the on-disk cache in the default place
  std::string cache_dir;      // --cache-dir DIR: the on-disk cache there
};

// Where the on-disk cache goes for these options; empty = no cache.
std::filesystem::path cache_dir(const CommonOptions& options);
// Tells on stderr why a cache file could not be written (it is never an error).
void print_cache_warning(const analysis::CacheUse& use);

// Opens and indexes the dump; on failure prints the error on stderr, sets `exit_code` (and
// `error`, when given, to the message) and returns nullopt.
std::optional<analysis::Heap> open_heap(const CommonOptions& options, ProgressBar& progress,
                                        int& exit_code, std::string* error = nullptr);
// The budget for the engine in bytes (see CommonOptions::memory_budget); 0 = unlimited.
uint64_t memory_budget_bytes(const CommonOptions& options);
// "800M", "4G", "1.5GiB", "1024" -> bytes; nullopt when it is not a size.
std::optional<uint64_t> parse_size(const std::string& text);

// Prints the parse warnings and the share of the file used, when anything was skipped.
void print_damage_summary(const hprof::Index& index);

std::string human_bytes(uint64_t bytes);
std::string hex_id(uint64_t id);

}  // namespace heapscope::cli
