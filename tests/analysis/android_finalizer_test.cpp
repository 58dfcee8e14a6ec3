// Android finalization (java.lang.ref.FinalizerReference) on the Dalvik-era corpus dump: the
// analyzer's counts against a walk of the list and the queue written here from the raw
// records (class dumps and instance payloads of hprof::Index, decoded by hand), not with the
// analyzer's field layouts or helpers.
#include <gtest/gtest.h>

#include <set>

#include "heapscope/analysis/analyzers/finalizer.h"
#include "heapscope/analysis/engine.h"
#include "heapscope/hprof/big_endian.h"
#include "test_env.h"

namespace heapscope::analysis {
namespace {

constexpr const char* kDump =
    "square__leakcanary__leakcanary-analyzer_src_test_resources_leak_service_binder.hprof";

// Field values of instances decoded from the INSTANCE_DUMP payload: own fields first, then
// each superclass's, in CLASS_DUMP order.
class RawFields {
 public:
  explicit RawFields(const hprof::Index& index) : index_(index) {}

  // The object id in field `name` declared by the class named `declaring`; 0 when absent.
  uint64_t ref(hprof::ObjectIndex o, std::string_view declaring, std::string_view name) const {
    const auto data = index_.instance_data(o);
    uint64_t offset = 0;
    for (auto c = index_.class_of(o); c != hprof::kNoClass; c = index_.class_info(c).super) {
      const auto& info = index_.class_info(c);
      for (const auto& f : info.fields) {
        const uint32_t size = f.type == 2 ? index_.id_size() : size_of(f.type);
        if (info.name == declaring && index_.utf8(f.name_id) == name) {
          EXPECT_EQ(f.type, 2);
          EXPECT_LE(offset + size, data.size());
          return hprof::load_id(data.data() + offset, size);
        }
        offset += size;
      }
    }
    ADD_FAILURE() << "no field " << declaring << "." << name;
    return 0;
  }

  uint64_t static_ref(std::string_view klass, std::string_view name) const {
    for (auto c : index_.find_classes_by_name(klass)) {
      for (const auto& s : index_.class_info(c).statics) {
        if (index_.utf8(s.name_id) == name) return s.value;
      }
    }
    ADD_FAILURE() << "no static " << klass << "." << name;
    return 0;
  }

 private:
  static uint32_t size_of(uint8_t type) {
    switch (type) {
      case 4:
      case 8:
        return 1;  // boolean, byte
      case 5:
      case 9:
        return 2;  // char, short
      case 6:
      case 10:
        return 4;  // float, int
      default:
        return 8;  // double, long
    }
  }
  const hprof::Index& index_;
};

TEST(AndroidFinalization, FinalizerReferenceCountsMatchARawWalk) {
  const auto dir = heapscope::testing::corpus_dir();
  ASSERT_FALSE(dir.empty()) << "no corpus directory (HEAPSCOPE_CORPUS_DIR)";
  auto heap = Heap::open(dir / kDump);
  ASSERT_TRUE(heap) << heap.error().message;
  const auto& index = heap->index();
  auto engine = Engine::build(*heap);
  ASSERT_TRUE(engine) << engine.error().message;
  const FinalizerReport r = analyze_finalization(*engine);

  const RawFields raw(index);
  constexpr std::string_view kRef = "java.lang.ref.FinalizerReference";
  std::set<hprof::ObjectIndex> list, queue;
  for (uint64_t id = raw.static_ref(kRef, "head"); id != 0;
       id = raw.ref(index.find(id), kRef, "next")) {
    ASSERT_TRUE(list.insert(index.find(id)).second) << "the list loops";
  }
  const auto q = index.find(raw.static_ref(kRef, "queue"));
  ASSERT_NE(q, hprof::kNoObject);
  for (uint64_t id = raw.ref(q, "java.lang.ref.ReferenceQueue", "head"); id != 0;) {
    const auto o = index.find(id);
    ASSERT_TRUE(queue.insert(o).second) << "the queue loops";
    const uint64_t next = raw.ref(o, "java.lang.ref.Reference", "queueNext");
    if (next == id) break;
    id = next;
  }
  uint64_t all = 0, registered = 0, pending = 0, off = 0;
  for (const auto c : index.find_classes_by_name(kRef)) {
    for (hprof::ObjectIndex o = 0; o < index.object_count(); ++o) {
      if (index.kind(o) != hprof::ObjectKind::kInstance || index.class_of(o) != c) continue;
      ++all;
      const bool l = list.count(o) != 0, qd = queue.count(o) != 0;
      registered += l && !qd;
      pending += qd;
      off += !l && !qd;
    }
  }
  // What the corpus dump holds (hprof_inspect and the histogram agree: 317 FinalizerReferences).
  EXPECT_EQ(all, 317u);
  EXPECT_EQ(list.size(), 283u);
  EXPECT_TRUE(r.machinery_present);
  EXPECT_EQ(r.registered, registered);
  EXPECT_EQ(r.pending, pending);
  EXPECT_EQ(r.longest_chain, list.size());
  EXPECT_EQ(r.finalized_not_collected, off);
  // The FinalizerDaemon's thread, found through Daemons$FinalizerDaemon.INSTANCE.thread.
  const uint64_t daemon = raw.static_ref("java.lang.Daemons$FinalizerDaemon", "INSTANCE");
  const uint64_t thread = raw.ref(index.find(daemon), "java.lang.Daemons$Daemon", "thread");
  EXPECT_TRUE(r.thread.present);
  EXPECT_EQ(r.thread.object_id, thread);
  EXPECT_EQ(r.thread.name, "FinalizerDaemon");
  const bool finalizing =
      raw.ref(index.find(daemon), "java.lang.Daemons$FinalizerDaemon", "finalizingObject") != 0;
  EXPECT_EQ(r.being_finalized, finalizing ? 1u : 0u);
  // The FinalizerWatchdogDaemon (no fields of its own on this Android version): its thread,
  // and it watches FinalizerDaemon.finalizingObject.
  const uint64_t watchdog = raw.static_ref("java.lang.Daemons$FinalizerWatchdogDaemon", "INSTANCE");
  const uint64_t wd_thread = raw.ref(index.find(watchdog), "java.lang.Daemons$Daemon", "thread");
  ASSERT_NE(wd_thread, 0u);
  EXPECT_TRUE(r.watchdog.present);
  EXPECT_EQ(r.watchdog.thread_object_id, wd_thread);
  EXPECT_EQ(r.watchdog.thread_name, "FinalizerWatchdogDaemon");
  EXPECT_EQ(r.watchdog.thread_state, "");  // Dalvik dumps have no thread states
  EXPECT_EQ(r.watchdog.watched_object_id,
            raw.ref(index.find(daemon), "java.lang.Daemons$FinalizerDaemon", "finalizingObject"));
  EXPECT_EQ(r.watchdog.verdict, finalizing ? "watching" : "idle");
  uint64_t per_class = 0;
  for (const auto& c : r.by_class) per_class += c.registered + c.pending;
  EXPECT_EQ(per_class, registered + pending);
}

}  // namespace
}  // namespace heapscope::analysis
