// The analyzers in two stages, so that `build_report` can answer every "held only by" question
// of both from one shared reachability pass (CutReachability) instead of two full marking passes
// per question: scan (read the machinery's objects, fill the counts) and finish (held-only sets).
#pragma once

#include <map>
#include <vector>

#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/reachability.h"
#include "heapscope/analysis/report.h"

namespace heapscope::analysis::detail {

struct FinalizerScan {
  FinalizerReport report;
  NodeSet is_finalizer;                         // java.lang.ref.Finalizer instances
  std::vector<NodeIndex> finalizers;            // the same, as a list
  std::vector<hprof::ObjectIndex> referents;    // of every Finalizer, in index order
  std::vector<hprof::ObjectIndex> referent_of;  // per entry of `finalizers`, kNoObject if none
  hprof::ObjectIndex thread_object = hprof::kNoObject;  // the "Finalizer" thread
  std::vector<hprof::ObjectIndex> thread_locals;  // finalizable objects its frames hold, sorted
  std::map<hprof::ClassIndex, FinalizerClassStats> by_class;  // by the referent's class
};

FinalizerScan scan_finalization(const Engine& engine);
// Android's java.lang.ref.FinalizerReference into `scan` (android_finalizer.cpp); false when
// the dump has none.
bool scan_android_finalization(const Engine& engine, FinalizerScan& scan);
// Adds the two groups finalization needs: the Finalizers' referent edges and the Finalizer
// thread's references to the finalizable objects its frames hold (the one being finalized).
// Returns {referent group, frames group}; nothing when no Finalizer.
std::vector<size_t> add_finalizer_groups(const Engine& engine, const FinalizerScan& scan,
                                         CutReachability& reach);
// `base`: reachable with every group followed; `reduced`: strongly reachable with both
// finalization groups cut (the unfinalized list and the queue stay: they hold only Finalizers).
void finish_finalization(const Engine& engine, FinalizerScan& scan, const NodeSet& base,
                         const NodeSet& reduced);

struct TimerScan {
  std::vector<TimerReport> reports;
  // Per report: the queue's array and its cancelled tasks (the edges a purge() would cut).
  std::vector<hprof::ObjectIndex> arrays;
  std::vector<std::vector<hprof::ObjectIndex>> cancelled;
};

TimerScan scan_timers(const Engine& engine, uint64_t dump_time_ms);
// One group per queue with cancelled tasks: the array's references to them; -1 for the others.
std::vector<int> add_timer_groups(const Engine& engine, const TimerScan& scan,
                                  CutReachability& reach);
// `strong`: strongly reachable; `reduced[i]`: the same with queue i's group cut (empty sets for
// queues without cancelled tasks). Sorts the reports, biggest held-only first.
void finish_timers(const Engine& engine, TimerScan& scan, const NodeSet& strong,
                   const std::vector<NodeSet>& reduced);

}  // namespace heapscope::analysis::detail
