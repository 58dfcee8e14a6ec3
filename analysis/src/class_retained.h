// Retained bytes per class (Eclipse MAT's "retained heap" of a class): the sum over the class's
// objects that no other object of the same class dominates. Two ways to the same numbers; tests
// run both against a brute-force walk up the dominator tree.
#pragma once

#include <cstdint>
#include <vector>

namespace heapscope::analysis {

class Engine;

enum class ClassRetainedWalk {
  // One pass over the DFS preorder places each node in a preorder of the dominator tree, reading
  // node-indexed tables at random: fastest while they are all in memory.
  kPlacement,
  // The same in passes that each read or write one large table at random and stream the rest:
  // for tables in spill files under a memory limit, where the placement's five random tables
  // do not fit and thrash (docs/notes/memory-budget.md).
  kOrderedPasses,
};

// Indexed by ClassIndex (index().class_count() entries).
std::vector<uint64_t> class_retained_bytes(const Engine& engine, ClassRetainedWalk walk);

}  // namespace heapscope::analysis
