// find_capture (the Cleaner analyzer's bounded search from an action to its referent) against a
// plain breadth-first search without a budget, on thousands of small random graphs with referent
// edges and stop nodes; every path it returns is checked edge by edge.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "heapscope/analysis/analyzers/cleaner.h"

namespace heapscope::analysis {
namespace {

// Reachable from `from` over non-referent edges, never entering a stop node (the target may be
// one: it is reached, not entered).
bool brute_force_reaches(const Graph& g, NodeIndex from, NodeIndex target, const NodeSet& stop) {
  if (from == target) return true;
  std::vector<uint8_t> seen(g.node_count(), 0);
  std::vector<NodeIndex> work{from};
  seen[from] = 1;
  while (!work.empty()) {
    const NodeIndex v = work.back();
    work.pop_back();
    for (uint64_t e = g.edge_begin(v); e < g.edge_end(v); ++e) {
      const NodeIndex t = g.target(e);
      if (g.is_referent(e) || t == g.root() || seen[t]) continue;
      if (t == target) return true;
      seen[t] = 1;
      if (!stop.has(t)) work.push_back(t);
    }
  }
  return false;
}

// The path is a chain of graph edges from `from` to `target`, none a referent edge, and no node
// inside it is a stop node.
void expect_valid_path(const Graph& g, NodeIndex from, NodeIndex target, const NodeSet& stop,
                       const Capture& c) {
  NodeIndex v = from;
  for (size_t i = 0; i < c.edges.size(); ++i) {
    const uint64_t e = c.edges[i];
    ASSERT_GE(e, g.edge_begin(v));
    ASSERT_LT(e, g.edge_end(v));
    EXPECT_FALSE(g.is_referent(e));
    if (i > 0) {
      EXPECT_FALSE(stop.has(v));
    }
    v = g.target(e);
  }
  EXPECT_EQ(v, target);
}

TEST(CleanerCapture, AgreesWithBruteForceOnRandomGraphs) {
  std::mt19937 rng(12);
  size_t found = 0, not_found = 0;
  for (int round = 0; round < 3000; ++round) {
    const uint32_t n = 2 + rng() % 30;
    std::vector<std::pair<NodeIndex, NodeIndex>> edges;
    std::vector<uint8_t> referents;
    const uint32_t m = rng() % (3 * n);
    for (uint32_t i = 0; i < m; ++i) {
      edges.push_back({static_cast<NodeIndex>(rng() % n), static_cast<NodeIndex>(rng() % n)});
      referents.push_back(rng() % 4 == 0);
    }
    const std::vector<NodeIndex> roots{0};
    const Graph g = Graph::from_edges(n, edges, roots, referents);
    NodeSet stop(g.node_count());
    for (NodeIndex v = 0; v < n; ++v) {
      if (rng() % 5 == 0) stop.add(v);
    }
    const NodeIndex from = rng() % n, target = rng() % n;
    const Capture c = find_capture(g, from, target, stop, n + 1);
    const bool want = brute_force_reaches(g, from, target, stop);
    ASSERT_NE(c.outcome, Capture::Outcome::kTruncated) << "round " << round;
    ASSERT_EQ(c.outcome == Capture::Outcome::kFound, want) << "round " << round;
    if (want) {
      ++found;
      expect_valid_path(g, from, target, stop, c);
    } else {
      ++not_found;
    }
  }
  EXPECT_GT(found, 300u);  // both answers were exercised
  EXPECT_GT(not_found, 300u);
}

TEST(CleanerCapture, ShortestPathAndBudget) {
  // 0 -> 1 -> 2 -> 3 -> 4 and a shortcut 0 -> 3; a referent edge 0 -> 4 does not count.
  const std::vector<std::pair<NodeIndex, NodeIndex>> edges{{0, 1}, {1, 2}, {2, 3},
                                                           {3, 4}, {0, 3}, {0, 4}};
  const std::vector<uint8_t> referents{0, 0, 0, 0, 0, 1};
  const std::vector<NodeIndex> roots{0};
  const Graph g = Graph::from_edges(5, edges, roots, referents);
  NodeSet none(g.node_count());
  const Capture c = find_capture(g, 0, 4, none, 100);
  ASSERT_EQ(c.outcome, Capture::Outcome::kFound);
  EXPECT_EQ(c.edges.size(), 2u);  // 0 -> 3 -> 4
  expect_valid_path(g, 0, 4, none, c);
  // A stop node on the shortcut: the long way round is blocked too (3 is on both).
  NodeSet stop(g.node_count());
  stop.add(3);
  EXPECT_EQ(find_capture(g, 0, 4, stop, 100).outcome, Capture::Outcome::kNotFound);
  // Budget: with 0 and 1 visited the search gives up before it reaches 3 and the answer.
  EXPECT_EQ(find_capture(g, 0, 4, none, 2).outcome, Capture::Outcome::kTruncated);
}

}  // namespace
}  // namespace heapscope::analysis
