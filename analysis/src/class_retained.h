// Retained bytes per class (Eclipse MAT's "retained heap" of a class): the sum over the class's
// objects that no other object of the same class dominates. Two ways to the same numbers; tests
// run both against a brute-force walk up the dominator tree.
#pragma once

#include <cstdint>
#include <vector>

#include "heapscope/analysis/dominators.h"
#include "heapscope/hprof/flat_array.h"
#include "heapscope/hprof/index.h"

namespace heapscope::analysis {

class Engine;

enum class ClassRetainedWalk {
  // One pass over the DFS preorder places each node in a preorder of the dominator tree, reading
  // node-indexed tables at random: fastest while they are all in memory.
  kPlacement,
  // The same in passes that each read or write one large table at random and stream the rest:
  // for tables in spill files under a memory limit, where the placement's five random tables
  // do not fit and thrash (docs/notes/memory-budget.md). A spilled engine that computed its
  // tree has these sums already (Retained::by_class, from the same passes in number space);
  // this walk serves one whose tree came from a cache file.
  kOrderedPasses,
};

// Indexed by ClassIndex (index().class_count() entries).
std::vector<uint64_t> class_retained_bytes(const Engine& engine, ClassRetainedWalk walk);

namespace detail {

// The placement walk's answer: a bit per node (the tree's node count) set for each reachable
// object that no dominator-tree ancestor of the same class dominates. It reads the tree, the
// retained object counts (node space) and the index's classes; not the retained bytes, so that
// a caller in memory can place before it sums them and the placement's two tables (8 bytes per
// node) are gone when the bytes' (8 per node) arrive.
std::vector<uint64_t> topmost_by_placement(const DominatorTree& tree, const uint32_t* count,
                                           const hprof::Index& index);

// The ordered passes' placement and scan, from tables in DFS-number space: position i in
// [0, reached) is DFS number i + 1, the root is 0. `up[i]` (i >= 1) is the position of i's
// immediate dominator (consumed: it becomes i's position in the dominator tree's preorder),
// `size[i]` its retained object count, `klass[i]` its class, and its retained bytes are
// bytes[i], or bytes[node[i]] when `node` is given. Adds each class's topmost objects to `total`.
void add_topmost_by_class(hprof::detail::FlatArray<uint32_t>& up, const uint32_t* size,
                          const uint32_t* klass, const uint64_t* bytes, const uint32_t* node,
                          uint32_t reached, std::vector<uint64_t>& total);

}  // namespace detail

}  // namespace heapscope::analysis
