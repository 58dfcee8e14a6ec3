// Runs the analyzers over an engine and assembles the Report (summary, finalizer, timers,
// findings, top dominators, histogram). Severity rules: docs/notes/findings.md.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/histogram.h"
#include "heapscope/analysis/report.h"

namespace heapscope::analysis {

// The finalizer and timer analyses. They need the object graph only, not the dominator tree:
// `analyze` runs them with EngineOptions::alongside_dominators, on the core the (serial)
// dominator computation leaves idle. `threads`: 1, or 2 to split the work.
struct MachineryReport {
  FinalizerReport finalizer;
  std::vector<TimerReport> timers;
};
// `progress` (may be null) is polled for cancellation; a cancelled result is incomplete.
MachineryReport analyze_machinery(const Engine& engine, uint64_t dump_time_ms, unsigned threads = 2,
                                  const hprof::Progress* progress = nullptr);

// The analyzers' results kept beside the dump's cache file (HeapOptions::cache_dir, under the
// same key), so that a second open skips them too. Nothing when absent, stale or damaged.
std::optional<MachineryReport> load_cached_machinery(const Heap& heap,
                                                     const std::filesystem::path& cache_dir);
// False when there is no cache directory or key, or the file cannot be written (not an error).
bool save_cached_machinery(const Heap& heap, const std::filesystem::path& cache_dir,
                           const MachineryReport& machinery);
// For EngineOptions::alongside_dominators: the cached results when there are some, else
// analyze_machinery (one thread beside the tree, two after a cache load) and, unless cancelled,
// written to the cache. An empty `cache_dir` only computes.
MachineryReport machinery_with_cache(const Heap& heap, const Engine& engine,
                                     const std::filesystem::path& cache_dir,
                                     const hprof::Progress* progress = nullptr);

struct ReportOptions {
  size_t top = 20;        // dominators and histogram rows
  std::string dump_path;  // as the user named it
  std::string tool_version = "0.1.0";
  // The full class histogram with retained bytes, biggest retained first, when the caller has
  // computed it already (the GUI keeps every row); null: build_report computes it.
  const std::vector<HistogramRow>* histogram = nullptr;
  // The finalizer and timer analyses when the caller ran them already (alongside the dominator
  // tree); null: build_report runs them.
  const MachineryReport* machinery = nullptr;
  // The cleaner analysis when the caller ran it already (it follows references: run beside the
  // tree, it lets a face give the graph back before the report); null: build_report runs it.
  const std::vector<CleanerReport>* cleaners = nullptr;
};

Report build_report(const Heap& heap, const Engine& engine, const ReportOptions& options);

}  // namespace heapscope::analysis
