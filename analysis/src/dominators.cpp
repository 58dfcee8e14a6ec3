#include "heapscope/analysis/dominators.h"

#include <algorithm>
#include <thread>
#include <utility>

#include "class_retained.h"
#include "predecessors.h"

namespace heapscope::analysis {
namespace {

using detail::EdgeBuckets;
using detail::Predecessors;
using hprof::detail::FlatArray;
constexpr uint32_t kUnvisited = 0;

// Iterative DFS from the root. Appends to `parent` each number's parent's number (number 0
// unused), and either writes each node's number to `num` as it is reached, or, when `order` is
// given, appends the nodes in preorder there (number - 1 -> node); returns the number of nodes
// reached, or 0 when cancelled. Whether a node is visited is a bit per node. Over spilled tables
// the DFS writes the preorder, in order, so that the pages it touches at random are the graph's
// alone (the node -> number map is scattered from it afterwards); in memory it writes the
// numbers at once, which spares the preorder (4 bytes per node) at the run's peak. Tree edges
// are marked in `buckets`; the other edges are counted later, in node order (predecessors.h).
// The root's children are reached from the root only (EdgeBuckets::is_root_child): this is a
// DFS of the graph without the edges into them, which has the same dominators.
uint32_t depth_first(const Graph& g, EdgeFilter filter, FlatArray<NodeIndex>* order,
                     FlatArray<uint32_t>& num, FlatArray<uint32_t>& parent, EdgeBuckets& buckets,
                     hprof::Progress& progress) {
  struct Frame {
    NodeIndex node;
    uint32_t number;
    uint64_t next;
  };
  std::vector<Frame> stack;
  std::vector<uint64_t> seen((uint64_t{g.node_count()} + 63) / 64, 0);
  uint32_t next_num = 0;
  parent.push_back(0);  // number 0 is unused
  auto visit = [&](NodeIndex v, uint32_t parent_num) {
    seen[v >> 6] |= uint64_t{1} << (v & 63);
    ++next_num;
    if (order) {
      order->push_back(v);
    } else {
      num[v] = next_num;
    }
    parent.push_back(parent_num);
    stack.push_back({v, next_num, g.edge_begin(v)});
  };
  const NodeIndex root = g.root();
  for (uint64_t e = g.edge_begin(root), end = g.edge_end(root); e < end; ++e) {
    if (g.follows(e, filter)) buckets.mark_root_child(g.target(e));
  }
  visit(root, 0);
  while (!stack.empty()) {
    Frame& f = stack.back();
    const uint64_t end = g.edge_end(f.node);
    bool descended = false;
    while (f.next < end) {
      const uint64_t e = f.next++;
      if (!g.follows(e, filter)) continue;
      const NodeIndex t = g.target(e);
      if (!(seen[t >> 6] >> (t & 63) & 1) && (f.node == root || !buckets.is_root_child(t))) {
        buckets.tree_edge(e);
        visit(t, f.number);  // may reallocate `stack`: `f` is not used after this
        descended = true;
        break;
      }
    }
    if (!descended) stack.pop_back();
    if ((next_num & 0xFFFFF) == 0 && descended) {
      progress.advance(next_num);
      if (progress.cancelled()) return 0;
    }
  }
  return next_num;
}

// Runs body(lo, hi) over [first, last) split into `threads` ranges, one per thread.
template <typename F>
void split_range(uint32_t first, uint32_t last, unsigned threads, F body) {
  if (threads < 2 || last - first < (1u << 16)) {
    body(first, last);
    return;
  }
  std::vector<std::thread> workers;
  const uint64_t span = last - first;
  for (unsigned t = 1; t < threads; ++t) {
    workers.emplace_back(body, static_cast<uint32_t>(first + span * t / threads),
                         static_cast<uint32_t>(first + span * (t + 1) / threads));
  }
  body(first, static_cast<uint32_t>(first + span / threads));
  for (auto& w : workers) w.join();
}

// What EVAL touches of one number, side by side: one cache miss instead of two on a heap
// whose DFS numbers jump around memory. The semidominators themselves, which only step 2 reads,
// are kept apart, and only where they differ from the parent (SemiBelowParent).
struct EvalInfo {
  uint32_t ancestor;  // DFS parent, path-compressed by eval()
  uint32_t label;     // the least semidominator number on the compressed path
};

// The semidominators step 2 needs: those below the parent, a bit per number and the values in
// the order step 1 finds them (numbers downwards), read back from the end as step 2 walks the
// numbers upwards. Elsewhere the semidominator is the parent, whose dominator step 2 takes as
// it is. On the 867 MB AppHeap that is 434,817 numbers of 11,044,985: 3 MiB instead of a 42 MiB
// table, at the end of step 1, the peak of `dominators`.
class SemiBelowParent {
 public:
  explicit SemiBelowParent(uint32_t reached)
      : marked_((uint64_t{reached} >> 6) + 1), values_(uint64_t{reached} + 1) {
    marked_.resize((uint64_t{reached} >> 6) + 1);
  }
  void add(uint32_t i, uint32_t semi) {  // i below every i added before
    marked_[i >> 6] |= uint64_t{1} << (i & 63);
    values_.push_back(semi);
  }
  bool has(uint32_t i) const { return marked_[i >> 6] >> (i & 63) & 1; }
  uint32_t next_up() { return values_[--taken_]; }  // the one of the smallest i not yet taken
  void start_upwards() { taken_ = values_.size(); }

