#include "sample_report.h"

namespace heapscope::test {

using namespace analysis;

namespace {

EvidenceValue number(std::string key, int64_t n) {
  return {std::move(key), n, ""};
}
EvidenceValue text(std::string key, std::string t) {
  return {std::move(key), std::nullopt, std::move(t)};
}

constexpr const char* kStatement = "org.postgresql.jdbc3g.Jdbc3gPreparedStatement";
constexpr const char* kTimeoutTask = "org.postgresql.jdbc2.AbstractJdbc2Statement$1";
constexpr const char* kSlowResource = "com.example.leak.SlowResource";
constexpr const char* kPgjdbc = "PostgreSQL JDBC driver (pgjdbc)";

FinalizerReport finalizer() {
  FinalizerReport f;
  f.machinery_present = true;
  f.enabled = true;
  f.registered = 2017;
  f.pending = 1999;
  f.being_finalized = 1;
  f.finalized_not_collected = 0;
  f.queue_length_field = 1999;
  f.longest_chain = 4016;
  f.held_only_count = 8000;
  f.held_only_bytes = 1'032'000;
  f.bookkeeping_count = 2000;
  f.bookkeeping_bytes = 80'000;
  auto& t = f.thread;
  t.present = true;
  t.name = "Finalizer";
  t.state = "BLOCKED";
  t.verdict = "blocked";
  t.finalize_class = kSlowResource;
  t.frames = {"com.example.leak.SlowResource.finalize(SlowResource.java:31)",
              "java.lang.System$2.invokeFinalize(System.java:2301)",
              "java.lang.ref.Finalizer.runFinalizer(Finalizer.java:88)",
              "java.lang.ref.Finalizer$FinalizerThread.run(Finalizer.java:171)"};
  t.blocked_on = "java.lang.Object 0x7ffd02a10, held by thread \"main\"";
  t.object_id = 0x7ffd01b88;
  f.by_class = {
      {kStatement, 2017, 0, 0, 0, 306'584, 0, 0},
      {kSlowResource, 0, 1999, 1, 0, 32'000, 8000, 1'032'000},
  };
  return f;
}

TimerReport pg_timer() {
  TimerReport t;
  t.kind = "java.util.Timer";
  t.klass = "java.util.Timer";
  t.object_id = 0x6c0b44c50;
  t.queue_id = 0x6c0b44c78;
  t.thread_name = "PostgreSQL-JDBC-SharedTimer-1";
  t.alive = true;
  t.new_tasks_may_be_scheduled = true;
  t.queue_size = 2017;
  t.capacity = 2048;
  t.tasks = {0, 17, 0, 2000, 0};
  t.task_classes = {{kTimeoutTask, 2017, 0}};
  t.held_only_count = 12'000;
  t.held_only_bytes = 2'624'000;
  t.held_only_by_class = {{"byte[]", 4000, 2'176'000},
                          {kStatement, 2000, 304'000},
                          {kTimeoutTask, 2000, 64'000},
                          {"java.lang.String", 2000, 48'000},
                          {"java.lang.Object", 2000, 32'000}};
  t.head_state = "SCHEDULED";
  t.head_fires_in_ms = 2'999'412;
  t.last_cancelled_leaves_in_ms = 2'999'988;
  t.library = kPgjdbc;
  return t;
}

std::vector<Finding> findings() {
  Finding timer;
  timer.id = "timer-cancelled-tasks:0x6c0b44c50";
  timer.kind = "timer-cancelled-tasks";
  timer.severity = Severity::kCritical;
  timer.title =
      "Timer \"PostgreSQL-JDBC-SharedTimer-1\" keeps 2,000 cancelled tasks and the statements they "
      "reference";
  timer.explanation =
      "The PostgreSQL JDBC driver schedules a java.util.Timer task for every statement run with a "
      "query timeout. Closing the statement cancels the task, but a cancelled TimerTask only "
      "changes its state: it stays in the shared timer's TaskQueue, and keeps the statement and "
      "everything it references alive, until its due time comes or the queue is purged.";
  timer.fix =
      "Upgrade pgjdbc: later versions purge the shared timer when a timeout task is cancelled. "
      "Until then, avoid setQueryTimeout on hot paths (use the server-side statement_timeout).";
  timer.library = kPgjdbc;
  timer.links = {"https://docs.oracle.com/javase/8/docs/api/java/util/Timer.html#purge--"};
  timer.retained_bytes = 2'624'000;
  timer.evidence = {number("timer_id", 0x6c0b44c50),
                    text("thread", "PostgreSQL-JDBC-SharedTimer-1"),
                    number("queue_size", 2017),
                    number("cancelled_tasks", 2000),
                    number("scheduled_tasks", 17),
                    number("held_only_bytes", 2'624'000),
                    number("head_fires_in_ms", 2'999'412),
                    text("driver_version", "9.4.1212")};
  timer.related = {"finalizable-pileup:org.postgresql.jdbc3g.Jdbc3gPreparedStatement"};

  Finding backlog;
  backlog.id = "finalizer-backlog";
  backlog.kind = "finalizer-backlog";
  backlog.severity = Severity::kCritical;
  backlog.title =
      "The Finalizer thread is BLOCKED in com.example.leak.SlowResource.finalize(); "
      "1,999 objects wait behind it";
  backlog.explanation =
      "Objects whose class overrides finalize() are freed only after the single Finalizer thread "
      "has run their finalize(). This thread is blocked on a monitor held by \"main\", so the "
      "queue and everything the queued objects reference grow until the heap is exhausted.";
  backlog.fix =
      "Make sure no finalize() blocks (locks, I/O, sleeps); replace finalize() with "
      "try-with-resources and java.lang.ref.Cleaner.";
  backlog.links = {"https://openjdk.org/jeps/421"};
  backlog.retained_bytes = 1'032'000;
  backlog.evidence = {number("pending", 1999), number("being_finalized", 1),
                      text("thread_state", "BLOCKED"), text("finalize_class", kSlowResource),
                      number("held_only_bytes", 1'032'000)};

  Finding pileup;
  pileup.id = "finalizable-pileup:org.postgresql.jdbc3g.Jdbc3gPreparedStatement";
  pileup.kind = "finalizable-pileup";
  pileup.severity = Severity::kWarning;
  pileup.title = "2,017 org.postgresql.jdbc3g.Jdbc3gPreparedStatement registered for finalization";
  pileup.explanation =
      "Older pgjdbc statements override finalize(). Each is registered with the Finalizer when it "
      "is created and needs two garbage collections plus a run of the Finalizer thread before its "
      "memory is freed. Here they are still reachable through the timer's cancelled tasks.";
  pileup.fix = "Close statements explicitly (try-with-resources) and upgrade pgjdbc.";
  pileup.library = kPgjdbc;
  pileup.retained_bytes = 0;
  pileup.evidence = {number("registered", 2017), number("shallow_bytes", 306'584)};
  pileup.related = {"timer-cancelled-tasks:0x6c0b44c50"};

  Finding info;
  info.id = "finalization-in-use";
  info.kind = "finalization-in-use";
  info.severity = Severity::kInfo;
  info.title = "2 classes with objects registered for finalization";
  info.explanation = "Finalization is deprecated for removal (JEP 421).";
  info.fix = "Test the application with --finalization=disabled (JDK 18+).";
  info.evidence = {number("classes", 2)};

  return {timer, backlog, pileup, info};
}

}  // namespace

Report postgres_timer_report() {
  Report r;
  r.tool_version = "0.1.0";
  r.dump.path = "/var/tmp/dumps/pg-timer-leak.hprof.zst";
  r.dump.bytes = 871'623;
  r.dump.format = "JAVA PROFILE 1.0.2";
  r.dump.compression = "zstd";
  r.dump.id_size = 8;
  r.dump.timestamp_ms = 1'748'772'000'123;  // 2025-06-01 10:00:00 UTC
  r.dump.jdk = "17.0.15";
  r.summary.objects = 31'502;
  r.summary.classes = 1'187;
  r.summary.gc_roots = 2'391;
  r.summary.shallow_bytes = 6'512'344;
  r.summary.reachable_bytes = 6'398'120;
  r.summary.unreachable_objects = 96;
  r.summary.percent_of_file_used = 99.5;
  r.summary.parse_warnings = {"2 references to objects not in the dump were ignored"};
  r.retained_convention = "mat";
  r.finalizer = finalizer();
  r.timers = {pg_timer()};
  r.findings = findings();
  r.dominators = {
      {0x6c0b44c78, "java.util.TaskQueue", 24, 2'721'144, 12'019},
      {0x7ffd01b20, "java.lang.ref.ReferenceQueue", 32, 1'035'968, 8'001},
      {0x6c0a00010, "java.util.concurrent.ConcurrentHashMap$Node[]", 8'208, 312'448, 2'730}};
  r.histogram = {{"byte[]", 9'412, 3'102'112, 3'102'112},
                 {kStatement, 2'017, 306'584, 2'621'432},
                 {kSlowResource, 2'000, 32'000, 1'032'000}};
  return r;
}

Report empty_report() {
  Report r;
  r.tool_version = "0.1.0";
  r.dump.path = "clean.hprof";
  r.dump.bytes = 4'194'304;
  r.dump.format = "JAVA PROFILE 1.0.2";
  r.dump.compression = "none";
  r.dump.id_size = 8;
  r.dump.timestamp_ms = 1'748'772'000'000;
  r.retained_convention = "mat";
  r.finalizer.machinery_present = false;
  return r;
}

}  // namespace heapscope::test
