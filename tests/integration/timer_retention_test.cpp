// PgTimerLeak: what the cancelled TimerTasks keep alive, against the program's own numbers.
//
// The oracle is brute force on the object graph: the objects strongly reachable now but not
// once the CANCELLED tasks (TimerTask.state == 3) are deleted are what the tasks alone hold;
// their count per class must equal the sidecar's held_only_by_cancelled_all. A closed
// statement's retained set under kStrongOnly is checked against removal of the statement, and
// under kAll every statement's idom is the virtual root, proved by two root paths that share no
// other node.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "sample_dumps.h"

namespace heapscope::itest {
namespace {

constexpr std::string_view kStatement = "org.postgresql.jdbc3g.Jdbc3gPreparedStatement";
constexpr std::string_view kBaseStatement = "org.postgresql.jdbc2.AbstractJdbc2Statement";

class PgTimerLeak : public ::testing::TestWithParam<Sample> {
 protected:
  void SetUp() override {
    sidecar_ = read_sidecar(GetParam());
    ASSERT_TRUE(sidecar_.is_object()) << GetParam().sidecar();
    timer_ = sidecar_["timers"][0];
    opened_ = open_sample(GetParam().dump(), EdgeFilter::kAll);
    ASSERT_TRUE(opened_.error.empty()) << opened_.error;
    const auto& L = opened_.layouts();
    // The Timer's queue, found from its thread as a person would: TimerThread.queue.
    const auto thread = find_thread(*opened_.engine, timer_["thread_name"].get<std::string>());
    ASSERT_NE(thread, hprof::kNoObject) << "no thread " << timer_["thread_name"];
    task_queue_ = ref_field(L, thread, "java.util.TimerThread", "queue");
    ASSERT_NE(task_queue_, hprof::kNoObject);
    task_array_ = ref_field(L, task_queue_, "java.util.TaskQueue", "queue");
    ASSERT_NE(task_array_, hprof::kNoObject);
    const auto size = field(L, task_queue_, "java.util.TaskQueue", "size");
    ASSERT_TRUE(size);
    const auto elements = array_elements(opened_.index(), task_array_);
    capacity_ = elements.size();
    for (int64_t i = 1; i <= size->as_int(); ++i) queued_.push_back(elements.at(i));
    cancelled_mask_.assign(opened_.graph().node_count(), 0);
    for (ObjectIndex t : queued_) {
      ASSERT_NE(t, hprof::kNoObject);
      if (state(t) == 3) {
        cancelled_.push_back(t);
        cancelled_mask_[t] = 1;
      }
    }
  }

  int64_t state(ObjectIndex task) const {
    const auto v = field(opened_.layouts(), task, "java.util.TimerTask", "state");
    return v ? v->as_int() : -1;
  }
  // The statement an anonymous cancel task belongs to (its this$0).
  ObjectIndex statement_of(ObjectIndex task) const {
    const auto& L = opened_.layouts();
    const auto slot = L.find(opened_.index().class_of(task), "this$0");
    if (!slot) return hprof::kNoObject;
    const auto v = L.read(task, *slot);
    return v ? opened_.index().find(v->bits) : hprof::kNoObject;
  }
  std::string name_of(ObjectIndex o) const { return opened_.engine->class_name_of(o); }

