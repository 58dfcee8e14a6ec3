// Benchmarks of what `analyze` adds on top of the engine: the finalizer and timer analyzers, the
// class histogram's retained column and the whole report (docs/notes/performance.md: analyze
// must cost at most 1.3x `dominators`). The dump is HEAPSCOPE_BENCH_DUMP, else the corpus's
// small JDK 17 dump; the engine is built once, outside timing.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "heapscope/analysis/analyzers/finalizer.h"
#include "heapscope/analysis/analyzers/timer.h"
#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/heap.h"
#include "heapscope/analysis/histogram.h"
#include "heapscope/analysis/report_builder.h"

namespace {

using namespace heapscope;

struct Built {
  std::optional<analysis::Heap> heap;
  std::optional<analysis::Engine> engine;
  std::string error;
};

Built& built() {
  static Built b = [] {
    Built r;
    const char* env = std::getenv("HEAPSCOPE_BENCH_DUMP");
    const std::string path = env && *env ? env : HEAPSCOPE_BENCH_DEFAULT_DUMP;
    auto heap = analysis::Heap::open(path);
    if (!heap) {
      r.error = path + ": " + heap.error().describe();
      return r;
    }
    r.heap.emplace(std::move(heap).value());
    auto engine = analysis::Engine::build(*r.heap);
    if (!engine) {
      r.error = engine.error().describe();
      return r;
    }
    r.engine.emplace(std::move(engine).value());
    return r;
  }();
  return b;
}

bool unavailable(benchmark::State& state) {
  if (built().error.empty()) return false;
  state.SkipWithError(built().error.c_str());
  return true;
}

void BM_AnalyzeFinalization(benchmark::State& state) {
  if (unavailable(state)) return;
  for (auto _ : state) {
    auto r = analysis::analyze_finalization(*built().engine);
    benchmark::DoNotOptimize(r.held_only_bytes);
  }
}
BENCHMARK(BM_AnalyzeFinalization)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AnalyzeTimers(benchmark::State& state) {
  if (unavailable(state)) return;
  const uint64_t now = built().heap->dump().header().timestamp_ms;
  for (auto _ : state) {
    auto r = analysis::analyze_timers(*built().engine, now);
    benchmark::DoNotOptimize(r.size());
  }
}
BENCHMARK(BM_AnalyzeTimers)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_HistogramRetained(benchmark::State& state) {
  if (unavailable(state)) return;
  const auto& engine = *built().engine;
  for (auto _ : state) {
    auto rows = analysis::class_histogram(engine.index(), analysis::HistogramSort::kShallow);
    analysis::add_retained(rows, engine);
    benchmark::DoNotOptimize(rows.data());
  }
}
BENCHMARK(BM_HistogramRetained)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_BuildReport(benchmark::State& state) {
  if (unavailable(state)) return;
  for (auto _ : state) {
    auto r = analysis::build_report(*built().heap, *built().engine, {});
    benchmark::DoNotOptimize(r.findings.size());
  }
}
BENCHMARK(BM_BuildReport)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
