// Turning analyzer results into findings: what is wrong, the numbers that show it, the fix.
#include "findings.h"

#include <algorithm>
#include <cstdio>

#include "finding_parts.h"
#include "heapscope/analysis/knowledge.h"
#include "render/format.h"

namespace heapscope::analysis {
namespace {

using finding_parts::apply_entry;
using finding_parts::num;
using finding_parts::text;

std::string bytes_text(uint64_t b) {
  char buf[32];
  if (b >= (1ull << 30)) {
    std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(b) / (1ull << 30));
  } else if (b >= (1ull << 20)) {
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(b) / (1ull << 20));
  } else if (b >= 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(b) / 1024);
  } else {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(b));
  }
  return buf;
}

std::string count_text(uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

std::string duration_text(int64_t ms) {
  const bool past = ms < 0;
  uint64_t a = static_cast<uint64_t>(past ? -ms : ms);
  char buf[48];
  if (a >= 3600000) {
    std::snprintf(buf, sizeof buf, "%.1f h", static_cast<double>(a) / 3600000);
  } else if (a >= 60000) {
    std::snprintf(buf, sizeof buf, "%.1f min", static_cast<double>(a) / 60000);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(a) / 1000);
  }
  return past ? std::string(buf) + " ago" : "in " + std::string(buf);
}

void apply_knowledge(const Engine& engine, Finding& f, const std::vector<std::string>& classes,
                     std::string_view thread) {
  const KnowledgeEntry* k = match_knowledge(f.kind, classes, thread);
  if (k) apply_entry(f, *k, k->generic ? std::string() : library_version(engine, *k));
}

}  // namespace

