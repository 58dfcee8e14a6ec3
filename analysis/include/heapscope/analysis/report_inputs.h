// The steps of `analyze` that every face runs alike: the finalizer, timer and cleaner analyses
// and the shallow class histogram computed beside the dominator tree (EngineOptions::
// alongside_dominators), then the report from them once the tree and retained sizes are there.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "heapscope/analysis/report_builder.h"

namespace heapscope::analysis {

struct ReportInputs {
  std::optional<MachineryReport> machinery;
  std::optional<std::vector<CleanerReport>> cleaners;
  std::vector<HistogramRow> histogram;  // shallow; retained bytes are added by finish_report
};

// For EngineOptions::alongside_dominators: fills `inputs` (machinery_with_cache with
// `cache_dir`; `progress` may be null). `heap` and `inputs` must outlive the engine's build.
std::function<void(const Engine&)> gather_report_inputs(const Heap& heap, ReportInputs& inputs,
                                                        const std::filesystem::path& cache_dir,
                                                        const hprof::Progress* progress = nullptr);

// The report of an engine built with gather_report_inputs (inputs.histogram gets its retained
// bytes and order). `options.machinery`, `options.cleaners` and `options.histogram` are set
// from `inputs`. Everything in it that follows references ran beside the tree, so a face that
// needs nothing more of the graph may give it back first (Engine::release_graph).
Report finish_report(const Heap& heap, const Engine& engine, ReportInputs& inputs,
                     ReportOptions options);

}  // namespace heapscope::analysis
