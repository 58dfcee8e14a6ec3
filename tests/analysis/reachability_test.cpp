// CutReachability (one full marking pass, then incremental queries) against marking the whole
// graph again for every question, on thousands of random graphs with random edge groups.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "heapscope/analysis/reachability.h"

namespace heapscope::analysis {
namespace {

using Edges = std::vector<std::pair<NodeIndex, NodeIndex>>;

// Group of each edge: -1 none; groups are drawn per source node so that each group has sources.
struct GroupedGraph {
  Graph graph;
  std::vector<int> group_of_edge;  // by edge position in the graph
  std::vector<std::vector<NodeIndex>> sources;
};

GroupedGraph random_setup(std::mt19937& rng, uint32_t n, uint32_t groups) {
  Edges edges;
  std::vector<uint8_t> referents;
  std::uniform_int_distribution<uint32_t> node(0, n - 1);
  const uint32_t m = n * 2 + rng() % (n + 1);
  for (uint32_t i = 0; i < m; ++i) {
    edges.push_back({node(rng), node(rng)});
    referents.push_back(rng() % 5 == 0);
  }
  std::vector<NodeIndex> roots;
  for (uint32_t i = 0; i < 1 + n / 8; ++i) roots.push_back(node(rng));
  GroupedGraph s{Graph::from_edges(n, edges, roots, referents),
                 {},
                 std::vector<std::vector<NodeIndex>>(groups)};
  const Graph& g = s.graph;
  s.group_of_edge.assign(g.edge_count(), -1);
  // Some nodes are sources of a group; each of their edges joins it with probability 1/2.
  for (NodeIndex v = 0; v < g.node_count(); ++v) {
    if (groups == 0 || rng() % 3 != 0) continue;
    const uint32_t grp = rng() % groups;
    s.sources[grp].push_back(v);
    for (uint64_t e = g.edge_begin(v); e < g.edge_end(v); ++e) {
      if (s.group_of_edge[e] < 0 && rng() % 2 == 0) s.group_of_edge[e] = static_cast<int>(grp);
    }
  }
  return s;
}

// The definition: mark from the root, following an edge when it is in a kept group, or in no
// group and `filter` keeps it. (An edge's group is decided for its first group only: sources
// of two groups claim edges in group order, as CutReachability does.)
NodeSet brute_force(const GroupedGraph& s, EdgeFilter filter, const std::vector<bool>& keep) {
  const Graph& g = s.graph;
  return mark_reachable(g, EdgeFilter::kAll, [&](NodeIndex, uint64_t e) {
    const int grp = s.group_of_edge[e];
    if (grp >= 0) return !keep[static_cast<size_t>(grp)];
    return !g.follows(e, filter);
  });
}

TEST(CutReachability, MatchesFullMarkingOnRandomGraphs) {
  std::mt19937 rng(20261122);
  for (int round = 0; round < 2000; ++round) {
    const uint32_t n = 2 + rng() % 60;
    const uint32_t groups = rng() % 4;
    const GroupedGraph s = random_setup(rng, n, groups);
    const EdgeFilter filter = round % 2 ? EdgeFilter::kStrongOnly : EdgeFilter::kAll;
    CutReachability reach(s.graph, filter);
    for (uint32_t grp = 0; grp < groups; ++grp) {
      reach.add_group(s.sources[grp], [&s, grp](NodeIndex, uint64_t e) {
        return s.group_of_edge[e] == static_cast<int>(grp);
      });
    }
    reach.prepare();
    // Every subset of groups, and a chain of growing subsets through extend().
    NodeSet previous;
    std::vector<bool> previous_keep(groups, false);
    for (uint32_t mask = 0; mask < (1u << groups); ++mask) {
      std::vector<bool> keep(groups);
      for (uint32_t grp = 0; grp < groups; ++grp) keep[grp] = mask >> grp & 1;
      const NodeSet got = reach.reachable(keep);
      const NodeSet want = brute_force(s, filter, keep);
      for (NodeIndex v = 0; v < s.graph.node_count(); ++v)
        ASSERT_EQ(got.has(v), want.has(v))
            << "round " << round << " mask " << mask << " node " << v;
    }
    std::vector<bool> keep(groups, false);
    NodeSet grown = reach.reachable(keep);
    for (uint32_t grp = 0; grp < groups; ++grp) {
      keep[grp] = true;
      grown = reach.extend(std::move(grown), keep);
      const NodeSet want = brute_force(s, filter, keep);
      for (NodeIndex v = 0; v < s.graph.node_count(); ++v)
        ASSERT_EQ(grown.has(v), want.has(v)) << "round " << round << " extend to " << grp;
    }
  }
}

// A 2,000,000-long chain whose every link is in a group: no recursion, and a query that keeps
// the group marks the whole chain.
TEST(CutReachability, LongChainIsIncremental) {
  const uint32_t n = 2'000'000;
  Edges edges;
  for (uint32_t i = 0; i + 1 < n; ++i) edges.push_back({i, i + 1});
  const std::vector<NodeIndex> roots{0};
  const Graph g = Graph::from_edges(n, edges, roots);
  std::vector<NodeIndex> sources{0};
  CutReachability reach(g, EdgeFilter::kAll);
  reach.add_group(sources, [](NodeIndex, uint64_t) { return true; });  // the first link only
  reach.prepare();
  const NodeSet cut = reach.reachable({false});
  EXPECT_TRUE(cut.has(0));
  EXPECT_FALSE(cut.has(1));
  EXPECT_FALSE(cut.has(n - 1));
  const NodeSet kept = reach.reachable({true});
  EXPECT_TRUE(kept.has(n - 1));
}

}  // namespace
}  // namespace heapscope::analysis
