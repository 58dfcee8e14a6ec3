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

void add_retained(std::vector<HistogramRow>& rows, const Engine& engine) {
  const auto& index = engine.index();
  const auto& tree = engine.tree();
  const uint32_t n = index.object_count();
  // Children CSR of the dominator tree.
  std::vector<uint64_t> begin(uint64_t{n} + 3, 0);
  for (NodeIndex v : tree.preorder()) {
    if (v != tree.root()) ++begin[uint64_t{tree.idom(v)} + 2];
  }
  for (size_t i = 2; i < begin.size(); ++i) begin[i] += begin[i - 1];
  std::vector<NodeIndex> kids(begin.back());
  for (NodeIndex v : tree.preorder()) {
    if (v != tree.root()) kids[begin[uint64_t{tree.idom(v)} + 1]++] = v;
  }
  std::vector<uint64_t> total(index.class_count(), 0);
  std::vector<uint32_t> active(index.class_count(), 0);
  struct Frame {
    NodeIndex node;
    uint64_t next;
  };
  std::vector<Frame> stack{{tree.root(), begin[tree.root()]}};
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.next < begin[uint64_t{f.node} + 1]) {
      const NodeIndex c = kids[f.next++];
      const auto k = index.class_of(c);
      if (active[k]++ == 0) total[k] += engine.retained().bytes[c];
      stack.push_back({c, begin[c]});
    } else {
      if (f.node != tree.root()) --active[index.class_of(f.node)];
      stack.pop_back();
    }
  }
  for (auto& r : rows) r.retained_bytes = total[r.klass];
}

}  // namespace heapscope::analysis
