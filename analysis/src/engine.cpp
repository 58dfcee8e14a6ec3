#include "heapscope/analysis/engine.h"

namespace heapscope::analysis {

Result<Engine> Engine::build(const Heap& heap, const EngineOptions& options) {
  Engine e;
  e.index_ = &heap.index();
  e.filter_ = options.filter;
  e.layouts_ = std::make_unique<FieldLayouts>(heap.index());
  GraphOptions go;
  go.threads = options.threads;
  go.progress = options.progress;
  auto graph = Graph::build(heap.index(), *e.layouts_, go);
  if (!graph) return graph.error();
  e.graph_ = std::move(*graph);
  if (options.progress && options.progress->cancelled()) {
    return hprof::Error{hprof::ErrorCode::kCancelled, 0, -1, "cancelled"};
  }
  e.tree_ = DominatorTree::compute(e.graph_, options.filter, options.progress);
  e.retained_ = compute_retained(e.tree_, heap.index());
  return e;
}

std::string Engine::class_name_of(NodeIndex n) const {
  if (n >= index_->object_count()) return "<GC roots>";
  if (index_->kind(n) == hprof::ObjectKind::kClass) {
    const auto c = index_->find_class(index_->object_id(n));
    return "class " + (c == hprof::kNoClass ? std::string("?") : index_->class_info(c).name);
  }
  return index_->class_info(index_->class_of(n)).name;
}

}  // namespace heapscope::analysis
