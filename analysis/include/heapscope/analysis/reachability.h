// "Held only by X": the objects that become unreachable from the GC roots when some edges are
// cut. Two marking passes (breadth-first, iterative) over the graph; the difference is the set
// that X alone keeps alive, i.e. what the collector could free if X let go.
#pragma once

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

 private:
  std::vector<uint64_t> bits_;
};

// Nodes reachable from the virtual root through edges `filter` keeps and `cut` does not reject
// (cut(from, edge) == true removes that edge). `cut` may be empty.
NodeSet mark_reachable(const Graph& graph, EdgeFilter filter,
                       const std::function<bool(NodeIndex, uint64_t)>& cut = {});

struct HeldOnly {
  uint64_t count = 0;
  uint64_t bytes = 0;
  std::vector<ClassCount> by_class;  // biggest bytes first
  NodeSet nodes;
};

// Objects in `base` but not in `reduced`, with their shallow sizes, by class.
HeldOnly held_only(const Engine& engine, const NodeSet& base, const NodeSet& reduced);

}  // namespace heapscope::analysis
