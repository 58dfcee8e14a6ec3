// Benchmarks of the engine's phases on one real dump: open + index, object graph, dominator
// tree, retained sizes. The dump is HEAPSCOPE_BENCH_DUMP, else the corpus's small JDK 17 dump.
// Each phase after the index reuses the previous phases' results (built once, outside timing).
//
// Counters: bytes_per_second = decoded dump bytes per second (index, graph); items_per_second =
// objects (index), edges (graph) or graph nodes (dominators, retained) per second.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "heapscope/analysis/dominators.h"
#include "heapscope/analysis/fields.h"
#include "heapscope/analysis/graph.h"
#include "heapscope/analysis/heap.h"
#include "heapscope/hprof/dump.h"
#include "heapscope/hprof/index.h"

namespace {

using namespace heapscope;

std::string dump_path() {
  if (const char* p = std::getenv("HEAPSCOPE_BENCH_DUMP"); p != nullptr && *p != '\0') return p;
  return HEAPSCOPE_BENCH_DEFAULT_DUMP;
}

// The dump, its index and the engine's stages, built once on first use.
struct Loaded {
  std::optional<analysis::Heap> heap;
  std::unique_ptr<analysis::FieldLayouts> layouts;
  std::optional<analysis::Graph> graph;
  std::optional<analysis::DominatorTree> tree;
  std::string error;
};

Loaded& loaded() {
  static Loaded l = [] {
    Loaded r;
    auto heap = analysis::Heap::open(dump_path());
    if (!heap) {
      r.error = dump_path() + ": " + heap.error().describe();
      return r;
    }
    r.heap.emplace(std::move(heap).value());
    r.layouts = std::make_unique<analysis::FieldLayouts>(r.heap->index());
    auto graph = analysis::Graph::build(r.heap->index(), *r.layouts);
    if (!graph) {
      r.error = graph.error().describe();
      return r;
    }
    r.graph.emplace(std::move(graph).value());
    r.tree.emplace(analysis::DominatorTree::compute(*r.graph, analysis::EdgeFilter::kAll));
    return r;
  }();
  return l;
}

bool skip_if_unavailable(benchmark::State& state) {
  if (!loaded().error.empty()) {
    state.SkipWithError(loaded().error.c_str());
    return true;
  }
  state.SetLabel(dump_path());
  return false;
}

// Arg: worker threads (0 = all cores).
void BM_IndexBuild(benchmark::State& state) {
  const auto threads = static_cast<uint32_t>(state.range(0));
  uint64_t bytes = 0, objects = 0;
  for (auto _ : state) {
    auto dump = hprof::Dump::open(dump_path());
    if (!dump) {
      state.SkipWithError((dump_path() + ": " + dump.error().describe()).c_str());
      return;
    }
    hprof::IndexOptions options;
    options.threads = threads;
    auto index = hprof::Index::build(*dump, options);
    if (!index) {
      state.SkipWithError(index.error().describe().c_str());
      return;
    }
    bytes += dump->bytes().size();
    objects += index->object_count();
    benchmark::DoNotOptimize(index->object_count());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(objects));
  state.SetLabel(dump_path());
}
BENCHMARK(BM_IndexBuild)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_GraphBuild(benchmark::State& state) {
  if (skip_if_unavailable(state)) return;
  const auto& index = loaded().heap->index();
  analysis::GraphOptions options;
  options.threads = static_cast<uint32_t>(state.range(0));
  uint64_t edges = 0;
  for (auto _ : state) {
    auto graph = analysis::Graph::build(index, *loaded().layouts, options);
    if (!graph) {
      state.SkipWithError(graph.error().describe().c_str());
      return;
    }
    edges += graph->edge_count();
    benchmark::DoNotOptimize(graph->edge_count());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * index.dump().bytes().size()));
  state.SetItemsProcessed(static_cast<int64_t>(edges));
  state.counters["edges"] = static_cast<double>(loaded().graph->edge_count());
}
BENCHMARK(BM_GraphBuild)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Arg: 0 = EdgeFilter::kAll (MAT), 1 = kStrongOnly.
void BM_Dominators(benchmark::State& state) {
  if (skip_if_unavailable(state)) return;
  const auto filter =
      state.range(0) == 0 ? analysis::EdgeFilter::kAll : analysis::EdgeFilter::kStrongOnly;
  const auto& graph = *loaded().graph;
  for (auto _ : state) {
    auto tree = analysis::DominatorTree::compute(graph, filter);
    benchmark::DoNotOptimize(tree.reachable_count());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * graph.node_count()));
  state.counters["nodes"] = graph.node_count();
  state.counters["edges"] = static_cast<double>(graph.edge_count());
}
BENCHMARK(BM_Dominators)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("strong_only")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Retained(benchmark::State& state) {
  if (skip_if_unavailable(state)) return;
  const auto& tree = *loaded().tree;
  const auto& index = loaded().heap->index();
  for (auto _ : state) {
    auto retained = analysis::compute_retained(tree, index);
    benchmark::DoNotOptimize(retained.bytes[tree.root()]);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * tree.reachable_count()));
}
BENCHMARK(BM_Retained)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
