#include "heapscope/analysis/report_inputs.h"

#include "heapscope/analysis/analyzers/cleaner.h"

namespace heapscope::analysis {

std::function<void(const Engine&)> gather_report_inputs(const Heap& heap, ReportInputs& inputs,
                                                        const std::filesystem::path& cache_dir,
                                                        const hprof::Progress* progress) {
  return [&heap, &inputs, cache_dir, progress](const Engine& e) {
    inputs.machinery = machinery_with_cache(heap, e, cache_dir, progress);
    inputs.histogram = class_histogram(e.index(), HistogramSort::kShallow);
    inputs.cleaners = analyze_cleaners(e, {}, progress);
  };
}

Report finish_report(const Heap& heap, const Engine& engine, ReportInputs& inputs,
                     ReportOptions options) {
  add_retained(inputs.histogram, engine);
  sort_histogram(inputs.histogram, engine.index(), HistogramSort::kRetained);
  options.machinery = inputs.machinery ? &*inputs.machinery : nullptr;
  options.histogram = &inputs.histogram;
  options.cleaners = inputs.cleaners ? &*inputs.cleaners : nullptr;
  return build_report(heap, engine, options);
}

}  // namespace heapscope::analysis
