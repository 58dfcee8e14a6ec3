// The graph builder on a hand-built dump: a thread's Java-frame locals hang off its thread
// object (they are not GC roots then), also when that object is not an instance, which only a
// damaged dump has; the builder counts every slot it fills in the same pass, so nothing may be
// left over or shifted into the next object's edges.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "heapscope/analysis/engine.h"
#include "hprof_writer.h"
#include "test_env.h"

namespace heapscope::analysis {
namespace {

using testing::HprofWriter;

std::vector<uint64_t> edges_of(const Engine& e, uint64_t id) {
  const auto& idx = e.index();
  const NodeIndex v = idx.find(id);
  std::vector<uint64_t> out;
  for (NodeIndex t : e.graph().successors(v)) out.push_back(idx.object_id(t));
  return out;
}

TEST(GraphBuild, LocalsFollowTheirThreadObjectWhateverItsKind) {
  testing::TempDir dir;
  HprofWriter w(8);
  w.utf8(1, "java/lang/Object").load_class(1, 0x1000, 1, 1);
  w.utf8(2, "[Ljava/lang/Object;").load_class(2, 0x1100, 1, 2);
  w.begin_segment().class_dump({.id = 0x1000}).class_dump({.id = 0x1100, .super_id = 0x1000});
  // Thread 1's object is an Object[] (damaged dump), thread 2's an instance; each has two
  // Java-frame locals. Objects in id order: 0x2000.. the locals, 0x3000 and 0x3010 the threads.
  for (uint64_t id = 0x2000; id < 0x2040; id += 0x10) w.instance_dump(id, 0x1000, {});
  w.obj_array_dump(0x3000, 0x1100, {0x2000, 0, 0x2010});
  w.instance_dump(0x3010, 0x1000, {});
  w.root_thread_obj(0x3000, 1, 1).root_thread_obj(0x3010, 2, 1);
  w.root_java_frame(0x2020, 1, 0).root_java_frame(0x2030, 1, 0);
  w.root_java_frame(0x2000, 2, 0).root_java_frame(0x2010, 2, 0);
  w.heap_dump_end();
  auto heap = Heap::open(dir.write("threads.hprof", w.bytes()));
  ASSERT_TRUE(heap);
  auto engine = Engine::build(*heap);
  ASSERT_TRUE(engine);
  // The array: its class, its two non-null elements, then its thread's locals.
  EXPECT_EQ(edges_of(*engine, 0x3000),
            (std::vector<uint64_t>{0x1100, 0x2000, 0x2010, 0x2020, 0x2030}));
  EXPECT_EQ(edges_of(*engine, 0x3010), (std::vector<uint64_t>{0x1000, 0x2000, 0x2010}));
  for (uint64_t id = 0x2000; id < 0x2040; id += 0x10) {
    EXPECT_EQ(edges_of(*engine, id), (std::vector<uint64_t>{0x1000})) << std::hex << id;
  }
  // The virtual root's successors: the two thread objects; the locals are no roots of their own.
  const auto& g = engine->graph();
  std::vector<uint64_t> roots;
  for (NodeIndex t : g.successors(g.root())) roots.push_back(engine->index().object_id(t));
  std::sort(roots.begin(), roots.end());
  EXPECT_EQ(roots, (std::vector<uint64_t>{0x3000, 0x3010}));
  EXPECT_EQ(g.dangling_references(), 0u);
}

}  // namespace
}  // namespace heapscope::analysis
