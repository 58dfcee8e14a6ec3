// "Held only by finalization" on every sample dump: what the GC could free once finalization is
// done with it. Checked against a brute-force oracle (two plain breadth-first searches with an
// edge predicate, no CutReachability), against the sample programs' sidecars (the clean control
// holds nothing; the backlog holds every pending and the one being finalized SlowResource with
// its payload), and the summary against the sum of the per-class rows, in both ways the analyzers
// run (analyze_finalization alone, and analyze_machinery's shared pass).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "heapscope/analysis/analyzers/finalizer.h"
#include "heapscope/analysis/report_builder.h"
#include "sample_dumps.h"

namespace heapscope::itest {
namespace {

struct Held {
  uint64_t count = 0, bytes = 0;
  std::map<std::string, uint64_t> by_class;  // class name -> objects
  uint64_t finalizers = 0;                   // Finalizer objects whose referent is held
};

// Brute force: reachable with Finalizer.referent followed (but no other Reference.referent),
// minus reachable with every Reference.referent cut and the Finalizer thread's references to
// finalizable objects cut too (the one being finalized sits in a frame of it).
Held brute_force_held(const Opened& o) {
  const auto& idx = o.index();
  const auto& g = o.graph();
  std::set<ObjectIndex> finalizers, referents;
  for (auto f : instances_of(idx, "java.lang.ref.Finalizer")) {
    finalizers.insert(f);
    const auto r = ref_field(o.layouts(), f, "java.lang.ref.Reference", "referent");
    if (r != hprof::kNoObject) referents.insert(r);
  }
  const auto thread = find_thread(*o.engine, "Finalizer");
  auto bfs = [&](bool finalization) {
    return reachable_through(g, [&](NodeIndex v, uint64_t e) {
      if (g.is_referent(e) && !(finalization && finalizers.count(v))) return false;
      return finalization || v != thread || !referents.count(g.target(e));
    });
  };
  const auto with = bfs(true), without = bfs(false);
  Held h;
  for (ObjectIndex v = 0; v < idx.object_count(); ++v) {
    if (!with[v] || without[v]) continue;
    ++h.count;
    h.bytes += idx.shallow_size(v);
    ++h.by_class[o.engine->class_name_of(v)];
  }
  for (auto f : finalizers) {
    const auto r = ref_field(o.layouts(), f, "java.lang.ref.Reference", "referent");
    h.finalizers += r != hprof::kNoObject && with[r] && !without[r];
  }
  return h;
}

void expect_rows_add_up(const analysis::FinalizerReport& r) {
  uint64_t count = 0, bytes = 0;
  for (const auto& c : r.by_class) {
    count += c.held_only_count;
    bytes += c.held_only_bytes;
  }
  EXPECT_EQ(count, r.held_only_count);
  EXPECT_EQ(bytes, r.held_only_bytes);
}

class HeldByFinalization : public ::testing::TestWithParam<Sample> {};

TEST_P(HeldByFinalization, EqualsBruteForceAndRowsAddUp) {
  const auto sidecar = read_sidecar(GetParam());
  ASSERT_TRUE(sidecar.is_object()) << GetParam().sidecar();
  const auto o = open_sample(GetParam().dump(), EdgeFilter::kAll);
  ASSERT_TRUE(o.error.empty()) << o.error;
  const auto alone = analysis::analyze_finalization(*o.engine);
  const auto shared = analysis::analyze_machinery(*o.engine, 0).finalizer;
  const Held want = brute_force_held(o);
  for (const auto* r : {&alone, &shared}) {
    EXPECT_EQ(r->held_only_count, want.count);
    EXPECT_EQ(r->held_only_bytes, want.bytes);
    EXPECT_EQ(r->bookkeeping_count, want.finalizers);
    expect_rows_add_up(*r);
  }
  if (!sidecar.contains("finalizer")) return;
  const auto& fin = sidecar["finalizer"];
  const auto pending = fin["pending"].get<uint64_t>();
  const auto being = fin["being_finalized"].get<uint64_t>();
  const auto klass = fin["referent_class"].get<std::string>();
  if (pending + being == 0) {
    // Healthy: every finalizable object is in use; nothing would be freed.
    EXPECT_EQ(shared.held_only_count, 0u);
    EXPECT_EQ(shared.held_only_bytes, 0u);
    EXPECT_EQ(shared.bookkeeping_count, 0u);
    return;
  }
  // The backlog: every pending referent and the one being finalized, each with its payload.
  EXPECT_GE(shared.held_only_count, pending + being);
  const auto it = want.by_class.find(klass);
  ASSERT_NE(it, want.by_class.end());
  EXPECT_EQ(it->second, pending + being);
  EXPECT_EQ(shared.bookkeeping_count, pending + being);
  if (sidecar.contains("payload_bytes")) {
    EXPECT_EQ(want.by_class.at("byte[]"), pending + being);
  }
}

INSTANTIATE_TEST_SUITE_P(Samples, HeldByFinalization, ::testing::ValuesIn(all_samples(false)),
                         [](const auto& info) { return info.param.name(); });

}  // namespace
}  // namespace heapscope::itest
