// A hand-built report with Cleaners: one whose lambdas capture their objects (never cleanable),
// one whose thread is blocked in a cleaning action, and the direct buffers' internal list. The
// findings come from the analysis library's own rules (cleaner_findings).
#include "cleaner_findings.h"
#include "sample_report.h"

namespace heapscope::test {

using namespace analysis;

Report cleaner_report() {
  Report r = empty_report();
  r.dump.path = "cleaner-leak.hprof";
  r.summary.reachable_bytes = 3'145'728;
  CleanerReport app;
  app.kind = "java.lang.ref.Cleaner";
  app.object_id = 0xf0001000;
  app.thread_name = "app-cleaner";
  app.thread_state = "TIMED_WAITING";
  app.verdict = "idle";
  app.frames = {"java.lang.Object.wait0(Native Method)",
                "java.lang.ref.ReferenceQueue.remove(ReferenceQueue.java:155)",
                "jdk.internal.ref.CleanerImpl.run(CleanerImpl.java:140)"};
  app.registered = 100;
  app.never_cleanable = 60;
  app.never_cleanable_bytes = 67'840;
  app.never_cleanable_objects = 240;
  app.by_referent_class = {{"com.acme.NativeImage", 40, 0, 0},
                           {"com.acme.Socket<script>", 60, 0, 60}};
  app.by_action_class = {{"com.acme.NativeImage$State", 40, 0, 0},
                         {"com.acme.Socket$$Lambda+0x0000000801001234", 60, 0, 60}};
  NeverCleanableExample x;
  x.cleanable_id = 0xf0002000;
  x.action_id = 0xf0002100;
  x.referent_id = 0xf0002200;
  x.action_class = "com.acme.Socket$$Lambda+0x0000000801001234";
  x.referent_class = "com.acme.Socket<script>";
  x.path = {{x.action_id, x.action_class, "field arg$1"}, {x.referent_id, x.referent_class, ""}};
  app.examples = {x};
  CleanerReport stuck;
  stuck.kind = "java.lang.ref.Cleaner";
  stuck.object_id = 0xf0003000;
  stuck.thread_name = "io-cleaner";
  stuck.thread_state = "BLOCKED";
  stuck.verdict = "blocked";
  stuck.running_action_class = "com.acme.Channel$Closer";
  stuck.registered = 2;
  stuck.pending = 11;
  stuck.being_cleaned = 1;
  stuck.by_referent_class = {{"com.acme.Channel", 2, 0, 0}};
  stuck.by_action_class = {{"com.acme.Channel$Closer", 2, 11, 0}};
  CleanerReport buffers;
  buffers.kind = "jdk.internal.ref.Cleaner";
  buffers.thread_name = "Reference Handler";
  buffers.thread_state = "RUNNABLE";
  buffers.verdict = "idle";
  buffers.registered = 5;
  buffers.by_referent_class = {{"java.nio.DirectByteBuffer", 5, 0, 0}};
  buffers.by_action_class = {{"java.nio.DirectByteBuffer$Deallocator", 5, 0, 0}};
  r.cleaners = {app, stuck, buffers};
  r.findings = cleaner_findings(r.cleaners, r.summary.reachable_bytes);
  return r;
}

}  // namespace heapscope::test
