// java.lang.ref.Cleaner on the CleanerLeak dumps (JDK 17: linked list; JDK 25: array nodes):
// every Cleaner the sidecar lists with its exact counts per class, the never-cleanable
// registrations and the bytes they keep alive against a brute-force marking, the stuck Cleaner
// thread, and the direct ByteBuffers' jdk.internal.ref.Cleaner list against a walk of the
// static list written here from the raw fields.
#include <gtest/gtest.h>

#include <set>

#include "cleaner_findings.h"
#include "heapscope/analysis/analyzers/cleaner.h"
#include "sample_dumps.h"

namespace heapscope::itest {
namespace {

using analysis::CleanerReport;

class CleanerLeak : public ::testing::TestWithParam<Sample> {
 protected:
  void SetUp() override {
    sidecar_ = read_sidecar(GetParam());
    ASSERT_TRUE(sidecar_.is_object()) << GetParam().sidecar();
    opened_ = open_sample(GetParam().dump(), EdgeFilter::kAll);
    ASSERT_TRUE(opened_.error.empty()) << opened_.error;
    cleaners_ = analysis::analyze_cleaners(*opened_.engine);
  }

  const CleanerReport* by_thread(const std::string& name) const {
    for (const auto& c : cleaners_) {
      if (c.thread_name == name) return &c;
    }
    return nullptr;
  }

