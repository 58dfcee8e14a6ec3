// java.lang.ref.Finalizer state in every sample with a finalizable class: the unfinalized list,
// the Finalizer queue and the one being finalized, split as the sidecar does; the "Finalizer"
// thread found by name, with the stack the program saw. FinalizerBacklog: the blocked
// finalize() and 2999 pending Finalizers.
#include <gtest/gtest.h>

#include <set>

#include "heapscope/analysis/paths.h"
#include "sample_dumps.h"

namespace heapscope::itest {
namespace {

constexpr std::string_view kFinalizer = "java.lang.ref.Finalizer";
constexpr std::string_view kReference = "java.lang.ref.Reference";

class Finalization : public ::testing::TestWithParam<Sample> {
 protected:
  void SetUp() override {
    sidecar_ = read_sidecar(GetParam());
    ASSERT_TRUE(sidecar_.is_object()) << GetParam().sidecar();
    fin_ = sidecar_["finalizer"];
    opened_ = open_sample(GetParam().dump(), EdgeFilter::kAll);
    ASSERT_TRUE(opened_.error.empty()) << opened_.error;
  }

  // The referent is an instance of the sidecar's finalize_class (or a subclass).
  bool ours(ObjectIndex finalizer) const {
    const auto r = ref_field(opened_.layouts(), finalizer, kReference, "referent");
    return r != hprof::kNoObject && opened_.index().kind(r) == hprof::ObjectKind::kInstance &&
           opened_.layouts().is_subclass_of(opened_.index().class_of(r),
                                            fin_["finalize_class"].get<std::string>());
  }

