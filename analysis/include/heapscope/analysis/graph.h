// The object graph in compressed sparse row form over dense u32 node numbers.
//
// Node n < object_count() is object n of the index; node root() == object_count() is the virtual
// root whose successors are the GC roots. Edges follow Eclipse MAT (docs/notes/retained-size.md):
// every non-null reference field (including Reference.referent, marked as such), object-array
// elements, object -> its class, class -> superclass, class loader and static references,
// thread -> the locals of its Java frames and JNI locals (those are not GC roots then).
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "heapscope/analysis/fields.h"
#include "heapscope/hprof/ascending_table.h"
#include "heapscope/hprof/error.h"
#include "heapscope/hprof/flat_array.h"
#include "heapscope/hprof/index.h"
#include "heapscope/hprof/progress.h"

namespace heapscope::analysis {

using NodeIndex = uint32_t;
inline constexpr NodeIndex kNoNode = 0xFFFFFFFFu;

// Which edges an algorithm follows.
enum class EdgeFilter : uint8_t {
  kAll,         // every reference, as Eclipse MAT does for retained sizes
  kStrongOnly,  // skip Reference.referent: what keeps an object alive for the GC
};
const char* to_string(EdgeFilter f);  // "mat" or "strong-only"

struct GraphOptions {
  uint32_t threads = 0;       // 0 = all cores
  bool release_pages = true;  // give back the dump's pages behind the scan
  hprof::Progress* progress = nullptr;
};

class Graph {
 public:
  static hprof::Result<Graph> build(const hprof::Index& index, const FieldLayouts& layouts,
                                    const GraphOptions& options = {});
  // A graph given edge by edge over nodes 0..n-1, with `roots` hanging off the virtual root n
  // (tests, oracles). `referents` marks edges (by position in `edges`) as Reference.referent.
  static Graph from_edges(uint32_t n, std::span<const std::pair<NodeIndex, NodeIndex>> edges,
                          std::span<const NodeIndex> roots,
                          std::span<const uint8_t> referents = {});

  uint32_t node_count() const {
    return released_nodes_ ? released_nodes_ : static_cast<uint32_t>(offsets_.size() - 1);
  }
  NodeIndex root() const { return node_count() - 1; }
  uint64_t edge_count() const { return offsets_.back(); }
  uint64_t edge_begin(NodeIndex n) const { return offsets_[n]; }
  uint64_t edge_end(NodeIndex n) const { return offsets_[n + 1]; }
  NodeIndex target(uint64_t edge) const { return targets_[edge]; }
  std::span<const NodeIndex> successors(NodeIndex n) const {
    return {targets_.data() + offsets_[n], targets_.data() + offsets_[n + 1]};
  }
  bool is_referent(uint64_t edge) const { return referent_bits_[edge >> 6] >> (edge & 63) & 1; }
  bool follows(uint64_t edge, EdgeFilter f) const {
    return f == EdgeFilter::kAll || !is_referent(edge);
  }
  // References to ids the dump does not hold (fields and array elements).
  uint64_t dangling_references() const { return dangling_; }
  // Gives back the edge tables when nothing will follow an edge again. node_count(), root() and
  // dangling_references() keep answering; every other member must not be called afterwards.
  void release_edges();
  // Gives back, page by page, the edge tables of nodes [first, last) that a last pass in node
  // order has read for the last time (the pages wholly inside their stretch). Afterwards the
  // edges of those nodes must not be read; edge_begin(first), edge_end(last - 1) and every other
  // node's edges still answer, so passes over other node ranges may run at the same time.
  void discard_edges(NodeIndex first, NodeIndex last);
  bool has_edges() const { return released_nodes_ == 0; }

 private:
  friend class GraphBuilder;
  friend class EngineCache;  // the on-disk cache (engine_cache.cpp)
  // node_count + 1 edge offsets, ~2 bytes each (ascending_table.h)
  hprof::detail::AscendingTable offsets_;
  hprof::detail::FlatArray<NodeIndex> targets_;
  std::vector<uint64_t> referent_bits_;
  uint64_t dangling_ = 0;
  uint32_t released_nodes_ = 0;  // node_count() once the edges are given back
};

}  // namespace heapscope::analysis
