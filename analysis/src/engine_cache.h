// The engine's part of a cache file (cache_file.h): the object graph, which does not depend on
// the edge filter, and per filter the dominator tree and retained sizes. Field layouts are not
// stored: they are rebuilt from the index in milliseconds.
#pragma once

#include <cstdint>

#include "heapscope/analysis/dominators.h"
#include "heapscope/analysis/graph.h"
#include "heapscope/hprof/cache_file.h"

namespace heapscope::analysis {

class EngineCache {
 public:
  static bool has_graph(const hprof::CacheReader& in);
  static bool has_tree(const hprof::CacheReader& in, EdgeFilter filter);
  static bool is_graph_section(uint32_t section);
  // The sections save_tree writes for `filter` (the rest of an older file can be copied).
  static bool is_tree_section(uint32_t section, EdgeFilter filter);

  static void save_graph(hprof::CacheWriter& out, const Graph& graph);
  static void save_tree(hprof::CacheWriter& out, const DominatorTree& tree,
                        const Retained& retained);

  // Reads what save_graph / save_tree wrote, for an index of `objects` objects; kCorrupt when
  // the sections are missing, do not decode or do not fit.
  static hprof::Result<Graph> load_graph(const hprof::CacheReader& in, uint32_t objects,
                                         uint32_t threads, hprof::Progress* progress);
  static hprof::Status load_tree(const hprof::CacheReader& in, EdgeFilter filter,
                                 const Graph& graph, uint32_t threads, hprof::Progress* progress,
                                 DominatorTree& tree, Retained& retained);
};

}  // namespace heapscope::analysis
