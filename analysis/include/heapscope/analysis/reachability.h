// "Held only by X": the objects that become unreachable from the GC roots when some edges are
// cut. Two marking passes (breadth-first, iterative) over the graph; the difference is the set
// that X alone keeps alive, i.e. what the collector could free if X let go.
#pragma once

#include <bit>
#include <cstdint>
#include <functional>
#include <vector>

#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/report.h"

namespace heapscope::analysis {

// One bit per node.
class NodeSet {
 public:
  explicit NodeSet(uint32_t n = 0) : bits_((uint64_t{n} + 63) / 64, 0) {}
  bool has(NodeIndex v) const { return bits_[v >> 6] >> (v & 63) & 1; }
  void add(NodeIndex v) { bits_[v >> 6] |= uint64_t{1} << (v & 63); }
  // Members below v (v's position among the members when v is one), with `prefix` from
  // word_prefix(): O(1).
  std::vector<uint32_t> word_prefix() const {
    std::vector<uint32_t> prefix(bits_.size() + 1, 0);
    for (size_t w = 0; w < bits_.size(); ++w)
      prefix[w + 1] = prefix[w] + static_cast<uint32_t>(std::popcount(bits_[w]));
    return prefix;
  }
  uint32_t rank(NodeIndex v, const std::vector<uint32_t>& prefix) const {
    const uint64_t below = bits_[v >> 6] & ((uint64_t{1} << (v & 63)) - 1);
    return prefix[v >> 6] + static_cast<uint32_t>(std::popcount(below));
  }
  // Calls f(v) for every member, in ascending order.
  template <typename F>
  void for_each(F f) const {
    for (size_t w = 0; w < bits_.size(); ++w) {
      for (uint64_t b = bits_[w]; b != 0; b &= b - 1)
        f(static_cast<NodeIndex>(w * 64 + static_cast<size_t>(std::countr_zero(b))));
    }
  }

 private:
  std::vector<uint64_t> bits_;
};

// Nodes reachable from the virtual root through edges `filter` keeps and `cut` does not reject
// (cut(from, edge) == true removes that edge). `cut` may be empty.
NodeSet mark_reachable(const Graph& graph, EdgeFilter filter,
                       const std::function<bool(NodeIndex, uint64_t)>& cut = {});

// Reachability under several "what if these edges were cut" questions, answered from one full
// marking pass. Each group is a set of edges leaving known source nodes (e.g. the Finalizer
// referents, or one TaskQueue's references to its cancelled tasks). The full pass follows no
// group's edges; a query that keeps some groups copies that result and marks only what the kept
// groups' edges add (incremental marking), so the work of a query is proportional to what it
// adds, not to the heap. Edges outside every group follow `filter`; an edge of a kept group is
// followed even when `filter` drops it (a Finalizer's referent under kStrongOnly).
class CutReachability {
 public:
  using Member = std::function<bool(NodeIndex from, uint64_t edge)>;
  // `progress` (may be null) is polled for cancellation: a cancelled pass stops early and its
  // sets are incomplete (the caller checks progress->cancelled() and drops them).
  CutReachability(const Graph& graph, EdgeFilter filter, const hprof::Progress* progress = nullptr);

  // Adds a group: the edges leaving `sources` for which `member` holds (an edge belongs to the
  // first group that claims it). Returns the group's number. Call before prepare().
  size_t add_group(std::vector<NodeIndex> sources, Member member);
  // The full pass, with every group cut.
  void prepare();
  size_t group_count() const { return groups_.size(); }

  // Nodes reachable when the groups with keep[g] == true are followed and the others cut.
  NodeSet reachable(const std::vector<bool>& keep) const { return extend(base_, keep); }
  // The same, starting from `start`: a set already closed under the edges outside every group
  // and some of the groups in `keep` (e.g. the answer of a query that kept fewer groups).
  NodeSet extend(NodeSet start, const std::vector<bool>& keep) const;

 private:
  struct Group {
    std::vector<NodeIndex> sources;
    NodeSet source_set;
    Member member;
  };
  // -1 when (from, edge) is in no group, else the group's number.
  int group_of(NodeIndex from, uint64_t edge) const;
  bool follows(NodeIndex from, uint64_t edge, const std::vector<bool>& keep) const;
  void mark_from(NodeSet& seen, std::vector<NodeIndex>& work, const std::vector<bool>& keep) const;

  const Graph& graph_;
  EdgeFilter filter_;
  const hprof::Progress* progress_;
  std::vector<Group> groups_;
  NodeSet special_;  // sources of any group
  NodeSet base_;
};

struct HeldOnly {
  uint64_t count = 0;
  uint64_t bytes = 0;
  std::vector<ClassCount> by_class;  // biggest bytes first
  NodeSet nodes;
};

// Objects in `base` but not in `reduced`, with their shallow sizes, by class.
HeldOnly held_only(const Engine& engine, const NodeSet& base, const NodeSet& reduced);

}  // namespace heapscope::analysis
