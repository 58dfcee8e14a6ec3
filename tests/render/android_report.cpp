// A hand-built Android report: the FinalizerDaemon BLOCKED in a finalize() the watchdog times,
// and the static sun.misc.Cleaner list with NativeAllocationRegistry registrations, 3 of them
// never cleanable (3 MiB of native memory). The Cleaner findings come from the library's own
// rules (cleaner_findings); the finalizer ones need an Engine and are tested on hand-built dumps
// in tests/analysis/android_native_test.cpp.
#include "cleaner_findings.h"
#include "sample_report.h"

namespace heapscope::test {

using namespace analysis;

Report android_report() {
  Report r = empty_report();
  r.dump.path = "app.hprof";
  r.summary.reachable_bytes = 8'388'608;
  auto& f = r.finalizer;
  f.machinery_present = true;
  f.registered = 283;
  f.pending = 2;
  f.being_finalized = 1;
  f.longest_chain = 285;
  f.thread.present = true;
  f.thread.name = "FinalizerDaemon";
  f.thread.state = "BLOCKED";
  f.thread.verdict = "blocked";
  f.thread.finalize_class = "com.example.SlowStream";
  f.thread.object_id = 0x12c00500;
  f.watchdog.present = true;
  f.watchdog.thread_name = "FinalizerWatchdogDaemon";
  f.watchdog.thread_state = "TIMED_WAITING";
  f.watchdog.thread_object_id = 0x12c00510;
  f.watchdog.watched_object_id = 0x12c00400;
  f.watchdog.watched_class = "com.example.SlowStream";
  f.watchdog.verdict = "stuck";
  f.by_class = {{"com.example.SlowStream", 0, 0, 1, 0, 16, 0, 0},
                {"com.example.Stream", 283, 2, 0, 0, 4'560, 0, 0}};
  CleanerReport c;
  c.kind = "sun.misc.Cleaner";
  c.thread_name = "ReferenceQueueDaemon";
  c.verdict = "absent";
  c.registered = 9;
  c.never_cleanable = 3;
  c.never_cleanable_bytes = 3'208;
  c.never_cleanable_objects = 11;
  c.native_registrations = 8;
  c.native_bytes = 5 * 4'096 + 3 * 1'048'576;
  c.never_cleanable_native_bytes = 3 * 1'048'576;
  c.by_registry = {{0x12c000f0, 1'048'576, 3, 3 * 1'048'576, 3},
                   {0x12c000e0, 4'096, 5, 5 * 4'096, 0}};
  c.by_referent_class = {{"com.example.Bitmap", 5, 0, 0, 5 * 4'096},
                         {"com.example.Image", 3, 0, 3, 3 * 1'048'576},
                         {"com.example.Stream", 1, 0, 0, 0}};
  c.by_action_class = {
      {"libcore.util.NativeAllocationRegistry$CleanerThunk", 8, 0, 3, 5 * 4'096 + 3 * 1'048'576},
      {"com.example.Closer", 1, 0, 0, 0}};
  NeverCleanableExample x;
  x.cleanable_id = 0x12c00200;
  x.action_id = 0x12c00300;
  x.referent_id = 0x12c00090;
  x.action_class = "libcore.util.NativeAllocationRegistry$CleanerThunk";
  x.referent_class = "com.example.Image";
  x.path = {{x.action_id, x.action_class, "field this$0"},
            {0x12c000f0, "com.example.TrackingRegistry", "field tracked"},
            {0x12c000a0, "java.lang.Object[]", "[0]"},
            {x.referent_id, x.referent_class, ""}};
  c.examples = {x};
  r.cleaners = {c};
  r.findings = cleaner_findings(r.cleaners, r.summary.reachable_bytes);
  return r;
}

}  // namespace heapscope::test
