// Dominator tree of the object graph, and retained sizes.
//
// Algorithm: SEMI-NCA (Georgiadis, "Linear-Time Algorithms for Dominators and Related
// Problems", PhD thesis, Princeton 2005; Georgiadis, Tarjan, Werneck, "Finding Dominators in
// Practice", JGAA 10(1), 2006), as LLVM's GenericDomTreeConstruction.h implements it: semi-
// dominators as in Lengauer-Tarjan with path-compressing EVAL, then each idom found by walking
// up the partial dominator tree from the DFS parent. Iterative DFS and EVAL (heap paths are
// millions deep), flat u32 arrays in DFS-number space. The predecessor lists are built by a
// radix partition of the edges on their target's number (analysis/src/predecessors.h).
//
// Retained sizes: a node's DFS number is larger than its dominator's, so one sweep in reverse
// preorder adds every node's size to its dominator (in number space while the tree keeps its
// dominators' numbers, else in node space).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "heapscope/analysis/graph.h"
#include "heapscope/hprof/flat_array.h"

namespace heapscope::analysis {

// What the tree tells its caller about the graph's edges, so that the caller can give them back
// while the tree goes on: the last pass over them (building the predecessor lists) is also where
// the tree's tables grow most, and edges given back behind it make room for them.
struct EdgeUse {
  // The last pass has read the edges of nodes [first, last) for the last time. Called from
  // several threads at once for disjoint ranges (in node order within each range); the caller
  // may Graph::discard_edges them.
  std::function<void(NodeIndex first, NodeIndex last)> nodes_done;
  // No edge is read again (before SEMI-NCA); the caller may Graph::release_edges.
  std::function<void()> all_done;
};

class DominatorTree {
 public:
  // Dominators of every node reachable from the virtual root through edges `filter` keeps.
  // The predecessor lists are built on `threads` threads (0 = all cores).
  static DominatorTree compute(const Graph& graph, EdgeFilter filter,
                               hprof::Progress* progress = nullptr, unsigned threads = 0,
                               const EdgeUse& edges = {});

  EdgeFilter filter() const { return filter_; }
  NodeIndex root() const { return root_; }
  // Immediate dominator; kNoNode for the root and for unreachable nodes.
  NodeIndex idom(NodeIndex n) const { return idom_[n]; }
  // The same for every node (node count entries), for passes that prefetch.
  std::span<const NodeIndex> idoms() const { return {idom_.data(), idom_.size()}; }
  bool reachable(NodeIndex n) const { return n == root_ || idom_[n] != kNoNode; }
  uint32_t reachable_count() const { return static_cast<uint32_t>(preorder_.size()); }
  // Reachable nodes in DFS preorder (root first): a dominator comes before what it dominates.
  std::span<const NodeIndex> preorder() const { return {preorder_.data(), preorder_.size()}; }
  // The immediate dominators in DFS-number space (number -> its dominator's number, where a
  // node's number is its preorder position + 1; index 0 unused), as the computation left them.
  // While present, compute_retained sums in number space (the way that suits spilled tables)
  // and the class-retained pass over spilled tables need not rebuild them with three passes at
  // random. Empty once released, or for a tree read from a cache file.
  std::span<const uint32_t> idom_numbers() const {
    return {idom_numbers_.data(), idom_numbers_.size()};
  }
  // Each node's DFS number (0 when unreachable), kept and released with idom_numbers(): with it
  // compute_retained fills its node-indexed results in order.
  std::span<const uint32_t> numbers() const { return {numbers_.data(), numbers_.size()}; }
  void release_numbers() {
    idom_numbers_.clear();
    numbers_.clear();
  }

 private:
  friend class EngineCache;  // the on-disk cache (engine_cache.cpp)
  EdgeFilter filter_ = EdgeFilter::kAll;
  NodeIndex root_ = 0;
  hprof::detail::FlatArray<NodeIndex> idom_;
  hprof::detail::FlatArray<NodeIndex> preorder_;
  hprof::detail::FlatArray<uint32_t> idom_numbers_;
  hprof::detail::FlatArray<uint32_t> numbers_;
};

// Bytes and objects each node keeps alive alone (itself included); 0 for unreachable nodes.
struct Retained {
  hprof::detail::FlatArray<uint64_t> bytes;
  hprof::detail::FlatArray<uint32_t> count;
  // Retained bytes per class (ClassIndex; class_retained.h), when compute_retained was asked
  // for them. Empty otherwise (not asked, from a cache file, from given sizes).
  std::vector<uint64_t> by_class;
};
// Each object counts its shallow size; the virtual root counts 0 bytes and 0 objects.
// `by_class`: also sum Retained::by_class, beside the sizes, where that takes least memory (in
// number space over spilled tables, or placed before the bytes are summed in memory).
Retained compute_retained(const DominatorTree& tree, const hprof::Index& index,
                          bool by_class = true);
// The same with given sizes per node (`shallow.size()` == node count; the root's is ignored).
Retained compute_retained(const DominatorTree& tree, std::span<const uint64_t> shallow);

// The order every face lists dominator-tree nodes in: bigger retained bytes first, then the
// lower node (object id order), so that lists built different ways come out the same.
inline bool retains_more(const Retained& r, NodeIndex a, NodeIndex b) {
  return r.bytes[a] != r.bytes[b] ? r.bytes[a] > r.bytes[b] : a < b;
}

// Children lists of the dominator tree (CSR). A list is sorted by retained bytes, largest
// first, the first time it is asked for, so opening one node costs only its own children.
class DominatorChildren {
 public:
  DominatorChildren(const DominatorTree& tree, const Retained& retained);
  std::span<const NodeIndex> of(NodeIndex n);

 private:
  const Retained& retained_;
  std::vector<uint32_t> begin_;  // a node has fewer than 2^32 descendants
  std::vector<NodeIndex> children_;
  std::vector<bool> sorted_;  // one bit per node
};

// LLVM-style verification (DominatorTreeBase::verify): for each node p in `check` (or every
// node when empty), removing p must make all of p's tree children unreachable (parent
// property) and removing one child must leave its siblings reachable (sibling property).
// Each check is a search of the graph: pass a sample on big graphs. Returns "" or what failed.
std::string verify_dominators(const Graph& graph, const DominatorTree& tree,
                              std::span<const NodeIndex> check = {});

}  // namespace heapscope::analysis
