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
//   Daemons$FinalizerWatchdogDaemon   kills the process when one finalize() takes over 10 s;
//                       it times FinalizerDaemon.finalizingObject (Android 4.x: no fields of
//                       its own; later `needToWork`, `finalizerTimeoutNs`: not read)
// States as for the JVM: registered (on the list, not queued), pending (queued, still listed),
// being finalized (FinalizerDaemon.finalizingObject).
#include <unordered_set>

#include "follow.h"
#include "heapscope/analysis/threads.h"
#include "stages.h"

namespace heapscope::analysis::detail {
namespace {

constexpr std::string_view kFinRef = "java.lang.ref.FinalizerReference";

// Thread.State inside a finalize(), as for the JVM's Finalizer thread. Dalvik and ART dumps
// carry no thread states: a finalize() in progress may then be running or stuck ("running").
std::string verdict_in_finalize(const ThreadView& t) {
  if (t.state == "BLOCKED") return "blocked";
  if (t.state == "WAITING" || t.state == "TIMED_WAITING")
    return !t.frames.empty() && t.frames.front().method == "sleep" ? "sleeping" : "waiting";
  return "running";
}

const ThreadView* thread_of(const std::vector<ThreadView>& threads, hprof::ObjectIndex o) {
  if (o == hprof::kNoObject) return nullptr;
  for (const auto& t : threads) {
    if (t.object == o) return &t;
  }
  return nullptr;
}

// The Daemons$Daemon singleton of class `name` and its thread.
hprof::ObjectIndex daemon_of(const Engine& engine, std::string_view name) {
  for (auto c : engine.index().find_classes_by_name(name)) {
    if (auto d = static_object(engine.index(), c, "INSTANCE"); d != hprof::kNoObject) return d;
  }
  return hprof::kNoObject;
}

// The FinalizerDaemon's thread and the object it finalizes now.
void describe_daemon(const Engine& engine, const std::vector<ThreadView>& threads,
                     FinalizerReport& r, hprof::ObjectIndex& finalizing) {
  const auto& index = engine.index();
  auto& out = r.thread;
  out = FinalizerThreadReport{};
  out.verdict = "absent";
  const auto daemon = daemon_of(engine, "java.lang.Daemons$FinalizerDaemon");
  if (daemon == hprof::kNoObject) return;
  finalizing =
      follow_field(engine, daemon, "java.lang.Daemons$FinalizerDaemon", "finalizingObject");
  if (finalizing != hprof::kNoObject) out.finalize_class = engine.class_name_of(finalizing);
  const auto* t =
      thread_of(threads, follow_field(engine, daemon, "java.lang.Daemons$Daemon", "thread"));
  if (t == nullptr) return;
  out.present = true;
  out.name = t->name;
  out.state = t->state;
  out.object_id = index.object_id(t->object);
  for (const auto& f : t->frames) out.frames.push_back(f.text);
  out.verdict = finalizing != hprof::kNoObject ? verdict_in_finalize(*t) : "idle";
}

// The FinalizerWatchdogDaemon: its thread, and the finalize() it times (the FinalizerDaemon's
// finalizingObject: Daemons.java reads that field, the watchdog itself holds no reference).
void describe_watchdog(const Engine& engine, const std::vector<ThreadView>& threads,
                       FinalizerReport& r, hprof::ObjectIndex finalizing) {
  const auto& index = engine.index();
  auto& w = r.watchdog;
  w = FinalizerWatchdogReport{};
  const auto daemon = daemon_of(engine, "java.lang.Daemons$FinalizerWatchdogDaemon");
  if (daemon == hprof::kNoObject) return;
  w.present = true;
  w.verdict = "absent";
  if (const auto* t =
          thread_of(threads, follow_field(engine, daemon, "java.lang.Daemons$Daemon", "thread"))) {
    w.thread_name = t->name;
    w.thread_state = t->state;
    w.thread_object_id = index.object_id(t->object);
  }
  if (finalizing != hprof::kNoObject) {
    w.watched_object_id = index.object_id(finalizing);
    w.watched_class = engine.class_name_of(finalizing);
  }
  if (w.thread_object_id == 0) return;
  const auto& v = r.thread.verdict;
  w.verdict = finalizing == hprof::kNoObject                        ? "idle"
              : v == "blocked" || v == "waiting" || v == "sleeping" ? "stuck"
                                                                    : "watching";
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
  const auto threads = list_threads(engine);
  describe_daemon(engine, threads, r, finalizing);
  describe_watchdog(engine, threads, r, finalizing);
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
