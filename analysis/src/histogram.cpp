#include "heapscope/analysis/histogram.h"

#include <algorithm>

namespace heapscope::analysis {

std::vector<HistogramRow> class_histogram(const hprof::Index& index, HistogramSort sort) {
  std::vector<HistogramRow> rows(index.class_count());
  for (hprof::ClassIndex c = 0; c < rows.size(); ++c) rows[c].klass = c;
  const uint32_t n = index.object_count();
  for (hprof::ObjectIndex o = 0; o < n; ++o) {
    auto& r = rows[index.class_of(o)];
    ++r.count;
    r.shallow_bytes += index.shallow_size(o);
  }
  std::erase_if(rows, [](const HistogramRow& r) { return r.count == 0; });
  sort_histogram(rows, index, sort);
  return rows;
}

void sort_histogram(std::vector<HistogramRow>& rows, const hprof::Index& index,
                    HistogramSort sort) {
  auto key = [sort](const HistogramRow& r) {
    switch (sort) {
      case HistogramSort::kCount:
        return r.count;
      case HistogramSort::kShallow:
        return r.shallow_bytes;
      case HistogramSort::kRetained:
        return r.retained_bytes;
    }
    return r.shallow_bytes;
  };
  std::sort(rows.begin(), rows.end(), [&](const HistogramRow& a, const HistogramRow& b) {
    if (key(a) != key(b)) return key(a) > key(b);
    return index.class_info(a.klass).name < index.class_info(b.klass).name;
  });
}

}  // namespace heapscope::analysis
