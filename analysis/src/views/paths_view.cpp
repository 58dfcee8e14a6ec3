#include "heapscope/analysis/paths.h"
#include "heapscope/analysis/views.h"

namespace heapscope::analysis {

PathsView paths_view(const Engine& engine, NodeIndex target, size_t max_paths, EdgeFilter edges) {
  const auto& idx = engine.index();
  PathsView v;
  v.object_id = idx.object_id(target);
  v.klass = engine.class_name_of(target);
  v.edges = edges;
  for (const auto& path : shortest_paths_to(engine, target, max_paths, edges)) {
    std::vector<PathsView::Step> steps;
    steps.reserve(path.size());
    for (size_t i = 0; i < path.size(); ++i) {
      const auto node = path[i].node;
      PathsView::Step s;
      s.object_id = idx.object_id(node);
      s.klass = engine.class_name_of(node);
      s.retained_bytes = engine.retained().bytes[node];
      if (i == 0) {
        s.root = describe_root(engine, node);
      } else {
        s.via = describe_edge(engine, path[i - 1].node, path[i].edge);
      }
      steps.push_back(std::move(s));
    }
    v.paths.push_back(std::move(steps));
  }
  return v;
}

}  // namespace heapscope::analysis
