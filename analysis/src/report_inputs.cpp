#include "heapscope/analysis/report_inputs.h"

namespace heapscope::analysis {

std::function<void(const Engine&)> gather_report_inputs(const Heap& heap, ReportInputs& inputs,
                                                        const std::filesystem::path& cache_dir,
                                                        const hprof::Progress* progress) {
  return [&heap, &inputs, cache_dir, progress](const Engine& e) {
    inputs.machinery = machinery_with_cache(heap, e, cache_dir, progress);
    inputs.histogram = class_histogram(e.index(), HistogramSort::kShallow);
  };
}

Report finish_report(const Heap& heap, const Engine& engine, ReportInputs& inputs,
                     ReportOptions options) {
  add_retained(inputs.histogram, engine);
  sort_histogram(inputs.histogram, engine.index(), HistogramSort::kRetained);
  options.machinery = inputs.machinery ? &*inputs.machinery : nullptr;
  options.histogram = &inputs.histogram;
  return build_report(heap, engine, options);
}

}  // namespace heapscope::analysis
