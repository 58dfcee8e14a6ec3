// Android finalization (libcore, Dalvik and ART): java.lang.ref.FinalizerReference instead of
// java.lang.ref.Finalizer. Read into the same FinalizerScan, so that the held-only question and
// the findings are those of the JVM.
//
//   FinalizerReference  static `head`: doubly linked list through `next` (newest first);
//                       static `queue`: ReferenceQueue, LIFO through Reference.queueNext whose
//                       last element points to itself; `zombie`: the object once the GC has
//                       found it unreachable (`referent` is cleared then)
//   Daemons$FinalizerDaemon.INSTANCE  `thread` (Daemons$Daemon), `finalizingObject`: the object
//                       whose finalize() runs now (the daemon took it off the list and the queue)
//   Daemons$FinalizerWatchdogDaemon   kills the process when one finalize() takes over 10 s
// States as for the JVM: registered (on the list, not queued), pending (queued, still listed),
// being finalized (FinalizerDaemon.finalizingObject).
#include <unordered_set>

#include "follow.h"
#include "heapscope/analysis/threads.h"
#include "stages.h"

namespace heapscope::analysis::detail {
namespace {

constexpr std::string_view kFinRef = "java.lang.ref.FinalizerReference";

// The FinalizerDaemon's thread and the object it finalizes now.
void describe_daemon(const Engine& engine, FinalizerReport& r, hprof::ObjectIndex& finalizing) {
  const auto& index = engine.index();
  auto& out = r.thread;
  out = FinalizerThreadReport{};
  out.verdict = "absent";
  for (auto c : index.find_classes_by_name("java.lang.Daemons$FinalizerDaemon")) {
    const auto daemon = static_object(index, c, "INSTANCE");
    const auto thread = follow_field(engine, daemon, "java.lang.Daemons$Daemon", "thread");
    finalizing =
        follow_field(engine, daemon, "java.lang.Daemons$FinalizerDaemon", "finalizingObject");
    if (finalizing != hprof::kNoObject) out.finalize_class = engine.class_name_of(finalizing);
    for (const auto& t : list_threads(engine)) {
      if (t.object != thread || thread == hprof::kNoObject) continue;
      out.present = true;
      out.name = t.name;
      out.state = t.state;
      out.object_id = index.object_id(t.object);
      for (const auto& f : t.frames) out.frames.push_back(f.text);
    }
    // Dalvik dumps carry neither thread states nor stacks: a finalize() in progress is all
    // that is known, and it may be running or stuck.
    if (out.present) out.verdict = finalizing != hprof::kNoObject ? "running" : "idle";
  }
}

}  // namespace

bool scan_android_finalization(const Engine& engine, FinalizerScan& scan) {
  const auto& index = engine.index();
  const auto classes = index.find_classes_by_name(kFinRef);
  if (classes.empty()) return false;
  FinalizerReport& r = scan.report;
  r.machinery_present = true;
  const hprof::ClassIndex fc = classes.front();
  const uint32_t n = index.object_count();
  for (hprof::ObjectIndex o = 0; o < n; ++o) {
    if (index.kind(o) == hprof::ObjectKind::kInstance && index.class_of(o) == fc) {
      scan.is_finalizer.add(o);
      scan.finalizers.push_back(o);
    }
  }
  std::unordered_set<hprof::ObjectIndex> on_list, in_queue;
  for (auto o = static_object(index, fc, "head");
       o != hprof::kNoObject && scan.is_finalizer.has(o) && on_list.insert(o).second;
       o = follow_field(engine, o, kFinRef, "next")) {
    ++r.longest_chain;
  }
  const auto queue = static_object(index, fc, "queue");
  for (auto o = follow_field(engine, queue, "java.lang.ref.ReferenceQueue", "head");
       o != hprof::kNoObject && in_queue.insert(o).second;) {
    const auto next = follow_field(engine, o, "java.lang.ref.Reference", "queueNext");
    if (next == o) break;
    o = next;
  }
  hprof::ObjectIndex finalizing = hprof::kNoObject;
  describe_daemon(engine, r, finalizing);
  for (const auto o : scan.finalizers) {
    auto object = follow_field(engine, o, "java.lang.ref.Reference", "referent");
    if (object == hprof::kNoObject) object = follow_field(engine, o, kFinRef, "zombie");
    scan.referent_of.push_back(object);
    const auto rc = object == hprof::kNoObject ? hprof::kNoClass : index.class_of(object);
    auto& st = scan.by_class[rc];
    if (object != hprof::kNoObject) {
      st.shallow_bytes += index.shallow_size(object);
      scan.referents.push_back(object);
    }
    if (in_queue.count(o)) {
      ++st.pending;
      ++r.pending;
    } else if (on_list.count(o)) {
      ++st.registered;
      ++r.registered;
    } else {
      ++st.finalized_not_collected;  // off the list and the queue: done with, not yet collected
      ++r.finalized_not_collected;
    }
  }
  if (finalizing != hprof::kNoObject) {
    ++r.being_finalized;
    auto& st = scan.by_class[index.class_of(finalizing)];
    ++st.being_finalized;
    st.shallow_bytes += index.shallow_size(finalizing);
  }
  return true;
}

}  // namespace heapscope::analysis::detail