 private:
  FlatArray<uint64_t> marked_;
  FlatArray<uint32_t> values_;
  uint64_t taken_ = 0;
};

// Numbers handled between two releases of the consumed predecessor lists.
constexpr uint32_t kReleaseEvery = 1u << 16;

// SEMI-NCA proper (Georgiadis, "Linear-Time Algorithms for Dominators and Related Problems",
// PhD thesis, Princeton 2005, ch. 2; Lengauer and Tarjan's EVAL with simple path compression).
// `idom` comes in holding the DFS parents and leaves holding the immediate dominators (number
// space). Returns false when cancelled.
//
// Step 1 walks the numbers downwards; when it is at i, only numbers > i are linked. EVAL of an
// unlinked number v returns v itself, so the info of a number is first written when the walk
// reaches it, and the info array fills from the top as the predecessor lists, consumed from the
// top, are given back: the two are never both whole (untouched pages of a FlatArray cost
// nothing). A label holds a semidominator number, not the vertex that has it (the minimum is
// all step 1 needs).
template <typename Off>
bool semi_nca(Predecessors<Off>& preds, FlatArray<uint32_t>& idom, uint32_t reached,
              hprof::Progress& progress) {
  FlatArray<EvalInfo> info(uint64_t{reached} + 1);
  info.resize(uint64_t{reached} + 1);
  SemiBelowParent semi(reached);
  std::vector<uint32_t> stack;
  auto eval = [&](uint32_t v, uint32_t last_linked) -> uint32_t {
    if (v < last_linked) return v;
    if (info[v].ancestor < last_linked) return info[v].label;
    do {
      stack.push_back(v);
      v = info[v].ancestor;
    } while (info[v].ancestor >= last_linked);
    uint32_t p = v;
    uint32_t p_label = info[p].label;
    do {
      v = stack.back();
      stack.pop_back();
      EvalInfo& x = info[v];
      x.ancestor = info[p].ancestor;
      if (p_label < x.label) {
        x.label = p_label;
      } else {
        p_label = x.label;
      }
      p = v;
    } while (!stack.empty());
    return info[v].label;
  };
  // Step 1: semidominators, in reverse preorder.
  for (uint32_t i = reached; i >= 2; --i) {
    uint32_t s = idom[i];  // the parent
    for (uint64_t k = preds.begin[i]; k < preds.begin[i + 1]; ++k) {
      const uint32_t u = eval(preds.list[k], i + 1);
      if (u < s) s = u;
    }
    info[i] = {idom[i], s};
    if (s < idom[i]) semi.add(i, s);
    if ((i & (kReleaseEvery - 1)) == 0) {
      preds.list.resize(preds.begin[i]);
      preds.list.trim();
      preds.begin.resize(uint64_t{i} + 1);
      preds.begin.trim();
      progress.advance(reached - i);
      if (progress.cancelled()) return false;
    }
  }
  preds = {};
  info.clear();
  // Step 2: idom = the nearest ancestor of the parent in the partial tree numbered <= semi
  // (the parent itself where the semidominator is the parent).
  semi.start_upwards();
  for (uint32_t i = 2; i <= reached; ++i) {
    if (!semi.has(i)) continue;
    const uint32_t s = semi.next_up();
    uint32_t d = idom[i];
    while (d > s) d = idom[d];
    idom[i] = d;
  }
  return true;
}

template <typename Off>
bool dominators_in_number_space(const Graph& g, EdgeFilter filter, const FlatArray<uint32_t>& num,
                                FlatArray<uint32_t>& parent, uint32_t reached, EdgeBuckets buckets,
                                unsigned threads, hprof::Progress& progress, const EdgeUse& edges) {
  progress.begin("dominators: predecessors", reached);
  auto preds = detail::build_predecessors<Off>(g, filter, num, reached, std::move(buckets), threads,
                                               progress, edges);
  num.set_aside();  // read again only after SEMI-NCA
  if (progress.cancelled()) return false;
  progress.begin("dominators: semi-nca", reached);
  return semi_nca(preds, parent, reached, progress);
}

}  // namespace

DominatorTree DominatorTree::compute(const Graph& g, EdgeFilter filter, hprof::Progress* p,
                                     unsigned threads, const EdgeUse& edges) {
  hprof::Progress& progress = p ? *p : hprof::null_progress();
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  const uint32_t n = g.node_count();
  DominatorTree tree;
  tree.filter_ = filter;
  tree.root_ = g.root();

  progress.begin("dominators: dfs", n);
  FlatArray<uint32_t> parent(uint64_t{n} + 1);
  FlatArray<uint32_t> num(n);
  // A cancelled computation returns an empty tree; Engine::build reports kCancelled.
  EdgeBuckets buckets(g, threads);
  uint32_t reached;
  num.resize(n);
  if (num.file_backed()) {
    FlatArray<NodeIndex> order(n);
    reached = depth_first(g, filter, &order, num, parent, buckets, progress);
    if (reached == 0) return DominatorTree{};
    split_range(0, reached, threads, [&](uint32_t lo, uint32_t hi) {
      for (uint32_t k = lo; k < hi; ++k) num[order[k]] = k + 1;
    });
  } else {
    reached = depth_first(g, filter, nullptr, num, parent, buckets, progress);
    if (reached == 0) return DominatorTree{};
  }

  // Predecessor offsets in 32 bits while the edges allow (a predecessor is an edge).
  const bool ok =
      g.edge_count() < UINT32_MAX
          ? dominators_in_number_space<uint32_t>(g, filter, num, parent, reached,
                                                 std::move(buckets), threads, progress, edges)
          : dominators_in_number_space<uint64_t>(g, filter, num, parent, reached,
                                                 std::move(buckets), threads, progress, edges);
  if (!ok) return DominatorTree{};
  FlatArray<uint32_t>& idom = parent;

  // The preorder (number - 1 -> node), then the dominators back in node space. The preorder is
  // rebuilt here from the numbers (a spilled DFS wrote it once and gave it back after scattering
  // the numbers): kept, it would be 4 bytes per node more through the predecessor lists and
  // SEMI-NCA, the peak.
  FlatArray<NodeIndex> preorder(reached);
  preorder.resize(reached);
  for (NodeIndex v = 0; v < n; ++v) {
    if (num[v] != kUnvisited) preorder[num[v] - 1] = v;
  }
  tree.idom_.reserve(n);
  tree.idom_.resize(n);
  for (NodeIndex v = 0; v < n; ++v) {
    const uint32_t i = num[v];
    tree.idom_[v] = i >= 2 ? preorder[idom[i] - 1] : kNoNode;
  }
  tree.numbers_ = std::move(num);
  tree.idom_numbers_ = std::move(idom);
  tree.preorder_ = std::move(preorder);
  progress.advance(reached);
  return tree;
}

namespace {

// Retained sizes in DFS-number space, for a tree that kept its numbers (an engine whose tables
// are spilled): each number's own size, one serial sweep in reverse preorder adding each number
// to its dominator's, then the sums brought to node space in node order through each node's
// number; objects first, then bytes. The sweep reads the dominators' numbers in order, and a
// dominator, an ancestor, is near in number space (a chain's is the number before) or one of few
// and hot (a wide fan's): under a memory limit that keeps the pages it touches resident. The
// node-space sweep below makes five reads and writes at random per node, over more tables than a
// small cgroup holds; in memory it is the faster one (its shallow sizes are read in node order,
// here at random), so it stays the default. Given the index, the retained bytes per class follow
// from the same number-space tables (the class read beside the size), with no second pass over
// node-space tables at random.
template <typename Size>
Retained sweep_by_number(const DominatorTree& tree, uint32_t n, Size shallow,
                         const hprof::Index* index, bool by_class) {
  const auto order = tree.preorder();   // number - 1 -> node
  const auto up = tree.idom_numbers();  // number -> the dominator's number
  const auto reached = static_cast<uint32_t>(order.size());
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  Retained r;
  FlatArray<uint32_t> count(uint64_t{reached} + 1);
  count.resize(uint64_t{reached} + 1);
  for (uint32_t i = 2; i <= reached; ++i) count[i] = 1;
  for (uint32_t i = reached; i >= 2; --i) count[up[i]] += count[i];
  FlatArray<uint32_t> klass;  // number -> class, with the index, for the class sums
  const hprof::Index* classes = by_class ? index : nullptr;
  if (classes) {
    klass.reserve(uint64_t{reached} + 1);
    klass.resize(uint64_t{reached} + 1);
  }
  FlatArray<uint64_t> bytes(uint64_t{reached} + 1);
  bytes.resize(uint64_t{reached} + 1);
  if (index) {
    // Two gathers, each reading one node-space table at random (4 bytes per node, which a
    // small cgroup holds beside the streams), instead of one reading the three the shallow
    // size and the class come from: the sizes are first put in node order (reading the index
    // in order), capped to 32 bits (a bigger one is asked again).
    constexpr uint32_t kBig = UINT32_MAX;
    {
      FlatArray<uint32_t> own(n);
      own.resize(n);
      split_range(0, n - 1, threads, [&](uint32_t lo, uint32_t hi) {
        for (NodeIndex v = lo; v < hi; ++v)
          own[v] = static_cast<uint32_t>(std::min<uint64_t>(shallow(v), kBig));
      });
      split_range(2, reached + 1, threads, [&](uint32_t lo, uint32_t hi) {
        for (uint32_t i = lo; i < hi; ++i) {
          const uint32_t s = own[order[i - 1]];
          bytes[i] = s != kBig ? s : shallow(order[i - 1]);
        }
      });
    }
    if (classes) {
      split_range(2, reached + 1, threads, [&](uint32_t lo, uint32_t hi) {
        for (uint32_t i = lo; i < hi; ++i) klass[i] = classes->class_of(order[i - 1]);
      });
    }
  } else {
    split_range(2, reached + 1, threads, [&](uint32_t lo, uint32_t hi) {
      for (uint32_t i = lo; i < hi; ++i) bytes[i] = shallow(order[i - 1]);
    });
  }
  for (uint32_t i = reached; i >= 2; --i) bytes[up[i]] += bytes[i];
  if (classes && reached >= 2) {
    // class_retained.h's positions are numbers - 1.
    FlatArray<uint32_t> position(reached);
    position.resize(reached);
    for (uint32_t i = 1; i < reached; ++i) position[i] = up[i + 1] - 1;
    r.by_class.assign(classes->class_count(), 0);
    detail::add_topmost_by_class(position, count.data() + 1, klass.data() + 1, bytes.data() + 1,
                                 nullptr, reached, r.by_class);
  }
  klass.clear();
  // Then to node space, one table at a time, written in order (each node's number says where
  // its sum is): what is read at random is a number-space table, whose pages stay clean.
  const auto number = tree.numbers();
  r.count.reserve(n);
  r.count.resize(n);
  split_range(0, n, threads, [&](uint32_t lo, uint32_t hi) {
    for (NodeIndex v = lo; v < hi; ++v) r.count[v] = number[v] ? count[number[v]] : 0;
  });
  count.clear();
  r.bytes.reserve(n);
  r.bytes.resize(n);
  split_range(0, n, threads, [&](uint32_t lo, uint32_t hi) {
    for (NodeIndex v = lo; v < hi; ++v) r.bytes[v] = number[v] ? bytes[number[v]] : 0;
  });
  return r;
}

// One serial sweep in reverse preorder adding each node's sums (one or more tables) to its
// dominator's. Every step reads node-indexed entries at random and updates its dominator's: the
// entries kAhead steps on are prefetched, and the dominator's sums half as far on (its idom entry
// has arrived by then), so that many cache misses are in flight instead of one.
template <typename... T>
void sum_up(const DominatorTree& tree, T*... sums) {
  constexpr size_t kAhead = 32;
  const auto order = tree.preorder();
  const NodeIndex* idom = tree.idoms().data();
  for (size_t i = order.size(); i-- > 1;) {
    if (i > kAhead) {
      const NodeIndex f = order[i - kAhead];
      __builtin_prefetch(idom + f);
      (__builtin_prefetch(sums + f), ...);
    }
    if (i > kAhead / 2) {
      const NodeIndex d = idom[order[i - kAhead / 2]];
      (__builtin_prefetch(sums + d, 1), ...);
    }
    const NodeIndex v = order[i];
    const NodeIndex d = idom[v];
    ((sums[d] += sums[v]), ...);
  }
}

// In node space (a tree that gave its numbers back: in memory): the object counts and bytes
// filled in node order on all cores (sequential reads of the index), then summed up the tree in
// a serial sweep. With the class sums, the counts are filled and summed first and alone: the
// placement (class_retained.h) reads them and the classes only, and its tables are given back
// before the bytes (8 per node) are filled, so that the two are never resident together (the
// peak of `analyze` otherwise); the class sums are then taken from the topmost objects in node
// order. Without, one sweep sums both.
template <typename Size>
Retained sweep_by_node(const DominatorTree& tree, uint32_t n, Size shallow,
                       const hprof::Index* classes) {
  Retained r;
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  auto counted = [&](NodeIndex v) { return v != tree.root() && tree.reachable(v); };
  r.count.reserve(n);
  r.count.resize(n);
  split_range(0, n, threads, [&](uint32_t lo, uint32_t hi) {
    for (NodeIndex v = lo; v < hi; ++v) r.count[v] = counted(v);
  });
  std::vector<uint64_t> topmost;
  if (classes) {
    sum_up(tree, r.count.data());
    topmost = detail::topmost_by_placement(tree, r.count.data(), *classes);
  }
  r.bytes.reserve(n);
  r.bytes.resize(n);
  split_range(0, n, threads, [&](uint32_t lo, uint32_t hi) {
    for (NodeIndex v = lo; v < hi; ++v) {
      if (counted(v)) r.bytes[v] = shallow(v);
    }
  });
  if (!classes) {
    sum_up(tree, r.count.data(), r.bytes.data());
    return r;
  }
  sum_up(tree, r.bytes.data());
  r.by_class.assign(classes->class_count(), 0);
  for (NodeIndex v = 0; v < classes->object_count(); ++v) {
    if (topmost[v >> 6] >> (v & 63) & 1) r.by_class[classes->class_of(v)] += r.bytes[v];
  }
  return r;
}

template <typename Size>
Retained sweep_retained(const DominatorTree& tree, uint32_t n, Size shallow,
                        const hprof::Index* index, bool by_class) {
  if (tree.idom_numbers().size() == uint64_t{tree.reachable_count()} + 1 &&
      tree.numbers().size() == n) {
    return sweep_by_number(tree, n, shallow, index, by_class);
  }
  return sweep_by_node(tree, n, shallow, by_class ? index : nullptr);
}

}  // namespace

Retained compute_retained(const DominatorTree& tree, const hprof::Index& index, bool by_class) {
  return sweep_retained(
      tree, index.object_count() + 1, [&](NodeIndex v) { return index.shallow_size(v); }, &index,
      by_class);
}

Retained compute_retained(const DominatorTree& tree, std::span<const uint64_t> shallow) {
  return sweep_retained(
      tree, static_cast<uint32_t>(shallow.size()), [&](NodeIndex v) { return shallow[v]; }, nullptr,
      false);
}

DominatorChildren::DominatorChildren(const DominatorTree& tree, const Retained& retained)
    : retained_(retained) {
  const size_t n = retained.bytes.size();
  begin_.assign(n + 2, 0);
  for (NodeIndex v : tree.preorder()) {
    if (v != tree.root()) ++begin_[tree.idom(v) + 2];
  }
  for (size_t i = 2; i < begin_.size(); ++i) begin_[i] += begin_[i - 1];
  children_.resize(begin_[n + 1]);
  for (NodeIndex v : tree.preorder()) {
    if (v != tree.root()) children_[begin_[tree.idom(v) + 1]++] = v;
  }
  begin_.pop_back();
  sorted_.assign(n, false);
}

std::span<const NodeIndex> DominatorChildren::of(NodeIndex n) {
  auto first = children_.begin() + static_cast<std::ptrdiff_t>(begin_[n]);
  auto last = children_.begin() + static_cast<std::ptrdiff_t>(begin_[n + 1]);
  if (!sorted_[n]) {
    std::sort(first, last, [&](NodeIndex a, NodeIndex b) { return retains_more(retained_, a, b); });
    sorted_[n] = true;
  }
  return {children_.data() + begin_[n], static_cast<size_t>(last - first)};
}

namespace {

// Nodes reachable from the root when `removed` is deleted.
std::vector<uint8_t> reachable_without(const Graph& g, EdgeFilter filter, NodeIndex removed) {
  std::vector<uint8_t> seen(g.node_count(), 0);
  std::vector<NodeIndex> work{g.root()};
  seen[g.root()] = 1;
  while (!work.empty()) {
    const NodeIndex v = work.back();
    work.pop_back();
    for (uint64_t e = g.edge_begin(v), end = g.edge_end(v); e < end; ++e) {
      const NodeIndex t = g.target(e);
      if (!g.follows(e, filter) || t == removed || seen[t]) continue;
      seen[t] = 1;
      work.push_back(t);
    }
  }
  return seen;
}

}  // namespace

std::string verify_dominators(const Graph& g, const DominatorTree& tree,
                              std::span<const NodeIndex> check) {
  const uint32_t n = g.node_count();
  std::vector<std::vector<NodeIndex>> children_of;
  std::vector<NodeIndex> all;
  if (check.empty()) {
    all.assign(tree.preorder().begin(), tree.preorder().end());
    check = all;
  }
  // Reachability must agree with a plain search.
  const auto reach = reachable_without(g, tree.filter(), kNoNode);
  for (NodeIndex v = 0; v < n; ++v) {
    if (static_cast<bool>(reach[v]) != tree.reachable(v)) {
      return "node " + std::to_string(v) + " reachability disagrees with a plain search";
    }
  }
  std::vector<std::vector<NodeIndex>> kids(n);
  for (NodeIndex v : tree.preorder()) {
    if (v != tree.root()) kids[tree.idom(v)].push_back(v);
  }
  for (NodeIndex p : check) {
    if (p == tree.root() || kids[p].empty()) continue;
    const auto without_p = reachable_without(g, tree.filter(), p);
    for (NodeIndex c : kids[p]) {
      if (without_p[c]) {
        return "parent property: node " + std::to_string(c) + " stays reachable without its idom " +
               std::to_string(p);
      }
    }
  }
  for (NodeIndex p : check) {
    const auto& sib = kids[p];
    if (sib.size() < 2 || sib.size() > 64) continue;
    for (NodeIndex a : sib) {
      const auto without_a = reachable_without(g, tree.filter(), a);
      for (NodeIndex b : sib) {
        if (a != b && !without_a[b]) {
          return "sibling property: removing " + std::to_string(a) + " cuts its sibling " +
                 std::to_string(b);
        }
      }
    }
  }
  return {};
}

}  // namespace heapscope::analysis
