// Shortest paths from GC roots on PgTimerLeak: a cancelled task is reached from the Timer's
// thread through java.util.TaskQueue and its java.util.TimerTask[]; every path is a chain of
// real edges, as short as a plain BFS says, and a strong-only path never uses a referent.
#include <gtest/gtest.h>

#include "heapscope/analysis/paths.h"
#include "heapscope/analysis/strings.h"
#include "sample_dumps.h"

namespace heapscope::itest {
namespace {

constexpr std::string_view kTimerThread = "PostgreSQL-JDBC-SharedTimer-1";

class Paths : public ::testing::TestWithParam<Sample> {
 protected:
  void SetUp() override {
    opened_ = open_sample(GetParam().dump(), EdgeFilter::kAll);
    ASSERT_TRUE(opened_.error.empty()) << opened_.error;
    for (ObjectIndex t : instances_of_subclasses(opened_.layouts(), "java.util.TimerTask")) {
      const auto s = field(opened_.layouts(), t, "java.util.TimerTask", "state");
      if (s && s->as_int() == 3) cancelled_.push_back(t);
    }
  }

  // Each step follows an edge of the previous node to this one, under `filter`.
  void expect_well_formed(const analysis::Path& path, NodeIndex target, EdgeFilter filter) {
    const auto& g = opened_.graph();
    ASSERT_FALSE(path.empty());
    EXPECT_EQ(path.back().node, target);
    EXPECT_FALSE(analysis::describe_root(*opened_.engine, path.front().node).empty())
        << "the first step is not a GC root";
    for (size_t i = 1; i < path.size(); ++i) {
      const auto e = path[i].edge;
      ASSERT_GE(e, g.edge_begin(path[i - 1].node)) << "step " << i;
      ASSERT_LT(e, g.edge_end(path[i - 1].node)) << "step " << i;
      EXPECT_EQ(g.target(e), path[i].node) << "step " << i;
      EXPECT_TRUE(g.follows(e, filter)) << "step " << i;
    }
    // As short as a BFS from the virtual root finds (the root's edge is not a step).
    const auto parent = bfs_parents(g, filter);
    size_t hops = 0;
    for (NodeIndex v = target; v != g.root(); v = parent[v]) ++hops;
    EXPECT_EQ(path.size(), hops);
  }

  Opened opened_;
  std::vector<ObjectIndex> cancelled_;
};

TEST_P(Paths, CancelledTaskIsReachedFromTheTimerThreadThroughTheTaskQueue) {
  ASSERT_FALSE(cancelled_.empty());
  const auto& engine = *opened_.engine;
  for (ObjectIndex task :
       {cancelled_.front(), cancelled_[cancelled_.size() / 2], cancelled_.back()}) {
    const auto paths = analysis::shortest_paths_to(engine, task, 1, EdgeFilter::kStrongOnly);
    ASSERT_EQ(paths.size(), 1u);
    const auto& path = paths[0];
    expect_well_formed(path, task, EdgeFilter::kStrongOnly);
    // The root: the timer thread object itself (ROOT_THREAD_OBJ) or a local of its frames.
    const NodeIndex first = path.front().node;
    bool thread_root = false;
    for (const auto& why : analysis::describe_root(engine, first)) {
      if (why == "ROOT_THREAD_OBJ") {
        thread_root |= analysis::thread_name(engine, first) == kTimerThread;
      } else {
        thread_root |=
            why.find("of thread \"" + std::string(kTimerThread) + "\"") != std::string::npos;
      }
    }
    EXPECT_TRUE(thread_root) << engine.class_name_of(first) << " is not the timer thread's root";
    std::vector<std::string> classes;
    for (const auto& step : path) classes.push_back(engine.class_name_of(step.node));
    auto at = [&](std::string_view c) { return std::find(classes.begin(), classes.end(), c); };
    ASSERT_NE(at("java.util.TaskQueue"), classes.end());
    ASSERT_NE(at("java.util.TimerTask[]"), classes.end());
    EXPECT_EQ(at("java.util.TaskQueue") + 1, at("java.util.TimerTask[]"));
    EXPECT_EQ(at("java.util.TimerTask[]") + 1, classes.end() - 1) << "the array holds the task";
    const size_t a = at("java.util.TimerTask[]") - classes.begin();
    EXPECT_EQ(analysis::describe_edge(engine, path[a - 1].node, path[a].edge), "field queue");
    EXPECT_EQ(analysis::describe_edge(engine, path[a].node, path.back().edge).front(), '[');
  }
}

// A closed statement is reached strongly only through its task's this$0.
TEST_P(Paths, ClosedStatementIsReachedThroughItsTask) {
  ASSERT_FALSE(cancelled_.empty());
  const auto& engine = *opened_.engine;
  const ObjectIndex task = cancelled_[cancelled_.size() / 3];
  const auto this0 = opened_.layouts().find(opened_.index().class_of(task), "this$0");
  ASSERT_TRUE(this0);
  const auto stmt = opened_.index().find(opened_.layouts().read(task, *this0)->bits);
  ASSERT_NE(stmt, hprof::kNoObject);
  const auto strong = analysis::shortest_paths_to(engine, stmt, 3, EdgeFilter::kStrongOnly);
  ASSERT_EQ(strong.size(), 1u) << "only one strong referrer";
  expect_well_formed(strong[0], stmt, EdgeFilter::kStrongOnly);
  ASSERT_GE(strong[0].size(), 2u);
  EXPECT_EQ(strong[0][strong[0].size() - 2].node, task);
  EXPECT_EQ(analysis::describe_edge(engine, task, strong[0].back().edge), "field this$0");
  // With every reference, the statement's Finalizer is a second referrer (through referent).
  const auto all = analysis::shortest_paths_to(engine, stmt, 3, EdgeFilter::kAll);
  ASSERT_EQ(all.size(), 2u);
  bool via_referent = false;
  for (const auto& p : all) {
    EXPECT_EQ(p.back().node, stmt);
    via_referent |= opened_.graph().is_referent(p.back().edge);
  }
  EXPECT_TRUE(via_referent);
}

INSTANTIATE_TEST_SUITE_P(Samples, Paths,
                         ::testing::ValuesIn(samples({"PgTimerLeak"}, /*with_chunked=*/true)),
                         [](const auto& info) { return info.param.name(); });

}  // namespace
}  // namespace heapscope::itest