  nlohmann::json sidecar_, timer_;
  Opened opened_;
  ObjectIndex task_queue_ = hprof::kNoObject, task_array_ = hprof::kNoObject;
  size_t capacity_ = 0;
  std::vector<ObjectIndex> queued_, cancelled_;
  std::vector<uint8_t> cancelled_mask_;
};

TEST_P(PgTimerLeak, TaskQueueMatchesSidecar) {
  EXPECT_EQ(queued_.size(), timer_["queue_size"].get<size_t>());
  EXPECT_EQ(capacity_, timer_["capacity"].get<size_t>());
  const char* names[] = {"virgin", "scheduled", "executed", "cancelled"};
  std::map<std::string, uint64_t> by_state;
  std::map<std::string, uint64_t> by_class;
  for (ObjectIndex t : queued_) {
    const auto s = state(t);
    ASSERT_TRUE(s >= 0 && s <= 3) << "state " << s;
    ++by_state[names[s]];
    ++by_class[name_of(t)];
  }
  for (const auto& [k, v] : timer_["tasks"].items()) {
    EXPECT_EQ(by_state[k], v.get<uint64_t>()) << k;
  }
  EXPECT_EQ(by_class, timer_["task_classes"].get<decltype(by_class)>());
  ASSERT_FALSE(queued_.empty());
  EXPECT_EQ(state(queued_[0]), 1) << "head is " << timer_["head_state"];
  EXPECT_EQ(timer_["head_state"], "SCHEDULED");
}

// held_only_by_cancelled_all: strong reachability with and without the cancelled tasks.
TEST_P(PgTimerLeak, CancelledTasksAloneHoldWhatTheSidecarSays) {
  const auto& g = opened_.graph();
  ASSERT_EQ(cancelled_.size(), timer_["tasks"]["cancelled"].get<size_t>());
  const auto before = reachable(g, EdgeFilter::kStrongOnly);
  const auto after = reachable(g, EdgeFilter::kStrongOnly, cancelled_mask_);
  std::map<std::string, uint64_t> freed;
  uint64_t freed_bytes = 0;
  for (ObjectIndex o = 0; o < opened_.index().object_count(); ++o) {
    if (!before[o] || after[o]) continue;
    freed_bytes += opened_.index().shallow_size(o);
    if (!cancelled_mask_[o]) ++freed[name_of(o)];
  }
  EXPECT_EQ(freed, timer_["held_only_by_cancelled_all"].get<decltype(freed)>());
  for (const auto& [name, n] : timer_["held_only_by_cancelled"].items()) {
    EXPECT_EQ(freed[name], n.get<uint64_t>()) << name;
  }
  // No two cancelled tasks share what they hold, so their retained sizes (kStrongOnly) add up
  // to exactly the freed objects plus the tasks themselves.
  const auto tree = analysis::DominatorTree::compute(g, EdgeFilter::kStrongOnly);
  const auto retained = analysis::compute_retained(tree, opened_.index());
  uint64_t bytes = 0, count = 0, expected_count = cancelled_.size();
  for (ObjectIndex t : cancelled_) {
    bytes += retained.bytes[t];
    count += retained.count[t];
  }
  for (const auto& [name, n] : freed) expected_count += n;
  EXPECT_EQ(bytes, freed_bytes);
  EXPECT_EQ(count, expected_count);
}

// Under kStrongOnly a closed statement is held by its cancelled task alone and retains exactly
// itself, its SQL String with the String's byte[], and its result buffer.
TEST_P(PgTimerLeak, ClosedStatementRetainsItselfAndItsPayload) {
  const auto& L = opened_.layouts();
  const auto& g = opened_.graph();
  const auto tree = analysis::DominatorTree::compute(g, EdgeFilter::kStrongOnly);
  const auto retained = analysis::compute_retained(tree, opened_.index());
  std::vector<std::pair<ObjectIndex, ObjectIndex>> closed;  // statement, its task
  for (ObjectIndex t : cancelled_) {
    const auto stmt = statement_of(t);
    ASSERT_NE(stmt, hprof::kNoObject);
    ASSERT_EQ(name_of(stmt), kStatement);
    const auto is_closed = field(L, stmt, kBaseStatement, "isClosed");
    ASSERT_TRUE(is_closed);
    EXPECT_EQ(is_closed->bits, 1u);
    closed.emplace_back(stmt, t);
  }
  ASSERT_EQ(closed.size(), sidecar_["count"].get<size_t>());

  auto payload = [&](ObjectIndex stmt) {
    const auto sql = ref_field(L, stmt, kBaseStatement, "sql");
    const auto buffer = ref_field(L, stmt, kBaseStatement, "resultBuffer");
    const auto chars =
        sql == hprof::kNoObject ? hprof::kNoObject : ref_field(L, sql, "java.lang.String", "value");
    return std::vector<ObjectIndex>{stmt, sql, chars, buffer};
  };
  // Every closed statement, through the tree.
  for (const auto& [stmt, task] : closed) {
    const auto p = payload(stmt);
    ASSERT_EQ(std::set<ObjectIndex>(p.begin(), p.end()).size(), 4u) << "statement " << stmt;
    ASSERT_EQ(std::count(p.begin(), p.end(), hprof::kNoObject), 0);
    EXPECT_EQ(tree.idom(stmt), task);
    EXPECT_EQ(tree.idom(p[1]), stmt);
    EXPECT_EQ(tree.idom(p[2]), p[1]);
    EXPECT_EQ(tree.idom(p[3]), stmt);
    uint64_t bytes = 0;
    for (ObjectIndex o : p) bytes += opened_.index().shallow_size(o);
    EXPECT_EQ(retained.count[stmt], 4u);
    EXPECT_EQ(retained.bytes[stmt], bytes);
  }
  // A few of them by the definition: remove the statement, see what else becomes unreachable.
  const auto before = reachable(g, EdgeFilter::kStrongOnly);
  std::vector<uint8_t> removed(g.node_count(), 0);
  for (size_t i : {size_t{0}, closed.size() / 3, closed.size() / 2, closed.size() - 1}) {
    const auto [stmt, task] = closed[i];
    removed[stmt] = 1;
    const auto after = reachable(g, EdgeFilter::kStrongOnly, removed);
    removed[stmt] = 0;
    std::set<ObjectIndex> lost;
    for (ObjectIndex o = 0; o < opened_.index().object_count(); ++o) {
      if (before[o] && !after[o]) lost.insert(o);
    }
    const auto p = payload(stmt);
    EXPECT_EQ(lost, std::set<ObjectIndex>(p.begin(), p.end())) << "statement " << stmt;
    EXPECT_EQ(brute_force_idom(g, EdgeFilter::kStrongOnly, stmt), task);
  }
}

// Under kAll (MAT) every statement is reached through its Finalizer (referent) and through its
// cancel task (this$0). A root path to the task that avoids every Finalizer and a root path to
// the Finalizer that avoids every task, sharing no node, make two paths to the statement that
// meet only at the virtual root: nothing else dominates it.
TEST_P(PgTimerLeak, EveryStatementIsDominatedByTheRootUnderAll) {
  const auto& idx = opened_.index();
  const auto& g = opened_.graph();
  const auto& L = opened_.layouts();
  const auto& tree = opened_.engine->tree();
  const auto statements = instances_of(idx, kStatement);
  ASSERT_EQ(statements.size(), sidecar_["classes"][std::string(kStatement)].get<size_t>());
  std::vector<ObjectIndex> task_of(g.node_count(), hprof::kNoObject);
  std::vector<ObjectIndex> finalizer_of(g.node_count(), hprof::kNoObject);
  std::vector<uint8_t> no_finalizers(g.node_count(), 0), no_tasks(g.node_count(), 0);
  for (ObjectIndex t : queued_) {
    no_tasks[t] = 1;
    if (const auto s = statement_of(t); s != hprof::kNoObject) task_of[s] = t;
  }
  for (ObjectIndex f : instances_of(idx, "java.lang.ref.Finalizer")) {
    no_finalizers[f] = 1;
    const auto r = ref_field(L, f, "java.lang.ref.Reference", "referent");
    if (r != hprof::kNoObject) finalizer_of[r] = f;
  }
  const auto to_tasks = bfs_parents(g, EdgeFilter::kAll, no_finalizers);
  const auto to_finalizers = bfs_parents(g, EdgeFilter::kAll, no_tasks);
  auto has_edge = [&](NodeIndex from, NodeIndex to) {
    const auto s = g.successors(from);
    return std::find(s.begin(), s.end(), to) != s.end();
  };
  std::vector<uint32_t> mark(g.node_count(), 0);
  uint32_t stamp = 0;
  for (ObjectIndex stmt : statements) {
    ++stamp;
    const auto t = task_of[stmt], f = finalizer_of[stmt];
    ASSERT_NE(t, hprof::kNoObject) << "statement " << stmt << " has no queued task";
    ASSERT_NE(f, hprof::kNoObject) << "statement " << stmt << " has no Finalizer";
    ASSERT_TRUE(has_edge(t, stmt) && has_edge(f, stmt));
    ASSERT_NE(to_tasks[t], analysis::kNoNode);
    ASSERT_NE(to_finalizers[f], analysis::kNoNode);
    for (NodeIndex v = t; v != g.root(); v = to_tasks[v]) {
      ASSERT_NE(v, stmt);
      mark[v] = stamp;
    }
    for (NodeIndex v = f; v != g.root(); v = to_finalizers[v]) {
      ASSERT_NE(v, stmt);
      ASSERT_NE(mark[v], stamp) << "both paths to statement " << stmt << " pass " << name_of(v);
    }
    EXPECT_EQ(tree.idom(stmt), tree.root()) << "statement " << stmt;
  }
}

INSTANTIATE_TEST_SUITE_P(Samples, PgTimerLeak,
                         ::testing::ValuesIn(samples({"PgTimerLeak"}, /*with_chunked=*/true)),
                         [](const auto& info) { return info.param.name(); });

}  // namespace
}  // namespace heapscope::itest
