// The redaction policy (redact_policy.h). keep_fields must list every primitive field that
// analysis code reads through FieldLayouts; redact_test checks that a redacted dump's report
// equals the original's on the sample dumps.
#include "heapscope/analysis/redact_policy.h"

#include <array>
#include <cctype>
#include <string>

namespace heapscope::analysis {
namespace {

// (declaring class, field): read by threads.cpp, strings.cpp, analyzers/finalizer.cpp,
// analyzers/timer.cpp, analyzers/cleaner_lists.cpp.
constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kKeep = {{
    {"java.lang.Thread", "threadStatus"},
    {"java.lang.Thread", "daemon"},
    {"java.lang.Thread", "priority"},
    {"java.lang.Thread$FieldHolder", "threadStatus"},
    {"java.lang.Thread$FieldHolder", "daemon"},
    {"java.lang.Thread$FieldHolder", "priority"},
    {"java.lang.String", "coder"},
    {"java.lang.String", "offset"},
    {"java.lang.String", "count"},
    {"java.lang.ref.Finalizer", "ENABLED"},
    {"java.lang.ref.ReferenceQueue", "queueLength"},
    {"java.util.TaskQueue", "size"},
    {"java.util.TimerTask", "state"},
    {"java.util.TimerTask", "nextExecutionTime"},
    {"java.util.TimerTask", "period"},
    {"java.util.TimerThread", "newTasksMayBeScheduled"},
    {"java.util.concurrent.FutureTask", "state"},
    {"java.util.concurrent.ScheduledThreadPoolExecutor", "removeOnCancel"},
    {"java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "size"},
    {"jdk.internal.ref.CleanerImpl$CleanableList$Node", "size"},
}};

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

// "Timer-12" with prefix "Timer-": the rest is digits.
bool numbered(std::string_view s, std::string_view prefix) {
  if (!starts_with(s, prefix) || s.size() == prefix.size()) return false;
  for (char c : s.substr(prefix.size()))
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

hprof::RedactRules redact_rules(hprof::RedactLevel level) {
  hprof::RedactRules r;
  r.level = level;
  for (const auto& [klass, field] : kKeep)
    r.keep_fields.push_back({std::string(klass), std::string(field)});
  r.keep_static_strings.push_back({"java.lang.VersionProps", "java_version"});
  r.is_platform_class = is_platform_class;
  r.is_platform_thread_name = is_platform_thread_name;
  return r;
}

bool is_platform_class(std::string_view n) {
  for (std::string_view p :
       {"java.", "javax.", "jdk.", "sun.", "com.sun.", "android.", "dalvik.", "libcore."}) {
    if (starts_with(n, p)) return true;
  }
  return false;
}

bool is_platform_thread_name(std::string_view n) {
  for (std::string_view fixed :
       {"main", "Finalizer", "Reference Handler", "Signal Dispatcher", "Attach Listener",
        "Common-Cleaner", "Notification Thread", "Service Thread", "Monitor Deflation Thread",
        "Sweeper thread", "DestroyJavaVM", "process reaper", "FinalizerDaemon",
        "ReferenceQueueDaemon", "FinalizerWatchdogDaemon", "HeapTaskDaemon", "Signal Catcher"}) {
    if (n == fixed) return true;
  }
  if (numbered(n, "Timer-") || numbered(n, "Thread-") ||
      numbered(n, "ForkJoinPool.commonPool-worker-") || numbered(n, "C1 CompilerThread") ||
      numbered(n, "C2 CompilerThread")) {
    return true;
  }
  // "pool-3-thread-12" (Executors.defaultThreadFactory)
  if (starts_with(n, "pool-")) {
    const size_t dash = n.find("-thread-");
    if (dash != std::string_view::npos && numbered(n.substr(0, dash), "pool-") &&
        numbered(n.substr(dash + 1), "thread-")) {
      return true;
    }
  }
  return false;
}

}  // namespace heapscope::analysis