  nlohmann::json sidecar_;
  Opened opened_;
  std::vector<CleanerReport> cleaners_;
};

TEST_P(CleanerLeak, EveryCleanerHasTheSidecarsCounts) {
  for (const auto& want : sidecar_["cleaners"]) {
    const auto name = want["thread_name"].get<std::string>();
    SCOPED_TRACE(name);
    const CleanerReport* got = by_thread(name);
    ASSERT_NE(got, nullptr);
    EXPECT_EQ(got->kind, "java.lang.ref.Cleaner");
    EXPECT_EQ(got->thread_state, want["thread_state"].get<std::string>());
    EXPECT_EQ(got->registered, want["registered"].get<uint64_t>());
    EXPECT_EQ(got->pending, want["pending"].get<uint64_t>());
    EXPECT_EQ(got->never_cleanable, want["never_cleanable"].get<uint64_t>());
    EXPECT_EQ(got->search_truncated, 0u);
    std::set<std::tuple<std::string, uint64_t, uint64_t>> w, g;
    for (const auto& c : want["by_referent_class"]) {
      w.insert({c["class"].get<std::string>(), c["registered"].get<uint64_t>(),
                c["never_cleanable"].get<uint64_t>()});
    }
    for (const auto& c : got->by_referent_class)
      g.insert({c.klass, c.registered, c.never_cleanable});
    EXPECT_EQ(g, w);
    for (const auto& [action, n] : want["pending_by_action_class"].items()) {
      uint64_t pending = 0;
      for (const auto& c : got->by_action_class) pending += c.klass == action ? c.pending : 0;
      EXPECT_EQ(pending, n.get<uint64_t>()) << action;
    }
  }
}

TEST_P(CleanerLeak, NeverCleanableBytesMatchBruteForceMarking) {
  const CleanerReport* app = by_thread("app-cleaner");
  ASSERT_NE(app, nullptr);
  // The wrong registrations, found from the program's classes (not from the analyzer): the
  // PhantomCleanableRefs whose referent is one of the three wrong resource classes.
  const auto& L = opened_.layouts();
  std::vector<uint8_t> removed(opened_.graph().node_count(), 0);
  size_t wrong = 0;
  for (auto o : instances_of(opened_.index(), "jdk.internal.ref.CleanerImpl$PhantomCleanableRef")) {
    const auto r = ref_field(L, o, "java.lang.ref.Reference", "referent");
    if (r == hprof::kNoObject) continue;
    const auto cls = opened_.engine->class_name_of(r);
    if (cls.ends_with("$LambdaResource") || cls.ends_with("$InnerResource") ||
        cls.ends_with("$SharedStateResource")) {
      removed[o] = 1;
      ++wrong;
    }
  }
  EXPECT_EQ(wrong, app->never_cleanable);
  // Freed when the list lets go of them: strongly reachable now, not once they are gone.
  const auto before = reachable(opened_.graph(), EdgeFilter::kStrongOnly);
  const auto after = reachable(opened_.graph(), EdgeFilter::kStrongOnly, removed);
  uint64_t objects = 0, bytes = 0;
  for (ObjectIndex o = 0; o < opened_.index().object_count(); ++o) {
    if (before[o] && !after[o]) {
      ++objects;
      bytes += opened_.index().shallow_size(o);
    }
  }
  EXPECT_EQ(app->never_cleanable_objects, objects);
  EXPECT_EQ(app->never_cleanable_bytes, bytes);
  // Each keeps its cleanable, action, resource and payload.
  EXPECT_EQ(objects, 4 * wrong);
  EXPECT_GE(bytes, wrong * sidecar_["payload_bytes"].get<uint64_t>());
  // One example per wrong class, each a path from the action to its referent.
  ASSERT_EQ(app->examples.size(), 3u);
  for (const auto& x : app->examples) {
    ASSERT_GE(x.path.size(), 2u);
    EXPECT_EQ(x.path.front().object_id, x.action_id);
    EXPECT_EQ(x.path.back().object_id, x.referent_id);
    EXPECT_EQ(x.path.back().klass, x.referent_class);
    EXPECT_FALSE(x.path.front().via.empty());
  }
  const auto findings = analysis::cleaner_findings(cleaners_, 1ull << 40);
  bool never = false;
  for (const auto& f : findings) never = never || f.kind == "cleaner-never-cleanable";
  EXPECT_TRUE(never);
}

TEST_P(CleanerLeak, StuckCleanerThreadIsBlockedInTheAction) {
  const CleanerReport* stuck = by_thread("stuck-cleaner");
  ASSERT_NE(stuck, nullptr);
  EXPECT_EQ(stuck->verdict, "blocked");
  EXPECT_EQ(stuck->running_action_class, sidecar_["stuck_action_class"].get<std::string>());
  EXPECT_EQ(stuck->being_cleaned, 1u);
  const CleanerReport* app = by_thread("app-cleaner");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->verdict, "idle");
  EXPECT_TRUE(app->running_action_class.empty());
  size_t stuck_findings = 0;
  for (const auto& f : analysis::cleaner_findings(cleaners_, 1ull << 40)) {
    if (f.kind != "cleaner-stuck") continue;
    ++stuck_findings;
    EXPECT_NE(f.title.find("stuck-cleaner"), std::string::npos) << f.title;
  }
  EXPECT_EQ(stuck_findings, 1u);
}

TEST_P(CleanerLeak, DirectBufferCleanersMatchAWalkOfTheStaticList) {
  const auto& L = opened_.layouts();
  constexpr std::string_view kCleaner = "jdk.internal.ref.Cleaner";
  uint64_t walked = 0, buffers = 0;
  std::set<ObjectIndex> seen;
  for (auto o = static_ref(opened_.index(), kCleaner, "first"); o != hprof::kNoObject;
       o = ref_field(L, o, kCleaner, "next")) {
    ASSERT_TRUE(seen.insert(o).second) << "the list loops";
    ++walked;
    const auto r = ref_field(L, o, "java.lang.ref.Reference", "referent");
    buffers +=
        r != hprof::kNoObject && opened_.engine->class_name_of(r) == "java.nio.DirectByteBuffer";
  }
  const CleanerReport* got = nullptr;
  for (const auto& c : cleaners_) got = c.kind == kCleaner ? &c : got;
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(got->registered, walked);
  EXPECT_EQ(got->thread_name, "Reference Handler");
  EXPECT_GE(buffers, sidecar_["direct_buffers"]["ours"].get<uint64_t>());
  EXPECT_EQ(got->never_cleanable, 0u);
}

INSTANTIATE_TEST_SUITE_P(Samples, CleanerLeak, ::testing::ValuesIn(samples({"CleanerLeak"})),
                         [](const auto& info) { return info.param.name(); });

}  // namespace
}  // namespace heapscope::itest
