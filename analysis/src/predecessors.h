// The dominator tree's predecessor lists, built by radix partition of the edges on their target's
// DFS number (internal to dominators.cpp).
//
// SEMI-NCA reads the predecessors of every DFS number (CSR: offsets by number, then the lists).
// Filling such a table straight from the forward edges writes it at random: one cache miss per
// edge in memory, and under a memory limit, when the tables live in spill files, pages written
// back and faulted in again over and over (docs/notes/memory-budget.md). Instead the edges are
// partitioned by target range first (the partitioning pass of a radix sort; Satish, Kim et al.,
// "Fast Sort on CPUs and GPUs", SIGMOD 2010, and the partitioned hash join of Manegold, Boncz and
// Kersten, "Optimizing Main-Memory Join on Modern Hardware", TKDE 2002):
//
// 1. The DFS marks each tree edge in a bit per edge. Then one pass over the forward edges in node
//    order, on all threads, counts per source range (one per thread) and per bucket of 2^shift
//    target numbers the edges that are not tree edges. (The DFS could count them as it goes, but
//    it would then read the target's number at random for every edge, and under a memory limit
//    that table and the graph, both read at random, do not fit together: memory-budget.md.)
// 2. One pass over the forward edges in node order appends each such edge's source number to its
//    bucket's stretch of the final list table, and the target's offset within the bucket (16
//    bits) to the same place of a side table: a few hundred write streams, each sequential.
// 3. Bucket by bucket (on all threads), a counting sort of its stretch on the target offset
//    writes the offsets of its numbers and orders its lists, inside a few hundred kilobytes.
//
// Tree edges are left out (SEMI starts at the parent); a second copy of a tree edge is kept,
// which SEMI does not see (its EVAL is the parent itself). Edges into the root's children are
// left out too (EdgeBuckets::is_root_child). A list's order is fixed (sources in
// node order), whatever the thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "heapscope/analysis/dominators.h"
#include "heapscope/analysis/graph.h"
#include "heapscope/hprof/flat_array.h"
#include "heapscope/hprof/progress.h"

namespace heapscope::analysis::detail {

// What steps 2 and 3 need from the DFS and from step 1.
class EdgeBuckets {
 public:
  EdgeBuckets(const Graph& g, unsigned threads);

  uint32_t shift() const { return shift_; }
  uint32_t bucket_count() const { return buckets_; }
  // Source ranges of step 2, one per thread: part p is nodes [cut(p), cut(p + 1)).
  unsigned parts() const { return static_cast<unsigned>(cuts_.size() - 1); }
  NodeIndex cut(unsigned p) const { return cuts_[p]; }
  // The DFS reports each edge it descends along; step 1 counts the others of part `part`.
  void tree_edge(uint64_t e) { tree_[e >> 6] |= uint64_t{1} << (e & 63); }
  bool is_tree_edge(uint64_t e) const { return tree_[e >> 6] >> (e & 63) & 1; }
  // The root's children (the GC roots' objects), marked before the DFS. Their immediate
  // dominator is the root whatever else points at them, and a path through an edge into one
  // can start at the root instead, so such edges change no one's dominator: the DFS does not
  // descend along them and the predecessor lists leave them out (on a HotSpot heap, every
  // instance's edge to its class: a third of the lists).
  void mark_root_child(NodeIndex v) { rooted_[v >> 6] |= uint64_t{1} << (v & 63); }
  bool is_root_child(NodeIndex v) const { return rooted_[v >> 6] >> (v & 63) & 1; }
  void count(unsigned part, uint32_t target_number) {
    ++counts_[uint64_t{part} * buckets_ + (target_number >> shift_)];
  }
  uint64_t counted(unsigned part, uint32_t bucket) const {
    return counts_[uint64_t{part} * buckets_ + bucket];
  }

 private:
  uint32_t shift_;
  uint32_t buckets_;
  std::vector<NodeIndex> cuts_;
  std::vector<uint64_t> counts_;
  hprof::detail::FlatArray<uint64_t> tree_;
  std::vector<uint64_t> rooted_;
};

// Predecessors by DFS number: the list of number i is list[begin[i], begin[i + 1]), for
// i <= reached. `Off` is u32 when the edges allow.
template <typename Off>
struct Predecessors {
  hprof::detail::FlatArray<Off> begin;
  hprof::detail::FlatArray<uint32_t> list;
};

// Steps 1 to 3, from the tree edges the DFS marked in `buckets` (theirs: given back on return).
// Step 2 is the last pass over the forward edges: it tells `edges` which nodes' edges it is done
// with as it goes (about every 4 MiB of edges), and when it has read them all.
// An empty result (no offsets) when cancelled.
template <typename Off>
Predecessors<Off> build_predecessors(const Graph& g, EdgeFilter filter,
                                     const hprof::detail::FlatArray<uint32_t>& num,
                                     uint32_t reached, EdgeBuckets buckets, unsigned threads,
                                     hprof::Progress& progress, const EdgeUse& edges);

}  // namespace heapscope::analysis::detail
