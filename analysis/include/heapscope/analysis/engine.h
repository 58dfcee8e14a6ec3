// The engine every analysis stands on: field layouts, the object graph, the dominator tree and
// retained sizes of one indexed heap, built in that order.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "heapscope/analysis/dominators.h"
#include "heapscope/analysis/fields.h"
#include "heapscope/analysis/graph.h"
#include "heapscope/analysis/heap.h"

namespace heapscope::analysis {

class Engine;

struct EngineOptions {
  EdgeFilter filter = EdgeFilter::kAll;  // the retained-size convention
  uint32_t threads = 0;
  hprof::Progress* progress = nullptr;
  // When the estimate (estimate_engine_bytes, plus the index when it is in memory) exceeds this
  // many bytes, the graph, dominator tree and retained sizes go to spill files in `spill_dir`
  // (memory_plan.h); ErrorCode::kMemoryBudget before building anything only when the spill
  // directory cannot hold them either. 0 = no limit. `memory_budget_source` names the budget in
  // messages.
  uint64_t memory_budget = 0;
  std::string memory_budget_source;
  std::filesystem::path spill_dir;  // empty = $TMPDIR, else /tmp
  // The on-disk cache (see HeapOptions::cache_dir); empty = off. The graph, dominator tree and
  // retained sizes are read from the dump's cache file when it has them for this filter, and
  // otherwise built and added to it (with the index, in one file per dump).
  std::filesystem::path cache_dir;
  // Called once the graph is ready, on a second thread while the dominator tree is computed
  // (or, when the tree comes from the cache, on the calling thread before build returns). It may
  // use index(), layouts() and graph() of the engine it is given, never tree() or retained().
  std::function<void(const Engine&)> alongside_dominators;
  // false: a face that reads only the tree, the retained sizes and the index once the engine is
  // built (`dominators`, `analyze` with its graph work in `alongside_dominators`). The graph's
  // edges are then given back as soon as the dominator tree has its predecessor lists (before
  // the SEMI-NCA pass, the peak) and `alongside_dominators` has returned, whichever is later.
  // Kept all the same when a cache file is written (it stores the graph).
  bool keep_graph = true;
  // Sum the retained bytes per class beside the retained sizes (Retained::by_class, which
  // add_retained and the histograms read; otherwise they walk the tree again when asked). false
  // for a face that shows none (`dominators`).
  bool class_retained = true;
};

// Bytes the graph, dominator tree and retained sizes of this index will take (an upper bound:
// every reference slot counted as an edge), on top of the index itself.
uint64_t estimate_engine_bytes(const hprof::Index& index, const FieldLayouts& layouts);
// Bytes of the index's per-object tables.
uint64_t index_bytes(const hprof::Index& index);

class Engine {
 public:
  static Result<Engine> build(const Heap& heap, const EngineOptions& options = {});

  const hprof::Index& index() const { return *index_; }
  const FieldLayouts& layouts() const { return *layouts_; }
  const Graph& graph() const { return graph_; }
  const DominatorTree& tree() const { return tree_; }
  const Retained& retained() const { return retained_; }
  // Gives back the graph's edges once the tree and retained sizes are all a face needs (the
  // `dominators` command); graph() then answers node_count() and dangling_references() only.
  void release_graph() { graph_.release_edges(); }
  EdgeFilter filter() const { return filter_; }
  const CacheUse& cache_use() const { return cache_use_; }
  // Whether the graph, dominator tree and retained sizes went to spill files.
  const SpillUse& spill_use() const { return spill_use_; }
  // "java.util.HashMap", "byte[]"; for class objects "class java.util.HashMap".
  std::string class_name_of(NodeIndex n) const;

 private:
  Engine() = default;
  hprof::Status load_or_build(const Heap& heap, const EngineOptions& options,
                              std::optional<hprof::CacheReader>& cache);
  void write_cache(const Heap& heap, const EngineOptions& options,
                   const std::optional<hprof::CacheReader>& cache);
  const hprof::Index* index_ = nullptr;
  std::unique_ptr<FieldLayouts> layouts_;
  Graph graph_;
  DominatorTree tree_;
  Retained retained_;
  EdgeFilter filter_ = EdgeFilter::kAll;
  CacheUse cache_use_;
  SpillUse spill_use_;
  bool graph_from_cache_ = false;
  bool alongside_done_ = false;
};

}  // namespace heapscope::analysis
