// SEMI-NCA against the definition of dominance, on thousands of random graphs.
//
// Oracle: d dominates v (d != v) exactly when v is reachable from the root but not once d is
// removed. The immediate dominator is the strict dominator of v that every other strict
// dominator of v dominates; retained(v) = v plus everything that becomes unreachable without v.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <random>
#include <vector>

#include "heapscope/analysis/dominators.h"

namespace heapscope::analysis {
namespace {

using Edges = std::vector<std::pair<NodeIndex, NodeIndex>>;

struct Case {
  uint32_t n;
  Edges edges;
  std::vector<NodeIndex> roots;
  std::vector<uint8_t> referents;
};

// Reachable set from the virtual root (node n) without `removed`, following `filter`.
std::vector<uint8_t> reach(const Graph& g, EdgeFilter filter, NodeIndex removed) {
  std::vector<uint8_t> seen(g.node_count(), 0);
  if (removed == g.root()) return seen;
  std::vector<NodeIndex> work{g.root()};
  seen[g.root()] = 1;
  while (!work.empty()) {
    NodeIndex v = work.back();
    work.pop_back();
    for (uint64_t e = g.edge_begin(v); e < g.edge_end(v); ++e) {
      NodeIndex t = g.target(e);
      if (!g.follows(e, filter) || t == removed || seen[t]) continue;
      seen[t] = 1;
      work.push_back(t);
    }
  }
  return seen;
}

struct Oracle {
  std::vector<NodeIndex> idom;
  std::vector<uint64_t> retained;
};

Oracle brute_force(const Graph& g, EdgeFilter filter, const std::vector<uint64_t>& size) {
  const uint32_t n = g.node_count();
  const auto all = reach(g, filter, kNoNode);
  // dom[d][v]: d strictly dominates v.
  std::vector<std::vector<uint8_t>> dom(n, std::vector<uint8_t>(n, 0));
  for (NodeIndex d = 0; d < n; ++d) {
    if (!all[d]) continue;
    const auto without = reach(g, filter, d);
    for (NodeIndex v = 0; v < n; ++v) dom[d][v] = all[v] && v != d && !without[v];
  }
  Oracle o;
  o.idom.assign(n, kNoNode);
  o.retained.assign(n, 0);
  for (NodeIndex v = 0; v < n; ++v) {
    if (!all[v] || v == g.root()) continue;
    for (NodeIndex d = 0; d < n; ++d) {
      if (!dom[d][v]) continue;
      bool closest = true;  // every other strict dominator of v dominates d
      for (NodeIndex x = 0; x < n && closest; ++x) {
        if (x != d && dom[x][v] && !dom[x][d]) closest = false;
      }
      if (closest) o.idom[v] = d;
    }
  }
  for (NodeIndex v = 0; v < n; ++v) {
    if (!all[v] || v == g.root()) continue;
    o.retained[v] = size[v];
    for (NodeIndex w = 0; w < n; ++w) {
      if (dom[v][w] && w != g.root()) o.retained[v] += size[w];
    }
  }
  return o;
}

Case random_case(std::mt19937& rng, uint32_t max_nodes) {
  Case c;
  c.n = 1 + rng() % max_nodes;
  const int shape = rng() % 4;
  if (shape == 0) {  // a chain, with a few back and cross edges
    for (NodeIndex i = 0; i + 1 < c.n; ++i) c.edges.push_back({i, i + 1});
    for (uint32_t k = 0; k < c.n / 4; ++k) c.edges.push_back({rng() % c.n, rng() % c.n});
  } else {
    const uint32_t m = rng() % (3 * c.n + 1);
    for (uint32_t k = 0; k < m; ++k) c.edges.push_back({rng() % c.n, rng() % c.n});
  }
  const uint32_t roots = 1 + rng() % (shape == 3 ? 4 : 2);
  for (uint32_t k = 0; k < roots; ++k) c.roots.push_back(rng() % c.n);
  for (size_t k = 0; k < c.edges.size(); ++k) c.referents.push_back(rng() % 5 == 0);
  return c;
}

TEST(Dominators, MatchBruteForceOnRandomGraphs) {
  std::mt19937 rng(12345);
  for (int seed = 0; seed < 3000; ++seed) {
    const Case c = random_case(rng, seed < 2000 ? 12 : 40);
    const Graph g = Graph::from_edges(c.n, c.edges, c.roots, c.referents);
    std::vector<uint64_t> size(g.node_count());
    for (auto& s : size) s = 1 + rng() % 100;
    for (EdgeFilter filter : {EdgeFilter::kAll, EdgeFilter::kStrongOnly}) {
      const auto tree = DominatorTree::compute(g, filter);
      const auto oracle = brute_force(g, filter, size);
      const auto retained = compute_retained(tree, size);
      for (NodeIndex v = 0; v < g.node_count(); ++v) {
        ASSERT_EQ(tree.idom(v), oracle.idom[v]) << "seed " << seed << " node " << v;
        if (v != g.root()) {
          ASSERT_EQ(retained.bytes[v], oracle.retained[v]) << "seed " << seed << " node " << v;
        }
      }
      ASSERT_EQ(verify_dominators(g, tree), "") << "seed " << seed;
    }
  }
}

// Many GC roots, and most edges pointing at them (every instance's edge to its class, on a
// heap): the DFS and the predecessor lists leave those edges out, which must change no
// dominator, of the roots' objects or of anything reached through them.
TEST(Dominators, EdgesIntoGcRootsChangeNoDominator) {
  std::mt19937 rng(777);
  for (int seed = 0; seed < 600; ++seed) {
    const uint32_t n = 2 + rng() % 30;
    Case c;
    c.n = n;
    for (uint32_t k = 0; k < n / 3 + 1; ++k) c.roots.push_back(rng() % n);
    const uint32_t m = rng() % (3 * n + 1);
    for (uint32_t k = 0; k < m; ++k) {
      const NodeIndex to = rng() % 2 ? c.roots[rng() % c.roots.size()] : rng() % n;
      c.edges.push_back({static_cast<NodeIndex>(rng() % n), to});
      c.referents.push_back(rng() % 4 == 0);
    }
    const Graph g = Graph::from_edges(c.n, c.edges, c.roots, c.referents);
    std::vector<uint64_t> size(g.node_count(), 1);
    for (EdgeFilter filter : {EdgeFilter::kAll, EdgeFilter::kStrongOnly}) {
      const auto tree = DominatorTree::compute(g, filter);
      const auto oracle = brute_force(g, filter, size);
      for (NodeIndex v = 0; v < g.node_count(); ++v) {
        ASSERT_EQ(tree.idom(v), oracle.idom[v]) << "seed " << seed << " node " << v;
      }
      for (NodeIndex r : c.roots) ASSERT_EQ(tree.idom(r), g.root()) << "seed " << seed;
    }
  }
  // By hand: root -> 0 -> 1 -> 2 -> 3, with 2 a GC root too: 2's dominator is the root, not
  // 1, and 3's is 2; 4 is unreachable.
  const Edges edges{{0, 1}, {1, 2}, {2, 3}};
  const std::vector<NodeIndex> roots{0, 2};
  const Graph g = Graph::from_edges(5, edges, roots);
  const auto tree = DominatorTree::compute(g, EdgeFilter::kAll);
  EXPECT_EQ(tree.idom(0), g.root());
  EXPECT_EQ(tree.idom(1), 0u);
  EXPECT_EQ(tree.idom(2), g.root());
  EXPECT_EQ(tree.idom(3), 2u);
  EXPECT_FALSE(tree.reachable(4));
}

TEST(Dominators, VerifierRejectsATreeOfAnotherGraph) {
  // Root -> 0 -> 1 -> 2: 1 dominates 2. Adding 0 -> 2 makes 0 the idom of 2.
  const Edges chain{{0, 1}, {1, 2}};
  const Edges shortcut{{0, 1}, {1, 2}, {0, 2}};
  const std::vector<NodeIndex> roots{0};
  const Graph a = Graph::from_edges(3, chain, roots);
  const Graph b = Graph::from_edges(3, shortcut, roots);
  const auto tree_a = DominatorTree::compute(a, EdgeFilter::kAll);
  EXPECT_EQ(verify_dominators(a, tree_a), "");
  EXPECT_NE(verify_dominators(b, tree_a), "");
}

TEST(Dominators, ReferentEdgesDoNotRetainUnderStrongOnly) {
  // Root -> 0 (a Reference) -referent-> 1 -> 2; root -> 3 -> 1.
  const Edges edges{{0, 1}, {1, 2}, {3, 1}};
  const std::vector<uint8_t> referent{1, 0, 0};
  const std::vector<NodeIndex> roots{0, 3};
  const Graph g = Graph::from_edges(4, edges, roots, referent);
  const auto all = DominatorTree::compute(g, EdgeFilter::kAll);
  EXPECT_EQ(all.idom(1), g.root());  // two paths: 0 -> 1 and 3 -> 1
  const auto strong = DominatorTree::compute(g, EdgeFilter::kStrongOnly);
  EXPECT_EQ(strong.idom(1), 3u);  // only 3 holds 1 strongly
  EXPECT_EQ(strong.idom(2), 1u);
}

TEST(Dominators, MillionsDeepChainWithoutRecursion) {
  // 2,000,000 objects in one list, each also referenced from the list head's neighbour: the
  // shape of a Finalizer chain. A recursive DFS would overflow the stack.
  const uint32_t n = 2'000'000;
  Edges edges;
  edges.reserve(2 * n);
  for (NodeIndex i = 0; i + 1 < n; ++i) edges.push_back({i, i + 1});
  for (NodeIndex i = 2; i < n; i += 1000) edges.push_back({1, i});  // shortcuts
  const std::vector<NodeIndex> roots{0};
  const Graph g = Graph::from_edges(n, edges, roots);
  const auto tree = DominatorTree::compute(g, EdgeFilter::kAll);
  EXPECT_EQ(tree.reachable_count(), n + 1);
  EXPECT_EQ(tree.idom(0), g.root());
  EXPECT_EQ(tree.idom(1), 0u);
  EXPECT_EQ(tree.idom(2), 1u);
  EXPECT_EQ(tree.idom(1002), 1u);  // reached both via 1001 and directly from 1
  EXPECT_EQ(tree.idom(1003), 1002u);
  std::vector<uint64_t> size(g.node_count(), 1);
  const auto retained = compute_retained(tree, size);
  EXPECT_EQ(retained.bytes[0], n);
  EXPECT_EQ(retained.bytes[n - 1], 1u);
  EXPECT_EQ(retained.count[1], n - 1);
}

TEST(Dominators, UnreachableNodesHaveNoDominator) {
  const Edges edges{{0, 1}, {2, 3}, {3, 2}};
  const std::vector<NodeIndex> roots{0};
  const Graph g = Graph::from_edges(4, edges, roots);
  const auto tree = DominatorTree::compute(g, EdgeFilter::kAll);
  EXPECT_TRUE(tree.reachable(1));
  EXPECT_FALSE(tree.reachable(2));
  EXPECT_FALSE(tree.reachable(3));
  EXPECT_EQ(tree.idom(2), kNoNode);
  EXPECT_EQ(tree.reachable_count(), 3u);  // root, 0, 1
}

// A heap-like random graph of n nodes: 0-3 references each, mostly to nearby nodes (within
// `near`), one in `far_one_in` anywhere; `roots` random GC roots.
Graph heap_like_graph(std::mt19937_64& rng, uint32_t n, uint32_t near, uint32_t far_one_in,
                      int roots) {
  Edges edges;
  for (uint32_t v = 0; v < n; ++v) {
    const int degree = static_cast<int>(rng() % 4);
    for (int k = 0; k < degree; ++k) {
      const uint32_t t = rng() % far_one_in == 0
                             ? static_cast<uint32_t>(rng() % n)
                             : static_cast<uint32_t>((v + 1 + rng() % near) % n);
      edges.emplace_back(v, t);
    }
  }
  std::vector<NodeIndex> root_list;
  for (int k = 0; k < roots; ++k) root_list.push_back(static_cast<NodeIndex>(rng() % n));
  return Graph::from_edges(n, edges, root_list);
}

// Big enough for the predecessor lists to be built on two threads (atomic counters, lists in
// varying order): the tree must equal the one-thread tree and pass the verifier, and retained
// sizes (shallow sizes filled on all cores) must match a serial sum over the tree.
TEST(Dominators, TwoThreadsMatchOneOnALargeRandomGraph) {
  std::mt19937_64 rng(11);
  const uint32_t n = 300000;
  // Mostly nearby targets, some far: a heap's mix of locality and long references.
  const Graph g = heap_like_graph(rng, n, 64, 4, 50);
  const auto one = DominatorTree::compute(g, EdgeFilter::kAll, nullptr, 1);
  const auto two = DominatorTree::compute(g, EdgeFilter::kAll, nullptr, 2);
  ASSERT_GT(two.reachable_count(), 100000u);
  ASSERT_EQ(one.reachable_count(), two.reachable_count());
  for (NodeIndex v = 0; v <= n; ++v) ASSERT_EQ(one.idom(v), two.idom(v)) << v;
  ASSERT_TRUE(std::equal(one.preorder().begin(), one.preorder().end(), two.preorder().begin()));
  std::vector<NodeIndex> sample;
  for (int k = 0; k < 20; ++k) sample.push_back(two.preorder()[rng() % two.reachable_count()]);
  EXPECT_EQ(verify_dominators(g, two, sample), "");
  std::vector<uint64_t> size(n + 1);
  for (auto& s : size) s = 16 + rng() % 100;
  const auto r = compute_retained(two, size);
  std::vector<uint64_t> sum(n + 1, 0);
  for (size_t i = two.preorder().size(); i-- > 0;) {
    const NodeIndex v = two.preorder()[i];
    if (v == two.root()) continue;
    sum[v] += size[v];
    sum[two.idom(v)] += sum[v];
  }
  for (NodeIndex v = 0; v < n; ++v) ASSERT_EQ(r.bytes[v], sum[v]) << v;
  // That was the sweep in number space (the tree keeps its dominators' numbers); without them
  // the sums are taken in node space, and must be the same, objects too.
  auto node_space = DominatorTree::compute(g, EdgeFilter::kAll, nullptr, 2);
  ASSERT_EQ(node_space.idom_numbers().size(), node_space.reachable_count() + 1u);
  ASSERT_EQ(node_space.numbers().size(), n + 1u);
  for (uint32_t k = 0; k < node_space.reachable_count(); ++k) {
    ASSERT_EQ(node_space.numbers()[node_space.preorder()[k]], k + 1) << k;
  }
  node_space.release_numbers();
  EXPECT_TRUE(node_space.numbers().empty());
  const auto r2 = compute_retained(node_space, size);
  for (NodeIndex v = 0; v <= n; ++v) {
    ASSERT_EQ(r2.bytes[v], r.bytes[v]) << v;
    ASSERT_EQ(r2.count[v], r.count[v]) << v;
  }
  EXPECT_EQ(r.count[two.root()], two.reachable_count() - 1);
}

// Cooper, Harvey and Kennedy, "A Simple, Fast Dominance Algorithm" (2001): the iterative
// data-flow solution, an algorithm independent of SEMI-NCA, as the oracle on graphs too big for
// the brute force. Returns idom per node (kNoNode for the root and unreachable nodes).
std::vector<NodeIndex> iterative_dominators(const Graph& g) {
  const uint32_t n = g.node_count();
  std::vector<uint32_t> post(n, UINT32_MAX);  // postorder number
  std::vector<NodeIndex> order;               // nodes in postorder
  std::vector<std::pair<NodeIndex, uint64_t>> stack{{g.root(), g.edge_begin(g.root())}};
  post[g.root()] = UINT32_MAX - 1;  // on the stack
  while (!stack.empty()) {
    auto& [v, e] = stack.back();
    if (e < g.edge_end(v)) {
      const NodeIndex t = g.target(e++);
      if (post[t] == UINT32_MAX) {
        post[t] = UINT32_MAX - 1;
        stack.emplace_back(t, g.edge_begin(t));
      }
      continue;
    }
    post[v] = static_cast<uint32_t>(order.size());
    order.push_back(v);
    stack.pop_back();
  }
  std::vector<std::vector<NodeIndex>> preds(n);
  for (NodeIndex v : order) {
    for (uint64_t e = g.edge_begin(v); e < g.edge_end(v); ++e) preds[g.target(e)].push_back(v);
  }
  std::vector<NodeIndex> idom(n, kNoNode);
  idom[g.root()] = g.root();
  auto intersect = [&](NodeIndex a, NodeIndex b) {
    while (a != b) {
      while (post[a] < post[b]) a = idom[a];
      while (post[b] < post[a]) b = idom[b];
    }
    return a;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t k = order.size(); k-- > 0;) {
      const NodeIndex v = order[k];
      if (v == g.root()) continue;
      NodeIndex d = kNoNode;
      for (NodeIndex p : preds[v]) {
        if (idom[p] == kNoNode) continue;
        d = d == kNoNode ? p : intersect(p, d);
      }
      if (d != idom[v]) {
        idom[v] = d;
        changed = true;
      }
    }
  }
  idom[g.root()] = kNoNode;
  return idom;
}

// The last pass over the edges hands back the nodes whose edges it has read for the last time
// (EdgeUse::nodes_done), from both threads: the ranges cover every node once, discarding them
// behind the pass (Graph::discard_edges) gives back pages for real, and the tree is the one
// computed over a graph left whole.
TEST(Dominators, EdgesGivenBackBehindTheLastPassLeaveTheSameTree) {
  std::mt19937_64 rng(23);
  const uint32_t n = 500000;
  Edges edges;  // 0-15 references each, half of them nearby
  for (uint32_t v = 0; v < n; ++v) {
    for (int k = static_cast<int>(rng() % 16); k > 0; --k) {
      const uint32_t t = rng() % 2 ? static_cast<uint32_t>(rng() % n)
                                   : static_cast<uint32_t>((v + 1 + rng() % 64) % n);
      edges.emplace_back(v, t);
    }
  }
  const std::vector<NodeIndex> roots{0, n / 3, n / 2};
  const Graph whole = Graph::from_edges(n, edges, roots);
  Graph consumed = Graph::from_edges(n, edges, roots);
  ASSERT_GT(whole.edge_count(), uint64_t{3} << 20);  // several reports per thread
  std::mutex lock;
  std::vector<std::pair<NodeIndex, NodeIndex>> ranges;
  bool all_done = false;
  EdgeUse use;
  use.nodes_done = [&](NodeIndex first, NodeIndex last) {
    {
      const std::lock_guard hold(lock);
      ranges.emplace_back(first, last);
    }
    consumed.discard_edges(first, last);
  };
  use.all_done = [&] { all_done = true; };
  const auto expected = DominatorTree::compute(whole, EdgeFilter::kAll, nullptr, 2);
  const auto tree = DominatorTree::compute(consumed, EdgeFilter::kAll, nullptr, 2, use);
  EXPECT_TRUE(all_done);
  std::sort(ranges.begin(), ranges.end());
  ASSERT_GE(ranges.size(), 4u);  // two per thread at least
  EXPECT_EQ(ranges.front().first, 0u);
  EXPECT_EQ(ranges.back().second, n + 1);  // the root's edges too
  for (size_t k = 1; k < ranges.size(); ++k) {
    ASSERT_EQ(ranges[k].first, ranges[k - 1].second) << k;
    ASSERT_LT(ranges[k].first, ranges[k].second) << k;
  }
  ASSERT_EQ(tree.reachable_count(), expected.reachable_count());
  for (NodeIndex v = 0; v <= n; ++v) ASSERT_EQ(tree.idom(v), expected.idom(v)) << v;
  // The pages inside the ranges read as zero now: most targets of the middle nodes changed.
  uint64_t changed = 0, looked = 0;
  for (NodeIndex v = n / 4; v < n / 2; ++v) {
    for (uint64_t e = whole.edge_begin(v); e < whole.edge_end(v); ++e, ++looked) {
      changed += whole.target(e) != 0 && consumed.target(e) == 0;
    }
  }
  EXPECT_GT(changed, looked * 9 / 10) << looked;
  // A graph given back nothing: the same tree, edges intact.
  EdgeUse keep;
  keep.nodes_done = [](NodeIndex, NodeIndex) {};
  const auto kept = DominatorTree::compute(whole, EdgeFilter::kAll, nullptr, 1, keep);
  for (NodeIndex v = 0; v <= n; ++v) ASSERT_EQ(kept.idom(v), expected.idom(v)) << v;
}

// Large enough that step 1 gives back the consumed predecessor lists several times on the way
// (every 65,536 numbers) while the EVAL info fills from the top; every node against the
// iterative algorithm.
TEST(Dominators, MatchTheIterativeAlgorithmOnLargeRandomGraphs) {
  std::mt19937_64 rng(7);
  for (const uint32_t n : {70000u, 250000u}) {
    const Graph g = heap_like_graph(rng, n, 32, 3, 20);
    const auto expected = iterative_dominators(g);
    for (unsigned threads : {1u, 2u}) {
      const auto tree = DominatorTree::compute(g, EdgeFilter::kAll, nullptr, threads);
      ASSERT_GT(tree.reachable_count(), n / 2);
      for (NodeIndex v = 0; v <= n; ++v) {
        ASSERT_EQ(tree.idom(v), expected[v]) << "n " << n << " node " << v;
      }
    }
  }
}

// The predecessor lists are partitioned by target range in buckets of 2^6 to 2^16 DFS numbers,
// from counts the DFS takes (predecessors.h). Edges that stress the partition: a hub every third
// node points to (a class and its instances: one bucket far larger than the rest), second copies
// of edges (the second copy of a DFS tree edge is kept, the first is not), self-references, and
// referent edges the strong-only filter skips in the DFS and in the partition alike. Every node
// against the iterative algorithm on the graph as the filter sees it, on one and two threads.
TEST(Dominators, PredecessorBucketsHandleHubsCopiesAndSkippedEdges) {
  std::mt19937_64 rng(23);
  for (const uint32_t n : {3000u, 90000u}) {
    Edges edges;
    std::vector<uint8_t> referent;
    auto add = [&](NodeIndex a, NodeIndex b) {
      edges.emplace_back(a, b);
      referent.push_back(rng() % 8 == 0);
    };
    for (uint32_t v = 0; v < n; ++v) {
      const int degree = static_cast<int>(rng() % 4);
      for (int k = 0; k < degree; ++k) {
        const auto t =
            static_cast<NodeIndex>(rng() % 5 == 0 ? rng() % n : (v + 1 + rng() % 40) % n);
        add(v, t);
        if (rng() % 10 == 0) add(v, t);  // a second copy
      }
      if (v % 3 == 0) add(v, 7);       // the hub
      if (rng() % 50 == 0) add(v, v);  // a self-reference
    }
    std::vector<NodeIndex> roots;
    for (int k = 0; k < 12; ++k) roots.push_back(static_cast<NodeIndex>(rng() % n));
    const Graph g = Graph::from_edges(n, edges, roots, referent);
    Edges strong;
    for (size_t k = 0; k < edges.size(); ++k) {
      if (!referent[k]) strong.push_back(edges[k]);
    }
    const auto expect_all = iterative_dominators(g);
    const auto expect_strong = iterative_dominators(Graph::from_edges(n, strong, roots));
    for (const EdgeFilter filter : {EdgeFilter::kAll, EdgeFilter::kStrongOnly}) {
      const auto& expected = filter == EdgeFilter::kAll ? expect_all : expect_strong;
      for (unsigned threads : {1u, 2u}) {
        const auto tree = DominatorTree::compute(g, filter, nullptr, threads);
        ASSERT_GT(tree.reachable_count(), n / 3);
        for (NodeIndex v = 0; v <= n; ++v) {
          ASSERT_EQ(tree.idom(v), expected[v]) << "n " << n << " filter " << to_string(filter)
                                               << " threads " << threads << " node " << v;
        }
      }
    }
  }
}

}  // namespace
}  // namespace heapscope::analysis
