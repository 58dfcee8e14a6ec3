// Group by class (child_groups.h) on the bundled demo dump (PgTimerLeak, JDK 17), against a
// brute force written here: for every node with children, the groups' sums equal the children's
// totals, each group's count equals a direct count of the children of its class, and members and
// groups come in retained order. Two classes of the same name (loaded twice) are two groups, as
// in MAT. The sample program knows its timer tasks (samples/demo/pg-timer-leak.json): of the
// 2,017 AbstractJdbc2Statement$1 in the queue, the 2,000 cancelled ones are held by the queue's
// array alone (the 17 scheduled ones also by their open statements), and they are one group of
// that array's children.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "heapscope/analysis/child_groups.h"
#include "heapscope/analysis/engine.h"

namespace heapscope::analysis {
namespace {

constexpr const char* kTaskClass = "org.postgresql.jdbc2.AbstractJdbc2Statement$1";
constexpr uint32_t kCancelledTasks = 2000;  // pg-timer-leak.json: timers[0].tasks.cancelled

// The class a child is grouped under, by the brute force's own rule: name and class object id.
std::string class_key(const hprof::Index& index, NodeIndex n) {
  if (index.kind(n) == hprof::ObjectKind::kClass) return "java.lang.Class";
  const auto& info = index.class_info(index.class_of(n));
  return info.name + "#" + std::to_string(info.id);
}

std::string group_key(const hprof::Index& index, const ChildGroup& g) {
  if (g.cls == hprof::kNoClass) return child_group_name(index, g);
  return child_group_name(index, g) + "#" + std::to_string(index.class_info(g.cls).id);
}

void check_node(const Engine& engine, DominatorChildren& children, NodeIndex parent) {
  const auto& index = engine.index();
  const auto& retained = engine.retained();
  const auto kids = children.of(parent);
  const ChildGroups cg = group_children_by_class(index, retained, kids);

  // Brute force: count and sum per class name with a map.
  struct Sums {
    uint32_t count = 0;
    uint64_t shallow = 0, bytes = 0, objects = 0;
  };
  std::map<std::string, Sums> direct;
  for (NodeIndex n : kids) {
    Sums& s = direct[class_key(index, n)];
    ++s.count;
    s.shallow += index.shallow_size(n);
    s.bytes += retained.bytes[n];
    s.objects += retained.count[n];
  }
  ASSERT_EQ(cg.groups.size(), direct.size()) << "node " << parent;
  ASSERT_EQ(cg.members.size(), kids.size());

  Sums total_groups, total_kids;
  for (NodeIndex n : kids) {
    total_kids.shallow += index.shallow_size(n);
    total_kids.bytes += retained.bytes[n];
    total_kids.objects += retained.count[n];
  }
  uint32_t next_begin = 0;
  for (size_t i = 0; i < cg.groups.size(); ++i) {
    const ChildGroup& g = cg.groups[i];
    const std::string name = group_key(index, g);
    ASSERT_TRUE(direct.count(name)) << name;
    const Sums& d = direct.at(name);
    EXPECT_EQ(g.count, d.count) << name;
    EXPECT_EQ(g.shallow_bytes, d.shallow) << name;
    EXPECT_EQ(g.retained_bytes, d.bytes) << name;
    EXPECT_EQ(g.retained_objects, d.objects) << name;
    EXPECT_EQ(g.begin, next_begin);
    next_begin += g.count;
    if (i > 0) {
      EXPECT_GE(cg.groups[i - 1].retained_bytes, g.retained_bytes);
    }
    const auto members = cg.members_of(g);
    for (size_t m = 0; m < members.size(); ++m) {
      EXPECT_EQ(class_key(index, members[m]), name);
      if (m > 0) {
        EXPECT_GE(retained.bytes[members[m - 1]], retained.bytes[members[m]]);
      }
    }
    total_groups.count += g.count;
    total_groups.shallow += g.shallow_bytes;
    total_groups.bytes += g.retained_bytes;
    total_groups.objects += g.retained_objects;
  }
  EXPECT_EQ(total_groups.count, kids.size());
  EXPECT_EQ(total_groups.shallow, total_kids.shallow);
  EXPECT_EQ(total_groups.bytes, total_kids.bytes);
  EXPECT_EQ(total_groups.objects, total_kids.objects);
  // Every child exactly once.
  std::vector<NodeIndex> a(kids.begin(), kids.end()), b = cg.members;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b);
}

class ChildGroupsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto heap = Heap::open(HEAPSCOPE_DEMO_DUMP);
    ASSERT_TRUE(heap) << heap.error().describe();
    heap_ = new Heap(std::move(*heap));
    auto engine = Engine::build(*heap_);
    ASSERT_TRUE(engine) << engine.error().describe();
    engine_ = new Engine(std::move(*engine));
  }
  static void TearDownTestSuite() {
    delete engine_;
    delete heap_;
  }
  static Heap* heap_;
  static Engine* engine_;
};
Heap* ChildGroupsTest::heap_ = nullptr;
Engine* ChildGroupsTest::engine_ = nullptr;

TEST_F(ChildGroupsTest, EveryNodeWithChildrenAgreesWithBruteForce) {
  DominatorChildren children(engine_->tree(), engine_->retained());
  const auto& count = engine_->retained().count;
  uint32_t checked = 0;
  for (NodeIndex v : engine_->tree().preorder()) {
    if (v != engine_->tree().root() && count[v] <= 1) continue;
    ASSERT_NO_FATAL_FAILURE(check_node(*engine_, children, v));
    ++checked;
  }
  EXPECT_GT(checked, 1000u);
}

TEST_F(ChildGroupsTest, OneNodeHoldsEveryTimerTaskInOneGroup) {
  DominatorChildren children(engine_->tree(), engine_->retained());
  const auto& index = engine_->index();
  uint32_t biggest = 0;
  for (NodeIndex v : engine_->tree().preorder()) {
    if (engine_->retained().count[v] <= kCancelledTasks) continue;
    const auto cg = group_children_by_class(index, engine_->retained(), children.of(v));
    for (const auto& g : cg.groups) {
      if (child_group_name(index, g) == kTaskClass) biggest = std::max(biggest, g.count);
    }
  }
  EXPECT_EQ(biggest, kCancelledTasks);
}

TEST_F(ChildGroupsTest, NoChildrenNoGroups) {
  const std::vector<NodeIndex> empty;
  const auto cg = group_children_by_class(engine_->index(), engine_->retained(), empty);
  EXPECT_TRUE(cg.groups.empty());
  EXPECT_TRUE(cg.members.empty());
}

}  // namespace
}  // namespace heapscope::analysis
