// `heapscope histogram DUMP`: instances and shallow bytes per class.
#include <cstdio>
#include <iostream>
#include <optional>

#include "commands.h"
#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/render_views.h"
#include "heapscope/analysis/views.h"

namespace heapscope::cli {

int run_histogram(const CommonOptions& options, const HistogramOptions& h) {
  ProgressBar progress(options.quiet);
  int rc = kExitOk;
  auto heap = open_heap(options, progress, rc);
  if (!heap) return rc;
  const bool retained = h.sort == "retained";
  const auto sort = h.sort == "count" ? analysis::HistogramSort::kCount
                    : retained        ? analysis::HistogramSort::kRetained
                                      : analysis::HistogramSort::kShallow;
  std::optional<analysis::Engine> engine;
  if (retained) {
    engine = build_engine(
        *heap, options, progress,
        h.strong_only ? analysis::EdgeFilter::kStrongOnly : analysis::EdgeFilter::kAll, rc);
    if (!engine) return rc;
  }
  const auto v = analysis::histogram_view(heap->index(), sort, h.top, engine ? &*engine : nullptr);
  if (options.format == "json") {
    std::cout << analysis::render_json(v);
    return kExitOk;
  }
  if (retained) {
    std::printf("%12s %14s %14s  %s\n", "instances", "shallow bytes", "retained bytes", "class");
  } else {
    std::printf("%12s %14s  %s\n", "instances", "shallow bytes", "class");
  }
  for (const auto& r : v.rows) {
    std::printf("%12llu %14llu", static_cast<unsigned long long>(r.count),
                static_cast<unsigned long long>(r.shallow_bytes));
    if (retained) std::printf(" %14llu", static_cast<unsigned long long>(r.retained_bytes));
    std::printf("  %s\n", r.klass.c_str());
  }
  if (v.rows.size() < v.total_classes)
    std::printf("%12s %14s  (%zu more classes)\n", "...", "...", v.total_classes - v.rows.size());
  std::printf("%12llu %14llu  total (%zu classes)\n",
              static_cast<unsigned long long>(v.total_count),
              static_cast<unsigned long long>(v.total_shallow_bytes), v.total_classes);
  return kExitOk;
}

}  // namespace heapscope::cli
