#include "common.h"

#include <cstdio>
#include <cstdlib>

#include "commands.h"
#include "heapscope/analysis/system_memory.h"
#include "heapscope/analysis/views.h"

namespace heapscope::cli {

std::optional<analysis::Heap> open_heap(const CommonOptions& options, ProgressBar& progress,
                                        int& exit_code, std::string* error) {
  analysis::HeapOptions ho;
  ho.open.progress = &progress;
  ho.index.progress = &progress;
  ho.index.heap_dump_number = options.heap_dump_number;
  ho.index.threads = options.threads;
  ho.open.threads = options.threads;
  ho.cache_dir = cache_dir(options);
  const auto budget = memory_budget(options);
  ho.memory_budget = budget.bytes;
  ho.memory_budget_source = budget.source;
  ho.spill_dir = options.spill_dir;
  auto heap = analysis::Heap::open(options.dump_path, ho);
  progress.finish();
  if (!heap) {
    std::fprintf(stderr, "heapscope: %s: %s\n", options.dump_path.c_str(),
                 heap.error().describe().c_str());
    exit_code = exit_code_for(heap.error());
    if (error) *error = heap.error().describe();
    return std::nullopt;
  }
  print_cache_warning(heap->cache_use());
  print_spill_note(options, heap->spill_use());
  print_damage_summary(heap->index());
  return std::move(*heap);
}

std::filesystem::path cache_dir(const CommonOptions& options) {
  if (!options.cache_dir.empty()) return options.cache_dir;
  if (!options.cache) return {};
  auto dir = hprof::default_cache_dir();
  if (dir.empty()) {
    std::fprintf(stderr,
                 "heapscope: warning: --cache: neither XDG_CACHE_HOME nor HOME is set; "
                 "not caching (use --cache-dir DIR)\n");
  }
  return dir;
}

void print_cache_warning(const analysis::CacheUse& use) {
  if (use.warning.empty()) return;
  std::fprintf(stderr, "heapscope: warning: cache file not written: %s\n", use.warning.c_str());
}

void print_damage_summary(const hprof::Index& index) {
  const auto& s = index.stats();
  if (!s.truncated && s.skipped_bytes == 0 && s.unknown_sub_records == 0) {
    for (const auto& w : s.warnings) std::fprintf(stderr, "heapscope: note: %s\n", w.c_str());
    return;
  }
  const double used =
      s.bytes_total ? 100.0 * static_cast<double>(s.bytes_used) / static_cast<double>(s.bytes_total)
                    : 0.0;
  std::fprintf(stderr,
               "heapscope: warning: the dump is damaged; analyzed what is there "
               "(%.1f%% of the file used, %llu bytes skipped)\n",
               used, static_cast<unsigned long long>(s.bytes_total - s.bytes_used));
  for (const auto& w : s.warnings) std::fprintf(stderr, "heapscope:   %s\n", w.c_str());
}

int exit_code_for(const hprof::Error& error) {
  switch (error.code) {
    case hprof::ErrorCode::kTooLarge:
    case hprof::ErrorCode::kMemoryBudget:
      return kExitMemoryBudget;
    case hprof::ErrorCode::kCancelled:
      return kExitInternal;
    default:
      return kExitBadInput;
  }
}

hprof::MemoryBudget memory_budget(const CommonOptions& options) {
  if (!options.resolved_budget) {
    options.resolved_budget =
        options.memory_budget.empty()
            ? hprof::default_memory_budget()
            : hprof::MemoryBudget{parse_size(options.memory_budget).value_or(0), "--memory-budget"};
  }
  return *options.resolved_budget;
}

void print_spill_note(const CommonOptions& options, const analysis::SpillUse& use) {
  if (!use.warning.empty()) std::fprintf(stderr, "heapscope: warning: %s\n", use.warning.c_str());
  if (use.dir.empty() || options.quiet) return;
  const auto budget = memory_budget(options);
  std::fprintf(stderr,
               "heapscope: note: over the memory budget of %s (%s): tables in spill files in %s "
               "(%s reserved)\n",
               hprof::format_bytes(budget.bytes).c_str(), budget.source.c_str(), use.dir.c_str(),
               hprof::format_bytes(use.bytes).c_str());
}

std::optional<analysis::Engine> build_engine(
    const analysis::Heap& heap, const CommonOptions& options, ProgressBar& progress,
    analysis::EdgeFilter filter, int& exit_code,
    std::function<void(const analysis::Engine&)> alongside_dominators, std::string* error,
    bool keep_graph, bool class_retained) {
  analysis::EngineOptions eo;
  eo.filter = filter;
  eo.threads = options.threads;
  eo.progress = &progress;
  const auto budget = memory_budget(options);
  eo.memory_budget = budget.bytes;
  eo.memory_budget_source = budget.source;
  eo.spill_dir = options.spill_dir;
  eo.alongside_dominators = std::move(alongside_dominators);
  eo.keep_graph = keep_graph;
  eo.class_retained = class_retained;
  // The same cache file as the index (open_heap resolved the directory).
  eo.cache_dir = heap.cache_use().file.parent_path();
  auto engine = analysis::Engine::build(heap, eo);
  progress.finish();
  if (!engine) {
    std::fprintf(stderr, "heapscope: %s: %s\n", options.dump_path.c_str(),
                 engine.error().describe().c_str());
    exit_code = exit_code_for(engine.error());
    if (error) *error = engine.error().describe();
    return std::nullopt;
  }
  print_cache_warning(engine->cache_use());
  print_spill_note(options, engine->spill_use());
  return std::move(*engine);
}

std::optional<hprof::ObjectIndex> parse_object(const hprof::Index& index, const std::string& text) {
  const auto id = analysis::parse_object_id(text);
  if (!id) {
    std::fprintf(stderr, "heapscope: \"%s\" is not an object id (use hex like 0x7ffd023d0)\n",
                 text.c_str());
    return std::nullopt;
  }
  const auto o = index.find(*id);
  if (o == hprof::kNoObject) {
    std::fprintf(stderr, "heapscope: the dump has no object with id %s\n", hex_id(*id).c_str());
    return std::nullopt;
  }
  return o;
}

std::string human_bytes(uint64_t b) {
  return hprof::format_bytes(b);
}

std::string hex_id(uint64_t id) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(id));
  return buf;
}

}  // namespace heapscope::cli
