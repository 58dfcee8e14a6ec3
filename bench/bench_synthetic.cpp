// Dominators and retained sizes on graphs made with Graph::from_edges, independent of any dump:
// a random graph (1M nodes, out-degree 4, a few hundred roots, a spanning chain so that most
// nodes are reachable) and a 2M-long chain (one root; the shape of a Finalizer or Timer queue,
// the worst case for recursive DFS and for fixed-point retained-size algorithms).
//
// Counters: items_per_second = graph nodes per second.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "heapscope/analysis/dominators.h"
#include "heapscope/analysis/graph.h"

namespace {

using namespace heapscope::analysis;

struct Synthetic {
  Graph graph;
  std::vector<uint64_t> shallow;  // per node, root included
};

Synthetic random_graph(uint32_t n, uint32_t degree, uint32_t roots, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<uint32_t> any(0, n - 1);
  std::vector<std::pair<NodeIndex, NodeIndex>> edges;
  edges.reserve(static_cast<size_t>(n) * degree);
  for (uint32_t v = 0; v < n; ++v) {
    // One "tree" edge from an earlier node keeps nearly everything reachable; the others are
    // random, so most nodes have several referrers (the hard case for dominators).
    if (v > 0) edges.emplace_back(std::uniform_int_distribution<uint32_t>(0, v - 1)(rng), v);
    for (uint32_t k = 1; k < degree; ++k) edges.emplace_back(v, any(rng));
  }
  std::vector<NodeIndex> root_list{0};
  for (uint32_t r = 1; r < roots; ++r) root_list.push_back(any(rng));
  std::vector<uint64_t> shallow(n + 1);
  for (auto& s : shallow) s = 16 + (rng() & 0xF8);
  return {Graph::from_edges(n, edges, root_list), std::move(shallow)};
}

Synthetic chain(uint32_t n) {
  std::vector<std::pair<NodeIndex, NodeIndex>> edges;
  edges.reserve(n);
  for (uint32_t v = 0; v + 1 < n; ++v) edges.emplace_back(v, v + 1);
  const NodeIndex root = 0;
  return {Graph::from_edges(n, edges, std::span<const NodeIndex>(&root, 1)),
          std::vector<uint64_t>(n + 1, 32)};
}

const Synthetic& random_1m() {
  static const Synthetic s = random_graph(1'000'000, 4, 500, 42);
  return s;
}
const Synthetic& chain_2m() {
  static const Synthetic s = chain(2'000'000);
  return s;
}

void dominators(benchmark::State& state, const Synthetic& s) {
  for (auto _ : state) {
    auto tree = DominatorTree::compute(s.graph, EdgeFilter::kAll);
    benchmark::DoNotOptimize(tree.reachable_count());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * s.graph.node_count()));
  state.counters["nodes"] = s.graph.node_count();
  state.counters["edges"] = static_cast<double>(s.graph.edge_count());
}

void retained(benchmark::State& state, const Synthetic& s) {
  const auto tree = DominatorTree::compute(s.graph, EdgeFilter::kAll);
  for (auto _ : state) {
    auto r = compute_retained(tree, s.shallow);
    benchmark::DoNotOptimize(r.bytes[tree.root()]);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * tree.reachable_count()));
}

void BM_FromEdges_Random1M(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(random_graph(1'000'000, 4, 500, 42).graph.edge_count());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 1'000'000));
}
void BM_Dominators_Random1M(benchmark::State& state) {
  dominators(state, random_1m());
}
void BM_Retained_Random1M(benchmark::State& state) {
  retained(state, random_1m());
}
void BM_Dominators_Chain2M(benchmark::State& state) {
  dominators(state, chain_2m());
}
void BM_Retained_Chain2M(benchmark::State& state) {
  retained(state, chain_2m());
}

BENCHMARK(BM_FromEdges_Random1M)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Dominators_Random1M)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Retained_Random1M)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Dominators_Chain2M)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Retained_Chain2M)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
