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
// the same class (MAT's "retained heap" of a class). One depth-first walk of the dominator tree,
// counting per class how many objects on the current path belong to it. The tree's children are
// first-child / next-sibling links built in one pass (no sorting).
void add_retained(std::vector<HistogramRow>& rows, const Engine& engine) {
  const auto& index = engine.index();
  const auto& tree = engine.tree();
  const auto order = tree.preorder();
  const uint64_t n = uint64_t{index.object_count()} + 1;
  constexpr NodeIndex kNone = kNoNode;
  std::vector<NodeIndex> first_child(n, kNone), next_sibling(n, kNone);
  for (size_t i = order.size(); i-- > 1;) {
    const NodeIndex v = order[i];
    const NodeIndex d = tree.idom(v);
    next_sibling[v] = first_child[d];
    first_child[d] = v;
  }
  std::vector<uint64_t> total(index.class_count(), 0);
  std::vector<uint32_t> active(index.class_count(), 0);
  const auto& bytes = engine.retained().bytes;
  // The path from the root: each entry is a node whose subtree is being walked.
  std::vector<NodeIndex> path;
  NodeIndex v = first_child[tree.root()];
  while (v != kNone) {
    const auto k = index.class_of(v);
    if (active[k]++ == 0) total[k] += bytes[v];
    if (first_child[v] != kNone) {
      path.push_back(v);
      v = first_child[v];
      continue;
    }
    // A leaf: leave it, then every finished ancestor, and move to the next sibling.
    --active[k];
    while (next_sibling[v] == kNone && !path.empty()) {
      v = path.back();
      path.pop_back();
      --active[index.class_of(v)];
    }
    v = next_sibling[v];
  }
  for (auto& r : rows) r.retained_bytes = total[r.klass];
}

}  // namespace heapscope::analysis