  nlohmann::json sidecar_, fin_;
  Opened opened_;
};

TEST_P(Finalization, ListQueueAndBeingFinalizedMatchSidecar) {
  const auto& idx = opened_.index();
  const auto& L = opened_.layouts();
  std::set<ObjectIndex> in_list, in_queue;
  for (auto o = static_ref(idx, kFinalizer, "unfinalized"); o != hprof::kNoObject;
       o = ref_field(L, o, kFinalizer, "next")) {
    ASSERT_TRUE(in_list.insert(o).second) << "the unfinalized list loops";
  }
  const auto queue = static_ref(idx, kFinalizer, "queue");
  ASSERT_NE(queue, hprof::kNoObject);
  for (auto o = ref_field(L, queue, "java.lang.ref.ReferenceQueue", "head");
       o != hprof::kNoObject;) {
    ASSERT_TRUE(in_queue.insert(o).second) << "the queue loops";
    const auto next = ref_field(L, o, kReference, "next");
    if (next == o) break;  // the last element points at itself
    o = next;
  }
  const auto queue_length = field(L, queue, "java.lang.ref.ReferenceQueue", "queueLength");
  ASSERT_TRUE(queue_length);
  EXPECT_EQ(queue_length->as_int(), static_cast<int64_t>(in_queue.size()));
  EXPECT_EQ(queue_length->as_int(), fin_["queue_length_all_classes"].get<int64_t>());

  uint64_t registered = 0, pending = 0, pending_in_list = 0, being = 0, listed = 0, all = 0;
  for (ObjectIndex f : instances_of(idx, kFinalizer)) {
    if (!ours(f)) continue;
    ++all;
    const bool l = in_list.count(f), q = in_queue.count(f);
    listed += l;
    registered += l && !q;
    pending += q;
    pending_in_list += l && q;
    being += !l && !q && ref_field(L, f, kFinalizer, "next") == f;
  }
  EXPECT_EQ(registered, fin_["registered"].get<uint64_t>());
  EXPECT_EQ(pending, fin_["pending"].get<uint64_t>());
  EXPECT_EQ(pending_in_list, fin_["pending"].get<uint64_t>());
  EXPECT_EQ(being, fin_["being_finalized"].get<uint64_t>());
  EXPECT_EQ(listed, fin_["unfinalized_list"].get<uint64_t>());
  // One Finalizer per live finalizable object, none left over.
  EXPECT_EQ(all, registered + pending + being);
  EXPECT_EQ(instances_of_subclasses(L, fin_["finalize_class"].get<std::string>()).size(), all);
}

TEST_P(Finalization, FinalizerThreadIsFoundByNameWithItsStack) {
  const auto& idx = opened_.index();
  const auto thread = find_thread(*opened_.engine, "Finalizer");
  ASSERT_NE(thread, hprof::kNoObject);
  EXPECT_EQ(opened_.engine->class_name_of(thread), "java.lang.ref.Finalizer$FinalizerThread");
  const hprof::StackTrace* trace = nullptr;
  for (const auto& t : idx.threads()) {
    if (t.object == thread) trace = idx.find_trace(t.trace_serial);
  }
  ASSERT_NE(trace, nullptr);
  std::vector<std::string> frames;
  for (uint32_t i = 0; i < trace->frame_count; ++i) {
    const auto* f = idx.find_frame(idx.trace_frame_ids()[trace->first_frame + i]);
    ASSERT_NE(f, nullptr);
    frames.push_back(std::string(idx.class_name_by_serial(f->class_serial)) + "." +
                     std::string(idx.utf8(f->method_name_id)));
  }
  const auto expected = fin_["finalizer_thread_stack"].get<std::vector<std::string>>();
  ASSERT_GE(frames.size(), expected.size());
  frames.resize(expected.size());
  EXPECT_EQ(frames, expected);
}

INSTANTIATE_TEST_SUITE_P(
    Samples, Finalization,
    ::testing::ValuesIn(samples({"PgTimerLeak", "FinalizerBacklog", "CleanControl"}, true)),
    [](const auto& info) { return info.param.name(); });

class FinalizerBacklog : public ::testing::TestWithParam<int> {};

TEST_P(FinalizerBacklog, SlowResourcesPileUpBehindTheBlockedFinalizer) {
  const Sample s{"FinalizerBacklog", GetParam()};
  const auto sidecar = read_sidecar(s);
  ASSERT_TRUE(sidecar.is_object());
  auto o = open_sample(s.dump(), EdgeFilter::kAll);
  ASSERT_TRUE(o.error.empty()) << o.error;
  const auto& idx = o.index();
  const auto cls = sidecar["finalizer"]["finalize_class"].get<std::string>();
  const auto resources = instances_of(idx, cls);
  EXPECT_EQ(resources.size(), sidecar["classes"][cls].get<size_t>());
  EXPECT_EQ(resources.size(),
            sidecar["count"].get<size_t>() + sidecar["registered_objects"].get<size_t>());
  // Pending ones are unreachable through strong references: only Finalizer.referent holds them.
  const auto strong = reachable(o.graph(), EdgeFilter::kStrongOnly);
  const auto all = reachable(o.graph(), EdgeFilter::kAll);
  size_t weakly_held = 0;
  for (ObjectIndex r : resources) {
    EXPECT_TRUE(all[r]);
    weakly_held += !strong[r];
  }
  EXPECT_EQ(weakly_held, sidecar["finalizer"]["pending"].get<size_t>());
  // The Finalizer thread is blocked in SlowResource.finalize(): a frame of it holds the one
  // being finalized.
  const auto thread = find_thread(*o.engine, "Finalizer");
  ASSERT_NE(thread, hprof::kNoObject);
  size_t in_finalize = 0;
  for (ObjectIndex r : resources) {
    for (const auto& why : analysis::describe_root(*o.engine, r)) {
      in_finalize += why.find("of thread \"Finalizer\"") != std::string::npos &&
                     why.find("SlowResource.finalize(") != std::string::npos;
    }
  }
  EXPECT_EQ(in_finalize, sidecar["finalizer"]["being_finalized"].get<size_t>());
}

INSTANTIATE_TEST_SUITE_P(Jdks, FinalizerBacklog, ::testing::ValuesIn(jdks()),
                         [](const auto& info) { return "jdk" + std::to_string(info.param); });

}  // namespace
}  // namespace heapscope::itest
