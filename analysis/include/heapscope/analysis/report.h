// The Report: everything `heapscope analyze` found, as plain values. One Report, many renderings
// (render.h: json, text, markdown, html); the GUI shows the same struct.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace heapscope::analysis {

inline constexpr int kReportSchemaVersion = 2;

enum class Severity : uint8_t { kInfo, kWarning, kCritical };
const char* to_string(Severity s);  // "info", "warning", "critical"

struct ClassCount {
  std::string klass;
  uint64_t count = 0;
  uint64_t bytes = 0;
};

struct FinalizerClassStats {
  std::string klass;  // class of the referent (the finalizable object)
  uint64_t registered = 0;
  uint64_t pending = 0;
  uint64_t being_finalized = 0;
  uint64_t finalized_not_collected = 0;
  uint64_t shallow_bytes = 0;    // of the referents in any state
  uint64_t held_only_count = 0;  // objects held only by finalization, attributed to this class:
  uint64_t held_only_bytes = 0;  // its referents and what they alone keep alive (rows add up)
};

struct FinalizerThreadReport {
  bool present = false;
  std::string name;                 // "Finalizer"
  std::string state;                // NEW, RUNNABLE, BLOCKED, WAITING, TIMED_WAITING, TERMINATED
  std::string verdict;              // idle | running | blocked | waiting | sleeping | absent
  std::string finalize_class;       // whose finalize() is on the stack, "" if none
  std::vector<std::string> frames;  // "java.lang.Object.wait(Object.java)" innermost first
  std::string blocked_on;           // what it waits for, and which thread holds it, when known
  uint64_t object_id = 0;
};

// Android's java.lang.Daemons$FinalizerWatchdogDaemon: it times each finalize() the
// FinalizerDaemon runs and kills the process when one takes over 10 s. What it watches is
// FinalizerDaemon.finalizingObject (the dump holds no timer state worth reading).
struct FinalizerWatchdogReport {
  bool present = false;      // the class is in the dump (Android only)
  std::string thread_name;   // "FinalizerWatchdogDaemon"; "" when its thread is not found
  std::string thread_state;  // "" when the dump has no thread states (Dalvik, ART)
  uint64_t thread_object_id = 0;
  uint64_t watched_object_id = 0;  // FinalizerDaemon.finalizingObject; 0 when none
  std::string watched_class;       // its class, "" when none
  // idle (nothing being finalized) | watching (a finalize() runs, the dump cannot tell for how
  // long) | stuck (the FinalizerDaemon is blocked, waiting or sleeping inside it: the watchdog
  // kills the app once that lasts 10 s) | absent (no watchdog thread)
  std::string verdict;
};

struct FinalizerReport {
  bool machinery_present = false;  // java.lang.ref.Finalizer is in the dump
  bool enabled = true;             // Finalizer.ENABLED (JDK 18+); true when absent
  uint64_t registered = 0;         // on the unfinalized list, not yet queued
  uint64_t pending = 0;            // in Finalizer.queue
  uint64_t being_finalized = 0;    // its finalize() is running on the Finalizer thread
  uint64_t finalized_not_collected = 0;
  std::optional<int64_t> queue_length_field;  // ReferenceQueue.queueLength as dumped
  uint64_t longest_chain = 0;                 // the unfinalized list's length
  // What the GC could free once finalization is done with it: referents reachable only through
  // Finalizer.referent (or the Finalizer thread's frames) and what only they keep alive. The
  // sum of by_class; 0 on a healthy heap.
  uint64_t held_only_count = 0;
  uint64_t held_only_bytes = 0;
  uint64_t bookkeeping_count = 0;  // the Finalizer objects of those referents (not included above)
  uint64_t bookkeeping_bytes = 0;
  FinalizerThreadReport thread;
  FinalizerWatchdogReport watchdog;           // Android only; present == false elsewhere
  std::vector<FinalizerClassStats> by_class;  // biggest first
};

struct TimerTaskCounts {
  uint64_t virgin = 0, scheduled = 0, executed = 0, cancelled = 0, unknown = 0;
};

struct TimerReport {
  std::string kind;        // "java.util.Timer" or "ScheduledThreadPoolExecutor"
  std::string klass;       // the Timer / executor class as dumped
  uint64_t object_id = 0;  // the Timer or executor
  uint64_t queue_id = 0;   // TaskQueue / DelayedWorkQueue
  std::string thread_name;
  bool alive = false;
  std::optional<bool> new_tasks_may_be_scheduled;  // Timer only
  std::optional<bool> remove_on_cancel;            // executor only
  uint64_t queue_size = 0;
  uint64_t capacity = 0;
  TimerTaskCounts tasks;
  std::vector<ClassCount> task_classes;
  uint64_t held_only_count = 0;  // objects freed if the cancelled tasks left the queue
  uint64_t held_only_bytes = 0;
  std::vector<ClassCount> held_only_by_class;
  std::string head_state;
  std::optional<int64_t> head_fires_in_ms;             // relative to the dump's timestamp
  std::optional<int64_t> last_cancelled_leaves_in_ms;  // when the last cancelled task is due
  std::string library;  // from the knowledge base, "" when no entry matched
};

// java.lang.ref.Cleaner (and jdk.internal.ref.Cleaner / sun.misc.Cleaner): analyzers/cleaner.h.
struct CleanerClassStats {
  std::string klass;             // class of the referent, or of the cleaning action
  uint64_t registered = 0;       // on the list, not enqueued
  uint64_t pending = 0;          // enqueued (by action class only: a pending referent is cleared)
  uint64_t never_cleanable = 0;  // the action strongly reaches its own referent
  uint64_t native_bytes = 0;     // Android NativeAllocationRegistry sizes of these registrations
};

