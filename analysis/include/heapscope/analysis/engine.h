// The engine every analysis stands on: field layouts, the object graph, the dominator tree and
// retained sizes of one indexed heap, built in that order.
#pragma once

#include <memory>
#include <string>

#include "heapscope/analysis/dominators.h"
#include "heapscope/analysis/fields.h"
#include "heapscope/analysis/graph.h"
#include "heapscope/analysis/heap.h"

namespace heapscope::analysis {

struct EngineOptions {
  EdgeFilter filter = EdgeFilter::kAll;  // the retained-size convention
  uint32_t threads = 0;
  hprof::Progress* progress = nullptr;
  // Fail with ErrorCode::kMemoryBudget before building anything when the estimate exceeds this
  // many bytes; 0 = no limit.
  uint64_t memory_budget = 0;
};

// Bytes the graph, dominator tree and retained sizes of this index will take (an upper bound:
// every reference slot counted as an edge), on top of the index itself.
uint64_t estimate_engine_bytes(const hprof::Index& index, const FieldLayouts& layouts);

class Engine {
 public:
  static Result<Engine> build(const Heap& heap, const EngineOptions& options = {});

  const hprof::Index& index() const { return *index_; }
  const FieldLayouts& layouts() const { return *layouts_; }
  const Graph& graph() const { return graph_; }
  const DominatorTree& tree() const { return tree_; }
  const Retained& retained() const { return retained_; }
  EdgeFilter filter() const { return filter_; }
  // "java.util.HashMap", "byte[]"; for class objects "class java.util.HashMap".
  std::string class_name_of(NodeIndex n) const;

 private:
  Engine() = default;
  const hprof::Index* index_ = nullptr;
  std::unique_ptr<FieldLayouts> layouts_;
  Graph graph_;
  DominatorTree tree_;
  Retained retained_;
  EdgeFilter filter_ = EdgeFilter::kAll;
};

}  // namespace heapscope::analysis
