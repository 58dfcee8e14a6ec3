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

#include "heapscope/analysis/engine.h"

namespace heapscope::analysis {

// A class's retained size is the sum over its objects that have no dominator-tree ancestor of
// the same class (MAT's "retained heap" of a class). The dominator subtrees are laid out as
// intervals of a preorder of the dominator tree, placed from their sizes (the retained object
// counts) in one pass over the DFS preorder, where a dominator comes before what it dominates:
// no child lists, and no pointer chasing. Walking the positions in order, an object is the
// topmost of its class exactly when it lies past the end of the last topmost interval of that
// class (subtree intervals nest or are disjoint).
void add_retained(std::vector<HistogramRow>& rows, const Engine& engine) {
  const auto& index = engine.index();
  const auto& tree = engine.tree();
  const auto& count = engine.retained().count;
  const auto& bytes = engine.retained().bytes;
  const auto order = tree.preorder();
  const uint64_t n = uint64_t{index.object_count()} + 1;
  const uint32_t reached = static_cast<uint32_t>(order.size());
  // at[p]: the node at position p; the root is position 0 and its interval all of them. Both
  // tables are written before they are read (a dominator is placed before what it dominates),
  // so they are not cleared first.
  hprof::detail::FlatArray<uint32_t> cursor(n), at(reached);
  cursor.resize(n);
  at.resize(reached);
  cursor[tree.root()] = 1;
  for (uint32_t i = 1; i < reached; ++i) {
    const NodeIndex v = order[i];
    uint32_t& next = cursor[tree.idom(v)];
    const uint32_t p = next;
    next += count[v];
    cursor[v] = p + 1;
    at[p] = v;
  }
  std::vector<uint64_t> total(index.class_count(), 0);
  std::vector<uint32_t> active_end(index.class_count(), 0);
  for (uint32_t p = 1; p < reached; ++p) {
    const NodeIndex v = at[p];
    const auto k = index.class_of(v);
    if (p < active_end[k]) continue;
    total[k] += bytes[v];
    active_end[k] = p + count[v];
  }
  for (auto& r : rows) r.retained_bytes = total[r.klass];
}

}  // namespace heapscope::analysis
