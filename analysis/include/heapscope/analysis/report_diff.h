// Two Reports of the same application compared (`heapscope diff BASE NEW`): per class the change
// in instances, shallow and retained bytes; the findings that appeared, grew, shrank or went
// away; finalizer states per class; every timer/executor queue with its deltas.
//
// Everything is matched by name, never by object id, so that dumps of different JVMs (or of one
// JVM after a restart) compare: classes by name and defining loader (the loader's class and
// ClassLoader.name, class_loaders.h: com.example.plugin.PluginImpl of loader "plugin-tax" is not
// the one of "plugin-shipping"), queues by kind, thread name and class, findings by kind and the
// thread or class they are about.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "heapscope/analysis/report.h"

namespace heapscope::analysis {

// One figure in both dumps.
struct Change {
  uint64_t base = 0;
  uint64_t next = 0;
  int64_t delta() const { return static_cast<int64_t>(next) - static_cast<int64_t>(base); }
};

struct ClassChange {
  std::string klass;
  std::string loader;  // HistogramEntry::loader ("" = bootstrap)
  Change instances, shallow_bytes, retained_bytes;
};

enum class FindingChange : uint8_t { kAppeared, kGrew, kShrank, kWentAway, kUnchanged };
const char* to_string(FindingChange c);  // "appeared", "grew", "shrank", "went-away", "unchanged"

struct FindingDiff {
  std::string key;  // what matched the two findings: "timer-cancelled-tasks:heapscope-trend-timer"
  std::string kind;
  FindingChange change = FindingChange::kUnchanged;
  Severity severity = Severity::kInfo;  // in NEW, or in BASE when it went away
  std::string title;                    // in NEW, or in BASE when it went away
  Change retained_bytes;
};

struct FinalizerClassChange {
  std::string klass;
  Change registered, pending, being_finalized, held_only_bytes;
};

struct QueueChange {
  std::string kind;  // "java.util.Timer" or "ScheduledThreadPoolExecutor"
  std::string klass;
  std::string thread_name;
  bool in_base = false, in_next = false;
  Change queue_size, scheduled, cancelled, held_only_count, held_only_bytes;
};

struct ReportDiff {
  std::string base_path, next_path;
  uint64_t base_timestamp_ms = 0, next_timestamp_ms = 0;
  Change objects, classes, shallow_bytes, reachable_bytes;
  std::vector<ClassChange> classes_changed;  // biggest growth of retained, then shallow first
  size_t classes_unchanged = 0;              // classes with every figure equal (not listed)
  std::vector<FindingDiff> findings;         // appeared, grew, shrank, went away, unchanged
  Change finalizer_registered, finalizer_pending, finalizer_being_finalized;
  std::vector<FinalizerClassChange> finalizer_by_class;
  std::vector<QueueChange> queues;
};

// The Reports should carry the whole histogram (ReportOptions::top large enough); classes
// beyond a Report's histogram count as absent from it.
ReportDiff diff_reports(const Report& base, const Report& next);

// The key a queue is matched by across dumps:
// "java.util.Timer|heapscope-trend-timer|java.util.Timer".
std::string queue_key(const TimerReport& t);
// The key a finding is matched by across dumps (object ids differ between JVMs).
std::string finding_key(const Finding& f);

}  // namespace heapscope::analysis
