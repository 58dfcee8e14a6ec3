#include <algorithm>
#include <unordered_map>
#include <vector>

#include "heapscope/analysis/views.h"

namespace heapscope::analysis {
namespace {

// A node's children as the view shows them: the first `top` by retained size, and how many.
struct Shown {
  std::vector<NodeIndex> first;
  size_t total = 0;
};

// Pre-order over the first `top` children of each node, `depth` levels, with an explicit stack.
// `shown(parent)` gives a node's children as the view shows them.
template <typename ShownOf>
DominatorsView emit(const Engine& engine, NodeIndex of, int depth, ShownOf shown) {
  const auto& idx = engine.index();
  const auto& tree = engine.tree();
  DominatorsView v;
  v.convention = engine.filter();
  if (of != kNoNode) v.of = idx.object_id(of);
  v.reachable_objects = tree.reachable_count() - 1;
  v.unreachable_objects = idx.object_count() - v.reachable_objects;
  v.dangling_references = engine.graph().dangling_references();
  struct Pending {
    NodeIndex node;
    int level;
  };
  std::vector<Pending> stack;
  auto push_children = [&](NodeIndex parent, int level) {
    const Shown& c = shown(parent);
    for (size_t i = c.first.size(); i-- > 0;) stack.push_back({c.first[i], level});
    return c.total - c.first.size();
  };
  push_children(of == kNoNode ? tree.root() : of, 0);
  while (!stack.empty()) {
    const auto [node, level] = stack.back();
    stack.pop_back();
    DominatorsView::Node out{level,
                             idx.object_id(node),
                             engine.class_name_of(node),
                             idx.shallow_size(node),
                             engine.retained().bytes[node],
                             engine.retained().count[node],
                             0};
    const size_t at = v.nodes.size();
    v.nodes.push_back(std::move(out));
    if (level + 1 < depth) {
      v.nodes[at].hidden_children = push_children(node, level + 1);
    } else {
      v.nodes[at].hidden_children = shown(node).total;
    }
  }
  return v;
}

}  // namespace

DominatorsView dominators_view(const Engine& engine, DominatorChildren& children, NodeIndex of,
                               size_t top, int depth) {
  Shown scratch;
  return emit(engine, of, depth, [&](NodeIndex parent) -> const Shown& {
    const auto c = children.of(parent);
    scratch.first.assign(c.begin(),
                         c.begin() + static_cast<std::ptrdiff_t>(std::min(c.size(), top)));
    scratch.total = c.size();
    return scratch;
  });
}

// Level by level: one pass over the tree's nodes collects the children of every node of the
// level (a bit per node marks the parents), and the next level's parents are the ones shown.
// The last pass only counts. `depth` + 1 passes in all, none of them keeping more than the
// lists of the shown nodes.
DominatorsView dominators_view(const Engine& engine, NodeIndex of, size_t top, int depth) {
  const auto& tree = engine.tree();
  const auto& retained = engine.retained();
  const uint32_t n = engine.index().object_count();
  std::unordered_map<NodeIndex, Shown> shown;
  std::vector<bool> parent(uint64_t{n} + 1, false);
  std::vector<NodeIndex> level{of == kNoNode ? tree.root() : of};
  for (int l = 0; l <= depth && !level.empty(); ++l) {
    const bool lists = l < depth;  // the last pass counts the shown nodes' children only
    for (NodeIndex p : level) parent[p] = true;
    std::unordered_map<NodeIndex, std::vector<NodeIndex>> kids;
    for (NodeIndex v = 0; v < n; ++v) {
      const NodeIndex p = tree.idom(v);
      if (p == kNoNode || !parent[p]) continue;
      ++shown[p].total;
      if (lists) kids[p].push_back(v);
    }
    std::vector<NodeIndex> next;
    for (NodeIndex p : level) {
      parent[p] = false;
      auto& c = kids[p];
      const size_t k = std::min(c.size(), top);
      std::partial_sort(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(k), c.end(),
                        [&](NodeIndex a, NodeIndex b) { return retains_more(retained, a, b); });
      c.resize(k);
      next.insert(next.end(), c.begin(), c.end());
      shown[p].first = std::move(c);
    }
    level = std::move(next);
  }
  const Shown none;
  return emit(engine, of, depth, [&](NodeIndex p) -> const Shown& {
    const auto it = shown.find(p);
    return it == shown.end() ? none : it->second;
  });
}

}  // namespace heapscope::analysis
