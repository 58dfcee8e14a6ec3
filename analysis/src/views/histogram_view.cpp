#include "heapscope/analysis/views.h"

namespace heapscope::analysis {

const char* to_string(HistogramSort sort) {
  switch (sort) {
    case HistogramSort::kCount:
      return "count";
    case HistogramSort::kRetained:
      return "retained";
    case HistogramSort::kShallow:
      break;
  }
  return "shallow";
}

HistogramView histogram_view(const hprof::Index& index, HistogramSort sort, size_t top,
                             const Engine* engine) {
  HistogramView v;
  v.sort = sort;
  auto rows = class_histogram(index, sort);
  if (sort == HistogramSort::kRetained && engine) {
    add_retained(rows, *engine);
    sort_histogram(rows, index, sort);
    v.convention = engine->filter();
  }
  v.total_classes = rows.size();
  for (const auto& r : rows) {
    v.total_count += r.count;
    v.total_shallow_bytes += r.shallow_bytes;
  }
  const size_t shown = top == 0 ? rows.size() : std::min(top, rows.size());
  v.rows.reserve(shown);
  for (size_t i = 0; i < shown; ++i) {
    v.rows.push_back({index.class_info(rows[i].klass).name, rows[i].count, rows[i].shallow_bytes,
                      rows[i].retained_bytes});
  }
  return v;
}

}  // namespace heapscope::analysis
