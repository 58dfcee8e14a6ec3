// A class's retained size is the sum over its objects that have no dominator-tree ancestor of
// the same class. The dominator subtrees are laid out as intervals of a preorder of the
// dominator tree, placed from their sizes (the retained object counts) in one pass over the DFS
// preorder, where a dominator comes before what it dominates: no child lists, and no pointer
// chasing. Walking the positions in order, an object is the topmost of its class exactly when it
// lies past the end of the last topmost interval of that class (subtree intervals nest or are
// disjoint).
#include "class_retained.h"

#include <algorithm>
#include <optional>
#include <span>

#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/histogram.h"
#include "heapscope/hprof/spill.h"

namespace heapscope::analysis {
namespace {

using hprof::detail::FlatArray;

// A table of `size` entries, not cleared: every walk below writes an entry before reading it.
template <typename T>
FlatArray<T> table(uint64_t size) {
  FlatArray<T> t(size);
  t.resize(size);
  return t;
}

// What both walks read; `total` (per class) is theirs to fill. At least two nodes reached.
struct Walk {
  explicit Walk(const Engine& engine)
      : index(engine.index()),
        tree(engine.tree()),
        count(engine.retained().count),
        bytes(engine.retained().bytes),
        order(tree.preorder()),
        n(uint64_t{index.object_count()} + 1),
        reached(static_cast<uint32_t>(order.size())),
        total(index.class_count(), 0) {}
  const hprof::Index& index;
  const DominatorTree& tree;
  const FlatArray<uint32_t>& count;
  const FlatArray<uint64_t>& bytes;
  std::span<const NodeIndex> order;
  uint64_t n;
  uint32_t reached;
  std::vector<uint64_t> total;
};

// Both loops read node-indexed tables at random in an order known ahead (the preorder, then the
// positions): each prefetches the entries it will need kAhead steps later, and the cursor of
// the dominator half as far ahead (its idom entry arrived by then), so that about kAhead cache
// misses are in flight instead of one.
constexpr uint32_t kAhead = 32;

void by_placement(Walk& w) {
  auto& [index, tree, count, bytes, order, n, reached, total] = w;
  const auto topmost = detail::topmost_by_placement(tree, count.data(), index);
  for (NodeIndex v = 0; v < index.object_count(); ++v) {
    if (topmost[v >> 6] >> (v & 63) & 1) total[index.class_of(v)] += bytes[v];
  }
}

// The same placement and scan, in DFS-number space i (order[i] is the node): every pass below
// reads or writes at most one large table at random; the others are read or written in order.
void by_ordered_passes(Walk& w) {
  auto& [index, tree, count, bytes, order, n, reached, total] = w;
  // up[i]: the number of i's immediate dominator (always below i), later i's position.
  auto up = table<uint32_t>(reached);
  {
    auto number = table<uint32_t>(n);
    for (uint32_t i = 0; i < reached; ++i) number[order[i]] = i;         // random: number
    for (uint32_t i = 1; i < reached; ++i) up[i] = tree.idom(order[i]);  // random: idom
    for (uint32_t i = 1; i < reached; ++i) up[i] = number[up[i]];        // random: number
  }
  auto size = table<uint32_t>(reached);
  for (uint32_t i = 1; i < reached; ++i) size[i] = count[order[i]];  // random: count
  auto klass = table<uint32_t>(reached);
  for (uint32_t i = 1; i < reached; ++i) klass[i] = index.class_of(order[i]);  // random: index
  detail::add_topmost_by_class(up, size.data(), klass.data(), bytes.data(), order.data(), reached,
                               total);
}

}  // namespace

std::vector<uint64_t> detail::topmost_by_placement(const DominatorTree& tree, const uint32_t* count,
                                                   const hprof::Index& index) {
  const NodeIndex* idom = tree.idoms().data();
  const auto order = tree.preorder();
  const auto reached = static_cast<uint32_t>(order.size());
  const uint64_t n = tree.idoms().size();
  std::vector<uint64_t> topmost((n + 63) / 64, 0);
  if (reached < 2) return topmost;
  // at[p]: the node at position p; the root is position 0 and its interval all of them (a
  // dominator is placed before what it dominates).
  auto at = table<uint32_t>(reached);
  {
    auto cursor = table<uint32_t>(n);
    cursor[tree.root()] = 1;
    for (uint32_t i = 1; i < reached; ++i) {
      if (i + kAhead < reached) {
        const NodeIndex f = order[i + kAhead];
        __builtin_prefetch(idom + f);
        __builtin_prefetch(count + f);
        __builtin_prefetch(cursor.data() + f, 1);
      }
      if (i + kAhead / 2 < reached)
        __builtin_prefetch(cursor.data() + idom[order[i + kAhead / 2]], 1);
      const NodeIndex v = order[i];
      uint32_t& next = cursor[idom[v]];
      const uint32_t p = next;
      next += count[v];
      cursor[v] = p + 1;
      at[p] = v;
    }
  }
  std::vector<uint32_t> active_end(index.class_count(), 0);
  for (uint32_t p = 1; p < reached; ++p) {
    if (p + kAhead < reached) {
      const NodeIndex f = at[p + kAhead];
      index.prefetch_class_of(f);
      __builtin_prefetch(count + f);
    }
    const NodeIndex v = at[p];
    const auto k = index.class_of(v);
    if (p < active_end[k]) continue;
    topmost[v >> 6] |= uint64_t{1} << (v & 63);
    active_end[k] = p + count[v];
  }
  return topmost;
}

void detail::add_topmost_by_class(FlatArray<uint32_t>& up, const uint32_t* size,
                                  const uint32_t* klass, const uint64_t* bytes,
                                  const uint32_t* node, uint32_t reached,
                                  std::vector<uint64_t>& total) {
  {
    auto cursor = table<uint32_t>(reached);
    cursor[0] = 1;
    for (uint32_t i = 1; i < reached; ++i) {  // random: cursor
      uint32_t& next = cursor[up[i]];
      const uint32_t p = next;
      next += size[i];
      cursor[i] = p + 1;
      up[i] = p;
    }
  }
  const FlatArray<uint32_t>& position = up;
  std::vector<uint64_t> topmost((uint64_t{reached} + 63) / 64, 0);
  {
    struct Placed {
      uint32_t klass;
      uint32_t size;
    };
    auto placed = table<Placed>(reached);
    for (uint32_t i = 1; i < reached; ++i) placed[position[i]] = {klass[i], size[i]};  // random
    std::vector<uint32_t> active_end(total.size(), 0);
    for (uint32_t p = 1; p < reached; ++p) {
      const Placed x = placed[p];
      if (p < active_end[x.klass]) continue;
      topmost[p >> 6] |= uint64_t{1} << (p & 63);
      active_end[x.klass] = p + x.size;
    }
  }
  for (uint32_t i = 1; i < reached; ++i) {  // with `node`, random: bytes of the topmost only
    const uint32_t p = position[i];
    if (topmost[p >> 6] >> (p & 63) & 1) total[klass[i]] += bytes[node ? node[i] : i];
  }
}

std::vector<uint64_t> class_retained_bytes(const Engine& engine, ClassRetainedWalk walk) {
  // The engine's tables went to spill files: these go there too (anonymous memory cannot be
  // reclaimed under the limit).
  std::optional<hprof::SpillStorage> storage;
  if (!engine.spill_use().dir.empty()) storage.emplace(engine.spill_use().dir);
  hprof::SpillScope scope(storage ? &*storage : nullptr);
  Walk w(engine);
  if (w.reached < 2) return std::move(w.total);
  if (walk == ClassRetainedWalk::kPlacement) {
    by_placement(w);
  } else {
    by_ordered_passes(w);
  }
  return std::move(w.total);
}

void add_retained(std::vector<HistogramRow>& rows, const Engine& engine) {
  const auto& summed = engine.retained().by_class;  // beside the retained sizes (dominators.h)
  const auto total = !summed.empty()
                         ? summed
                         : class_retained_bytes(engine, engine.spill_use().dir.empty()
                                                            ? ClassRetainedWalk::kPlacement
                                                            : ClassRetainedWalk::kOrderedPasses);
  for (auto& r : rows) r.retained_bytes = total[r.klass];
}

}  // namespace heapscope::analysis