// One Android libcore.util.NativeAllocationRegistry: its registrations on a Cleaner's list
// (a CleanerThunk action whose this$0 is the registry) and the native memory they stand for.
struct NativeRegistryStats {
  uint64_t registry_id = 0;
  uint64_t size = 0;             // NativeAllocationRegistry.size, malloc flag bit cleared
  uint64_t registrations = 0;    // registered + pending
  uint64_t native_bytes = 0;     // registrations * size
  uint64_t never_cleanable = 0;  // of those, the ones whose action reaches its referent
};

// One step of the path from a cleaning action to its referent: the object, and how it refers
// to the next step ("field arg$1"); the referent, last, has no `via`.
struct CleanerPathStep {
  uint64_t object_id = 0;
  std::string klass;
  std::string via;
};

struct NeverCleanableExample {
  uint64_t cleanable_id = 0;
  uint64_t action_id = 0;
  uint64_t referent_id = 0;
  std::string action_class, referent_class;
  std::vector<CleanerPathStep> path;  // action first, referent last
};

struct CleanerReport {
  std::string kind;  // "java.lang.ref.Cleaner" | "jdk.internal.ref.Cleaner" | "sun.misc.Cleaner"
  uint64_t object_id = 0;  // the java.lang.ref.Cleaner (or its CleanerImpl); 0 for the static lists
  std::string thread_name;
  std::string thread_state;
  std::string verdict;               // idle | running | blocked | waiting | sleeping | absent
  std::string running_action_class;  // the action on the thread's stack, "" if none
  std::vector<std::string> frames;   // innermost first
  uint64_t registered = 0;           // on the list, not enqueued (never-cleanable included)
  uint64_t pending = 0;              // enqueued, waiting for the Cleaner thread
  uint64_t being_cleaned = 0;        // its action is running (off the list, not in the queue)
  uint64_t never_cleanable = 0;
  uint64_t never_cleanable_bytes = 0;  // freed if those registrations could be cleaned
  uint64_t never_cleanable_objects = 0;
  uint64_t search_truncated = 0;  // actions whose bounded search stopped before an answer
  // Android NativeAllocationRegistry cleaners (sun.misc.Cleaner with a CleanerThunk action):
  // registered and pending, the native sizes they free, those of never-cleanable ones.
  uint64_t native_registrations = 0;
  uint64_t native_bytes = 0;
  uint64_t never_cleanable_native_bytes = 0;
  std::vector<NativeRegistryStats> by_registry;      // most native bytes first
  std::vector<CleanerClassStats> by_referent_class;  // most registered first
  std::vector<CleanerClassStats> by_action_class;
  std::vector<NeverCleanableExample> examples;  // a few, one per referent class first
};

// A value in a finding's evidence: a number or a text.
struct EvidenceValue {
  std::string key;
  std::optional<int64_t> number;
  std::string text;
};

struct Finding {
  std::string id;    // stable, e.g. "finalizer-backlog", "timer-cancelled-tasks:0x6c0b44c50"
  std::string kind;  // "finalizer-backlog", "finalizable-pileup", "timer-cancelled-tasks", ...
  Severity severity = Severity::kInfo;
  std::string title;
  std::string explanation;  // one paragraph: what happens and why
  std::string fix;
  std::string library;  // "PostgreSQL JDBC driver (pgjdbc)" when a knowledge entry matched
  std::vector<std::string> links;
  uint64_t retained_bytes = 0;  // what fixing it would free
  std::vector<EvidenceValue> evidence;
  std::vector<std::string> related;  // ids of findings that are the same problem
};

struct DominatorEntry {
  uint64_t object_id = 0;
  std::string klass;
  uint64_t shallow_bytes = 0;
  uint64_t retained_bytes = 0;
  uint64_t retained_count = 0;
};

struct HistogramEntry {
  std::string klass;
  uint64_t count = 0;
  uint64_t shallow_bytes = 0;
  uint64_t retained_bytes = 0;
  std::string loader;  // the defining loader as class_loaders.h names it ("" = bootstrap)
};

struct Report {
  int schema_version = kReportSchemaVersion;
  std::string tool_name = "heapscope";
  std::string tool_version;
  struct {
    std::string path;
    uint64_t bytes = 0;       // file size on disk
    std::string format;       // "JAVA PROFILE 1.0.2"
    std::string compression;  // none | gzip | gzip-chunked | zstd | bzip2
    uint32_t id_size = 0;
    uint64_t timestamp_ms = 0;
    std::string jdk;  // java.version when the dump shows it, else ""
  } dump;
  struct {
    uint64_t objects = 0, classes = 0, gc_roots = 0, shallow_bytes = 0;
    uint64_t reachable_bytes = 0, unreachable_objects = 0;
    double percent_of_file_used = 100.0;
    std::vector<std::string> parse_warnings;
  } summary;
  std::string retained_convention;  // "mat" or "strong-only": what dominators/histogram use
  FinalizerReport finalizer;
  std::vector<TimerReport> timers;
  std::vector<CleanerReport> cleaners;
  std::vector<Finding> findings;  // most severe first
  std::vector<DominatorEntry> dominators;
  std::vector<HistogramEntry> histogram;

  // The most severe finding's level, or nullopt when there is none.
  std::optional<Severity> worst() const;
};

}  // namespace heapscope::analysis
