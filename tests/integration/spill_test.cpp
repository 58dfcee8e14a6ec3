// Tables in spill files (analysis/memory_plan.h) on every sample dump: a budget of one byte puts
// the index, graph, dominator tree and retained sizes in spill files, and the tables and the
// analyze report are the same as in memory; the cache is written and read under that budget;
// no spill file outlives success, failure or cancellation (/proc/self/maps, the directory).
#include <gtest/gtest.h>

#include <fstream>

#include "class_retained.h"
#include "proc_maps.h"

#include "cache_test_support.h"

namespace heapscope::itest {
namespace {

namespace fs = std::filesystem;

using heapscope::testing::mappings_in;

struct Spilled {
  std::unique_ptr<analysis::Heap> heap;
  std::unique_ptr<analysis::Engine> engine;
  hprof::Error error;
  bool ok = false;
};

// Heap::open + Engine::build with a budget of one byte: everything big goes to `spill_dir`.
Spilled open_spilled(const fs::path& dump, const fs::path& spill_dir,
                     const fs::path& cache_dir = {}, hprof::Progress* progress = nullptr) {
  Spilled s;
  analysis::HeapOptions ho;
  ho.memory_budget = 1;
  ho.spill_dir = spill_dir;
  ho.cache_dir = cache_dir;
  ho.index.progress = progress;
  auto heap = analysis::Heap::open(dump, ho);
  if (!heap) {
    s.error = heap.error();
    return s;
  }
  s.heap = std::make_unique<analysis::Heap>(std::move(*heap));
  analysis::EngineOptions eo;
  eo.memory_budget = 1;
  eo.spill_dir = spill_dir;
  eo.cache_dir = cache_dir;
  eo.progress = progress;
  auto engine = analysis::Engine::build(*s.heap, eo);
  if (!engine) {
    s.error = engine.error();
    return s;
  }
  s.engine = std::make_unique<analysis::Engine>(std::move(*engine));
  s.ok = true;
  return s;
}

class SpillOnSample : public ::testing::TestWithParam<Sample> {};

TEST_P(SpillOnSample, SameTablesAndReportAsInMemory) {
  const auto dump = GetParam().dump();
  ASSERT_TRUE(fs::exists(dump)) << dump;
  const CachedOpen fresh = open_with_cache(dump, {});
  ASSERT_TRUE(fresh.error.empty()) << fresh.error;
  ScratchDir spill;
  {
    const Spilled s = open_spilled(dump, spill.path());
    ASSERT_TRUE(s.ok) << s.error.describe();
    EXPECT_EQ(s.heap->spill_use().dir, spill.path());
    EXPECT_GT(s.heap->spill_use().bytes, 0u);
    EXPECT_GT(s.engine->spill_use().bytes, 0u);
    EXPECT_GT(mappings_in(spill.path()), 0);
    EXPECT_EQ(spill.files(), 0u) << "spill files have no name";
    expect_same_index(fresh.heap->index(), s.heap->index());
    expect_same_engine(*fresh.engine, *s.engine);
    EXPECT_EQ(report_json(*fresh.heap, *fresh.engine, dump.string()),
              report_json(*s.heap, *s.engine, dump.string()));
    // The dominators' numbers are given back once the retained sizes are summed (spilled, in
    // number space, and the per-class sums with them).
    EXPECT_TRUE(s.engine->tree().idom_numbers().empty());
    EXPECT_TRUE(s.engine->tree().numbers().empty());
    EXPECT_TRUE(fresh.engine->tree().idom_numbers().empty());
    const auto placed =
        analysis::class_retained_bytes(*fresh.engine, analysis::ClassRetainedWalk::kPlacement);
    EXPECT_EQ(
        analysis::class_retained_bytes(*s.engine, analysis::ClassRetainedWalk::kOrderedPasses),
        placed);
    // With the numbers, the retained sizes were summed in number space and the per-class sums
    // came with them (what the report uses then); in memory they come from the placement, made
    // before the retained bytes.
    EXPECT_EQ(s.engine->retained().by_class, placed);
    EXPECT_EQ(fresh.engine->retained().by_class, placed);
  }
  EXPECT_EQ(mappings_in(spill.path()), 0);
  EXPECT_EQ(spill.files(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Samples, SpillOnSample, ::testing::ValuesIn(all_samples(true)),
                         [](const auto& info) { return info.param.name(); });

// The cache is written from spilled tables and read back into spill files.
TEST(SpillWithCache, WrittenAndReadUnderTheBudget) {
  const auto dump = Sample("FinalizerBacklog", jdks().front()).dump();
  ScratchDir spill, cache;
  const CachedOpen fresh = open_with_cache(dump, {});
  ASSERT_TRUE(fresh.error.empty()) << fresh.error;
  const Spilled first = open_spilled(dump, spill.path(), cache.path());
  ASSERT_TRUE(first.ok) << first.error.describe();
  EXPECT_TRUE(first.heap->cache_use().written);
  EXPECT_TRUE(first.engine->cache_use().written);
  const Spilled second = open_spilled(dump, spill.path(), cache.path());
  ASSERT_TRUE(second.ok) << second.error.describe();
  EXPECT_TRUE(second.heap->cache_use().loaded);
  EXPECT_TRUE(second.engine->cache_use().loaded);
  EXPECT_GT(second.heap->spill_use().bytes, 0u);
  EXPECT_GT(second.engine->spill_use().bytes, 0u);
  expect_same_index(fresh.heap->index(), second.heap->index());
  expect_same_engine(*fresh.engine, *second.engine);
  EXPECT_EQ(report_json(*fresh.heap, *fresh.engine, dump.string()),
            report_json(*second.heap, *second.engine, dump.string()));
}

// Cancels when a phase whose name starts with `phase` begins.
class CancelAt : public hprof::Progress {
 public:
  explicit CancelAt(std::string phase) : phase_(std::move(phase)) {}
  void begin(std::string_view phase, uint64_t) override {
    if (phase.substr(0, phase_.size()) == phase_) cancel_ = true;
  }
  void advance(uint64_t) override {}
  bool cancelled() const override { return cancel_; }

 private:
  std::string phase_;
  bool cancel_ = false;
};

class SpillCancelled : public ::testing::TestWithParam<const char*> {};

TEST_P(SpillCancelled, LeavesNoSpillFile) {
  const auto dump = Sample("FinalizerBacklog", jdks().front()).dump();
  ScratchDir spill;
  CancelAt progress(GetParam());
  {
    const Spilled s = open_spilled(dump, spill.path(), {}, &progress);
    EXPECT_FALSE(s.ok);
    EXPECT_EQ(s.error.code, hprof::ErrorCode::kCancelled) << s.error.describe();
  }
  EXPECT_EQ(mappings_in(spill.path()), 0);
  EXPECT_EQ(spill.files(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Phases, SpillCancelled,
                         ::testing::Values("index objects", "build graph", "dominators: semi-nca"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return n;
                         });

// The spill directory vanishes between the index and the engine: the engine fails (a
// SpillError, a std::bad_alloc that says why) and its spill files go with it.
TEST(SpillFailure, LeavesNoSpillFile) {
  const auto dump = Sample("FinalizerBacklog", jdks().front()).dump();
  ScratchDir base;
  const fs::path spill = base.path() / "spill";
  fs::create_directories(spill);
  analysis::HeapOptions ho;
  ho.memory_budget = 1;
  ho.spill_dir = spill;
  auto heap = analysis::Heap::open(dump, ho);
  ASSERT_TRUE(heap) << heap.error().describe();
  EXPECT_GT(mappings_in(spill), 0);
  analysis::EngineOptions eo;
  eo.memory_budget = 1;
  eo.spill_dir = base.path() / "gone";
  auto engine = analysis::Engine::build(*heap, eo);  // statvfs fails: kMemoryBudget
  ASSERT_FALSE(engine);
  EXPECT_EQ(engine.error().code, hprof::ErrorCode::kMemoryBudget);
  EXPECT_NE(engine.error().message.find("gone"), std::string::npos) << engine.error().message;
  fs::create_directories(base.path() / "gone");
  // The directory passes the check, then disappears under the first table: SpillError.
  struct RemoveDir : hprof::Progress {
    fs::path dir;
    void begin(std::string_view, uint64_t) override { fs::remove_all(dir); }
    void advance(uint64_t) override {}
  } remover;
  remover.dir = base.path() / "gone";
  eo.progress = &remover;
  EXPECT_THROW((void)analysis::Engine::build(*heap, eo), hprof::SpillError);
  EXPECT_EQ(mappings_in(base.path() / "gone"), 0);
}

}  // namespace
}  // namespace heapscope::itest
