#include <vector>

#include "heapscope/analysis/views.h"

namespace heapscope::analysis {

// Pre-order over the first `top` children of each node, `depth` levels, with an explicit stack.
DominatorsView dominators_view(const Engine& engine, DominatorChildren& children, NodeIndex of,
                               size_t top, int depth) {
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
    const auto c = children.of(parent);
    const size_t n = std::min(c.size(), top);
    for (size_t i = n; i-- > 0;) stack.push_back({c[i], level});
    return c.size() - n;
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
      v.nodes[at].hidden_children = children.of(node).size();
    }
  }
  return v;
}

}  // namespace heapscope::analysis
