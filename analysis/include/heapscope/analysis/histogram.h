// Per-class instance counts and shallow bytes (the class histogram).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "heapscope/hprof/index.h"

namespace heapscope::analysis {

struct HistogramRow {
  hprof::ClassIndex klass = hprof::kNoClass;
  uint64_t count = 0;
  uint64_t shallow_bytes = 0;
  uint64_t retained_bytes = 0;  // filled in only when retained sizes were computed
};

enum class HistogramSort { kCount, kShallow, kRetained };

// One row per class that has at least one object, sorted descending by `sort` (ties by name).
std::vector<HistogramRow> class_histogram(const hprof::Index& index,
                                          HistogramSort sort = HistogramSort::kShallow);

void sort_histogram(std::vector<HistogramRow>& rows, const hprof::Index& index, HistogramSort sort);

}  // namespace heapscope::analysis

namespace heapscope::analysis {
class Engine;
// Fills retained_bytes per row: the bytes that all instances of the class keep alive together
// (Eclipse MAT's "retained heap" of a class): the sum over instances that no other instance of
// the same class dominates. One walk of the dominator tree with enter/exit counts per class.
void add_retained(std::vector<HistogramRow>& rows, const Engine& engine);
}  // namespace heapscope::analysis
