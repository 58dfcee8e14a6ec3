// Finalization: which finalizable objects wait in which state, what only finalization keeps
// alive, and what the Finalizer thread is doing. Layouts per JDK: /shared/jdk-internals.md;
// fields are looked up by declaring class (Finalizer.next shadows Reference.next).
//
// States (disjoint):
//   registered               on Finalizer.unfinalized, not in Finalizer.queue
//   pending                  in Finalizer.queue (a LIFO chain through Reference.next whose last
//                            element points to itself), still on the unfinalized list
//   being finalized          unlinked (Finalizer.next == itself), referent not yet cleared
//   finalized, not collected Finalizer.next == itself and referent == null
#pragma once

#include <vector>

#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/report.h"

namespace heapscope::analysis {

FinalizerReport analyze_finalization(const Engine& engine);

}  // namespace heapscope::analysis