std::vector<Finding> finalizer_findings(const Engine& engine, const FinalizerReport& r,
                                        uint64_t reachable_bytes) {
  std::vector<Finding> out;
  if (!r.machinery_present) return out;
  const auto& t = r.thread;
  const bool stuck = !t.finalize_class.empty() && t.verdict != "running";
  if (r.pending > 0 && (stuck || r.pending >= 1000)) {
    Finding f;
    f.kind = "finalizer-backlog";
    f.id = "finalizer-backlog";
    const bool big = r.held_only_bytes * 10 >= reachable_bytes;
    f.severity = (stuck && r.pending >= 100) || big ? Severity::kCritical : Severity::kWarning;
    f.retained_bytes = r.held_only_bytes;
    const std::string who = r.by_class.empty() ? "objects" : r.by_class.front().klass;
    if (stuck) {
      f.title = "Finalizer thread " + t.verdict + " in " + t.finalize_class + ".finalize(); " +
                count_text(r.pending) + " objects wait for finalization (" +
                bytes_text(r.held_only_bytes) + ")";
      f.explanation =
          "The Finalizer thread is " + t.state + " inside " + t.finalize_class + ".finalize()" +
          (t.blocked_on.empty() ? "" : ", waiting for the " + t.blocked_on) +
          ", so no other finalizer runs: " + count_text(r.pending) +
          " Finalizer objects are queued behind it" +
          (r.held_only_bytes > 0 ? " and " + bytes_text(r.held_only_bytes) +
                                       " is held only because they have not been finalized."
                                 : ".");
    } else {
      f.title = count_text(r.pending) + " objects wait for finalization (" +
                bytes_text(r.held_only_bytes) + ")";
      f.explanation = "The Finalizer queue holds " + count_text(r.pending) +
                      " objects: the Finalizer thread (" + (t.present ? t.state : "absent") +
                      ") is falling behind the allocation of finalizable objects.";
    }
    f.evidence = {num("pending", r.pending),
                  num("registered", r.registered),
                  num("being_finalized", r.being_finalized),
                  num("held_only_bytes", r.held_only_bytes),
                  text("finalizer_thread_state", t.state),
                  text("finalize_class", t.finalize_class),
                  text("top_class", who)};
    if (r.queue_length_field)
      f.evidence.push_back({"queue_length_field", *r.queue_length_field, {}});
    std::vector<std::string> classes{t.finalize_class};
    for (const auto& c : r.by_class) classes.push_back(c.klass);
    apply_knowledge(engine, f, classes, "");
    out.push_back(std::move(f));
  }
  // Android: the FinalizerWatchdogDaemon kills the app when one finalize() takes 10 s.
  const auto& w = r.watchdog;
  if (w.present && (w.verdict == "stuck" || (w.verdict == "watching" && r.pending > 0))) {
    Finding f;
    f.kind = "finalizer-watchdog";
    f.id = "finalizer-watchdog";
    const bool stuck_here = w.verdict == "stuck";
    f.severity = stuck_here         ? Severity::kCritical
                 : r.pending >= 100 ? Severity::kWarning
                                    : Severity::kInfo;
    f.retained_bytes = r.held_only_bytes;
    f.title = "FinalizerDaemon " + (stuck_here ? t.verdict : std::string("busy")) + " in " +
              w.watched_class + ".finalize(); " + count_text(r.pending) +
              " objects wait behind it (the watchdog kills the app when one finalize() takes "
              "10 s)";
    f.explanation =
        "Android's FinalizerWatchdogDaemon times every finalize() the FinalizerDaemon runs and "
        "kills the process (\"" +
        w.watched_class + ".finalize() timed out after 10 seconds\") when one takes longer. " +
        (stuck_here ? "The FinalizerDaemon is " + t.state + " inside " + w.watched_class +
                          ".finalize(), so it cannot finish in time unless what it waits for "
                          "comes first"
                    : "The dump shows a finalize() of " + w.watched_class +
                          " in progress but holds no thread states, so how long it has run "
                          "is unknown") +
        "; " + count_text(r.pending) + " FinalizerReferences are queued behind it.";
    f.fix =
        "finalize() must return quickly: do not block, lock or do I/O in it; release native "
        "resources through a Cleaner or NativeAllocationRegistry instead of a finalizer.";
    f.links = {"https://developer.android.com/reference/java/lang/Object#finalize()"};
    f.evidence = {num("pending", r.pending),
                  num("registered", r.registered),
                  text("watchdog_verdict", w.verdict),
                  text("finalizer_thread_state", t.state),
                  text("finalize_class", w.watched_class),
                  num("watched_object_id", w.watched_object_id)};
    if (!out.empty() && out.back().kind == "finalizer-backlog") {
      f.related.push_back(out.back().id);
      out.back().related.push_back(f.id);
    }
    out.push_back(std::move(f));
  }
  for (const auto& c : r.by_class) {
    const uint64_t live = c.registered + c.pending + c.being_finalized;
    if (c.registered < 1000) continue;
    Finding f;
    f.kind = "finalizable-pileup";
    f.id = "finalizable-pileup:" + c.klass;
    f.severity = c.registered >= 100000 ? Severity::kWarning : Severity::kInfo;
    f.retained_bytes = c.held_only_bytes;
    f.title = count_text(live) + " " + c.klass + " registered for finalization";
    f.explanation =
        count_text(c.registered) + " instances of " + c.klass +
        " are on the Finalizer's unfinalized list (" + count_text(c.pending) +
        " queued). Each needs a run of the Finalizer thread and an extra collection before "
        "its memory can be freed.";
    f.evidence = {num("registered", c.registered), num("pending", c.pending),
                  num("shallow_bytes", c.shallow_bytes), text("class", c.klass)};
    apply_knowledge(engine, f, {c.klass}, "");
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<Finding> timer_findings(const Engine& engine, const std::vector<TimerReport>& timers,
                                    uint64_t reachable_bytes) {
  std::vector<Finding> out;
  for (const auto& t : timers) {
    if (t.tasks.cancelled == 0) continue;
    if (t.remove_on_cancel.value_or(false)) continue;
    Finding f;
    const bool timer = t.kind == "java.util.Timer";
    f.kind = timer ? "timer-cancelled-tasks" : "executor-cancelled-tasks";
    f.id = f.kind + ":" + render::hex_id(t.queue_id);
    const bool big = t.held_only_bytes * 20 >= reachable_bytes;
    f.severity = big || (t.tasks.cancelled >= 1000 && t.held_only_bytes >= (1u << 20))
                     ? Severity::kCritical
                 : t.tasks.cancelled >= 100 || t.held_only_bytes >= (1u << 20) ? Severity::kWarning
                                                                               : Severity::kInfo;
    f.retained_bytes = t.held_only_bytes;
    const std::string name = t.thread_name.empty() ? t.klass : "\"" + t.thread_name + "\"";
    f.title = (timer ? "Timer " : "Scheduled executor ") + name + " holds " +
              count_text(t.tasks.cancelled) + " cancelled tasks keeping " +
              bytes_text(t.held_only_bytes) + " alive";
    std::string kept;
    for (size_t i = 0; i < t.held_only_by_class.size() && i < 4; ++i) {
      const auto& c = t.held_only_by_class[i];
      kept +=
          (i ? ", " : "") + count_text(c.count) + " " + c.klass + " (" + bytes_text(c.bytes) + ")";
    }
    f.explanation =
        "Its queue holds " + count_text(t.queue_size) + " tasks (" + count_text(t.tasks.cancelled) +
        " cancelled, " + count_text(t.tasks.scheduled) + " scheduled); the head task is " +
        (t.head_state.empty() ? "unknown" : t.head_state) +
        (t.head_fires_in_ms ? " and is due " + duration_text(*t.head_fires_in_ms) : "") +
        (t.last_cancelled_leaves_in_ms ? "; the last cancelled task would leave by itself " +
                                             duration_text(*t.last_cancelled_leaves_in_ms)
                                       : "") +
        ". The cancelled tasks alone keep alive " + kept +
        " (counted the way the GC sees it: a Finalizer's or weak reference's referent does "
        "not keep an object alive; the dominator tree, which follows Eclipse MAT, may show "
        "these objects elsewhere).";
    f.evidence = {
        num("queued_tasks", t.queue_size),         num("capacity", t.capacity),
        num("cancelled", t.tasks.cancelled),       num("scheduled", t.tasks.scheduled),
        num("held_only_bytes", t.held_only_bytes), num("held_only_count", t.held_only_count),
        text("thread_name", t.thread_name),        text("queue_id", render::hex_id(t.queue_id))};
    if (t.head_fires_in_ms) f.evidence.push_back({"head_fires_in_ms", *t.head_fires_in_ms, {}});
    std::vector<std::string> classes;
    for (const auto& c : t.task_classes) classes.push_back(c.klass);
    for (const auto& c : t.held_only_by_class) classes.push_back(c.klass);
    apply_knowledge(engine, f, classes, t.thread_name);
    out.push_back(std::move(f));
  }
  return out;
}

// A timer finding and the finalizable-pileup findings of the classes its cancelled tasks keep
// alive are one problem: each side says so once, naming every linked class. (A finalizer
// backlog is not linked: its queued objects are unreachable, so no task keeps them alive.)
void link_related(std::vector<Finding>& findings, const std::vector<TimerReport>& timers,
                  const FinalizerReport& fin) {
  for (auto& f : findings) {
    if (f.kind != "timer-cancelled-tasks" && f.kind != "executor-cancelled-tasks") continue;
    const TimerReport* t = nullptr;
    for (const auto& tr : timers) {
      if (f.id.ends_with(render::hex_id(tr.queue_id))) t = &tr;
    }
    if (!t) continue;
    const std::string timer = t->thread_name.empty() ? t->klass : "\"" + t->thread_name + "\"";
    std::vector<std::string> linked;
    for (auto& g : findings) {
      if (g.kind != "finalizable-pileup") continue;
      for (const auto& c : t->held_only_by_class) {
        if (g.id != "finalizable-pileup:" + c.klass) continue;
        if (std::find(f.related.begin(), f.related.end(), g.id) != f.related.end()) continue;
        uint64_t registered = 0;
        for (const auto& fc : fin.by_class) {
          if (fc.klass == c.klass) registered = fc.registered + fc.pending + fc.being_finalized;
        }
        f.related.push_back(g.id);
        g.related.push_back(f.id);
        linked.push_back(c.klass);
        g.explanation += " " +
                         (2 * c.count > registered ? std::string("Most of them")
                                                   : count_text(c.count) + " of them") +
                         " are kept alive by cancelled tasks in the timer " + timer + " (finding " +
                         f.id + "): that is the problem to fix.";
      }
    }
    if (linked.empty()) continue;
    std::string names;
    for (size_t i = 0; i < linked.size(); ++i) {
      names += (i == 0 ? "" : i + 1 == linked.size() ? " and " : ", ") + linked[i];
    }
    f.explanation += " The " + names +
                     " objects these tasks keep alive are also registered for finalization: " +
                     (linked.size() == 1 ? "the two findings are one problem, and fixing the "
                                           "timer fixes both."
                                         : "these findings are one problem, and fixing the "
                                           "timer fixes them all.");
  }
}

}  // namespace heapscope::analysis
