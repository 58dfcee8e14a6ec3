// The bounded capture search of analyzers/cleaner.h: breadth-first from the action, iterative,
// with a hash map of visited nodes so that its memory follows the budget, not the heap.
#include <algorithm>
#include <unordered_map>

#include "heapscope/analysis/analyzers/cleaner.h"

namespace heapscope::analysis {

Capture find_capture(const Graph& g, NodeIndex from, NodeIndex target, const NodeSet& stop,
                     uint32_t budget) {
  Capture c;
  if (from == target) {
    c.outcome = Capture::Outcome::kFound;
    return c;
  }
  struct Via {
    NodeIndex parent;
    uint64_t edge;
  };
  std::unordered_map<NodeIndex, Via> via;  // node -> how it was first reached
  via.reserve(16);
  std::vector<NodeIndex> work{from};
  via.emplace(from, Via{kNoNode, ~uint64_t{0}});
  const NodeIndex root = g.root();
  for (size_t i = 0; i < work.size(); ++i) {
    const NodeIndex v = work[i];
    for (uint64_t e = g.edge_begin(v); e < g.edge_end(v); ++e) {
      if (g.is_referent(e)) continue;
      const NodeIndex t = g.target(e);
      if (t == root || via.count(t) != 0) continue;
      if (t == target) {
        c.visited = static_cast<uint32_t>(via.size());
        c.outcome = Capture::Outcome::kFound;
        c.edges.push_back(e);
        for (NodeIndex u = v; u != from; u = via[u].parent) c.edges.push_back(via[u].edge);
        std::reverse(c.edges.begin(), c.edges.end());
        return c;
      }
      if (stop.has(t)) continue;
      if (via.size() >= budget) {
        c.visited = static_cast<uint32_t>(via.size());
        c.outcome = Capture::Outcome::kTruncated;
        return c;
      }
      via.emplace(t, Via{v, e});
      work.push_back(t);
    }
  }
  c.visited = static_cast<uint32_t>(via.size());
  c.outcome = Capture::Outcome::kNotFound;
  return c;
}

}  // namespace heapscope::analysis
