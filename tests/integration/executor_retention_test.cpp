// ScheduledExecutorLeak: cancelled ScheduledFutureTasks left in each executor's
// DelayedWorkQueue (removeOnCancel=false). The plain executor's cancelled tasks hold nothing
// (FutureTask.cancel() drops the callable); the decorating one's keep their request context and
// payload. Checked against the sidecar by brute-force strong reachability, per executor.
#include <gtest/gtest.h>

#include "sample_dumps.h"

namespace heapscope::itest {
namespace {

constexpr std::string_view kFutureTask = "java.util.concurrent.FutureTask";

class ScheduledExecutorLeak : public ::testing::TestWithParam<Sample> {
 protected:
  void SetUp() override {
    sidecar_ = read_sidecar(GetParam());
    ASSERT_TRUE(sidecar_.is_object()) << GetParam().sidecar();
    opened_ = open_sample(GetParam().dump(), EdgeFilter::kAll);
    ASSERT_TRUE(opened_.error.empty()) << opened_.error;
  }

  // FutureTask.state of a queued element, through the FutureTask a decorator wraps.
  int64_t state(ObjectIndex e) const {
    const auto& L = opened_.layouts();
    const auto& idx = opened_.index();
    ObjectIndex task = e;
    if (!L.is_subclass_of(idx.class_of(e), kFutureTask)) {
      task = hprof::kNoObject;
      for (const auto& f : L.fields(idx.class_of(e))) {
        const auto v = f.type == 2 ? L.read(e, f) : std::nullopt;
        const auto o = v ? idx.find(v->bits) : hprof::kNoObject;
        if (o != hprof::kNoObject && idx.kind(o) == hprof::ObjectKind::kInstance &&
            L.is_subclass_of(idx.class_of(o), kFutureTask)) {
          task = o;
          break;
        }
      }
      if (task == hprof::kNoObject) return -1;
    }
    const auto v = field(L, task, kFutureTask, "state");
    return v ? v->as_int() : -1;
  }

  nlohmann::json sidecar_;
  Opened opened_;
};

TEST_P(ScheduledExecutorLeak, EachExecutorsCancelledTasksHoldWhatTheSidecarSays) {
  const auto& idx = opened_.index();
  const auto& L = opened_.layouts();
  const auto& g = opened_.graph();
  const auto before = reachable(g, EdgeFilter::kStrongOnly);
  ASSERT_EQ(sidecar_["timers"].size(), 2u);
  for (const auto& timer : sidecar_["timers"]) {
    const auto executor_class = timer["executor_class"].get<std::string>();
    SCOPED_TRACE(executor_class);
    EXPECT_NE(find_thread(*opened_.engine, timer["thread_name"].get<std::string>()),
              hprof::kNoObject);
    const auto executors = instances_of(idx, executor_class);
    ASSERT_EQ(executors.size(), 1u);
    const auto queue =
        ref_field(L, executors[0], "java.util.concurrent.ThreadPoolExecutor", "workQueue");
    ASSERT_NE(queue, hprof::kNoObject);
    const std::string dwq = "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue";
    const auto array = ref_field(L, queue, dwq, "queue");
    const auto size = field(L, queue, dwq, "size");
    ASSERT_NE(array, hprof::kNoObject);
    ASSERT_TRUE(size);
    const auto elements = array_elements(idx, array);
    EXPECT_EQ(elements.size(), timer["capacity"].get<size_t>());
    EXPECT_EQ(size->as_int(), timer["queue_size"].get<int64_t>());

    std::map<std::string, uint64_t> by_state, by_class;
    std::vector<uint8_t> cancelled(g.node_count(), 0);
    for (int64_t i = 0; i < size->as_int(); ++i) {
      const auto e = elements.at(i);
      ASSERT_NE(e, hprof::kNoObject);
      const auto s = state(e);
      ASSERT_TRUE(s == 0 || s == 4) << "FutureTask state " << s;
      ++by_state[s == 0 ? "scheduled" : "cancelled"];
      ++by_class[opened_.engine->class_name_of(e)];
      if (s == 4) cancelled[e] = 1;
      if (i == 0) {
        EXPECT_EQ(timer["head_state"], s == 0 ? "SCHEDULED" : "CANCELLED");
      }
    }
    EXPECT_EQ(by_state, timer["tasks"].get<decltype(by_state)>());
    EXPECT_EQ(by_class, timer["task_classes"].get<decltype(by_class)>());

    const auto after = reachable(g, EdgeFilter::kStrongOnly, cancelled);
    std::map<std::string, uint64_t> freed;
    for (ObjectIndex o = 0; o < idx.object_count(); ++o) {
      if (before[o] && !after[o] && !cancelled[o]) ++freed[opened_.engine->class_name_of(o)];
    }
    EXPECT_EQ(freed, timer["held_only_by_cancelled_all"].get<decltype(freed)>());
    for (const auto& [name, n] : timer["held_only_by_cancelled"].items()) {
      EXPECT_EQ(freed[name], n.get<uint64_t>()) << name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Samples, ScheduledExecutorLeak,
                         ::testing::ValuesIn(samples({"ScheduledExecutorLeak"})),
                         [](const auto& info) { return info.param.name(); });

}  // namespace
}  // namespace heapscope::itest
