// Cleaners: java.lang.ref.Cleaner (JDK 9+) and the JDK-internal jdk.internal.ref.Cleaner
// (sun.misc.Cleaner on JDK 8, behind direct ByteBuffers). Layouts per JDK:
// /shared/jdk-internals.md and docs/notes/cleaners.md.
//
// java.lang.ref.Cleaner.impl -> jdk.internal.ref.CleanerImpl:
//   list   JDK 9-21 `phantomCleanableList`: a sentinel PhantomCleanable heading a circular list
//          through PhantomCleanable.next; JDK 22+ `activeList`: a CleanableList whose `head` Node
//          chain (Node.next) holds arrays `arr[0..size)`
//   queue  `queue`, a ReferenceQueue (LIFO through Reference.next, the last points to itself)
//   thread the thread whose Runnable (Thread.target, or Thread.holder.task on JDK 19+) is the
//          CleanerImpl, else whose CleanerImpl.run frame holds it
// Each registration is a CleanerImpl$PhantomCleanableRef{referent, action}. States:
//   registered     on the list, not in the queue
//   pending        in the queue (the GC found the referent phantom-reachable and cleared it)
//   being cleaned  its action runs on the Cleaner thread (clean() took it off the list first)
// The Cleaner's own CleanerImpl$CleanerCleanable (referent: the Cleaner) is not counted.
//
// jdk.internal.ref.Cleaner / sun.misc.Cleaner: a static doubly linked list (`first`, `next`);
// `thunk` is the action; the Reference Handler thread runs them straight from the VM's pending
// list, which the dump does not show: pending is always 0 for these.
//
// Never cleanable: the action strongly reaches its own referent, so the referent can never
// become phantom-reachable while the Cleaner lives. Found by a bounded breadth-first search from
// the action (find_capture), which does not enter class objects (a path through static state is
// not the action's capture) nor other cleanables.
#pragma once

#include <cstdint>
#include <vector>

#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/reachability.h"
#include "heapscope/analysis/report.h"
#include "heapscope/hprof/progress.h"

namespace heapscope::analysis {

struct CleanerOptions {
  uint32_t search_budget = 4096;              // nodes one action's search may visit
  uint64_t total_budget = uint64_t{1} << 26;  // nodes all searches together may visit
  size_t examples = 3;                        // never-cleanable examples kept per Cleaner
};

// Every Cleaner in the dump, the most never-cleanable registrations first. `progress` (may be
// null) is polled for cancellation.
std::vector<CleanerReport> analyze_cleaners(const Engine& engine,
                                            const CleanerOptions& options = {},
                                            const hprof::Progress* progress = nullptr);

// The bounded search: a breadth-first search from `from` over edges that are not
// Reference.referent, never entering a node in `stop`, visiting at most `budget` nodes.
struct Capture {
  enum class Outcome : uint8_t { kFound, kNotFound, kTruncated } outcome = Outcome::kNotFound;
  std::vector<uint64_t> edges;  // the path's edges, from `from` to `target`
  uint32_t visited = 0;
};
Capture find_capture(const Graph& graph, NodeIndex from, NodeIndex target, const NodeSet& stop,
                     uint32_t budget);

}  // namespace heapscope::analysis
