#include "heapscope/analysis/reachability.h"

#include <algorithm>

namespace heapscope::analysis {

NodeSet mark_reachable(const Graph& g, EdgeFilter filter,
                       const std::function<bool(NodeIndex, uint64_t)>& cut) {
  NodeSet seen(g.node_count());
  std::vector<NodeIndex> work{g.root()};
  seen.add(g.root());
  while (!work.empty()) {
    const NodeIndex v = work.back();
    work.pop_back();
    for (uint64_t e = g.edge_begin(v); e < g.edge_end(v); ++e) {
      if (!g.follows(e, filter)) continue;
      const NodeIndex t = g.target(e);
      if (seen.has(t) || (cut && cut(v, e))) continue;
      seen.add(t);
      work.push_back(t);
    }
  }
  return seen;
}

HeldOnly held_only(const Engine& engine, const NodeSet& base, const NodeSet& reduced) {
  const auto& index = engine.index();
  HeldOnly h;
  h.nodes = NodeSet(engine.graph().node_count());
  std::vector<ClassCount> per_class(index.class_count());
  for (hprof::ObjectIndex o = 0; o < index.object_count(); ++o) {
    if (!base.has(o) || reduced.has(o)) continue;
    h.nodes.add(o);
    const uint64_t size = index.shallow_size(o);
    ++h.count;
    h.bytes += size;
    auto& row = per_class[index.class_of(o)];
    ++row.count;
    row.bytes += size;
  }
  for (hprof::ClassIndex c = 0; c < per_class.size(); ++c) {
    if (per_class[c].count == 0) continue;
    per_class[c].klass = index.class_info(c).name;
    h.by_class.push_back(std::move(per_class[c]));
  }
  std::sort(h.by_class.begin(), h.by_class.end(), [](const ClassCount& a, const ClassCount& b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.klass < b.klass;
  });
  return h;
}

}  // namespace heapscope::analysis
