// java.util.Timer and ScheduledThreadPoolExecutor queues: tasks by state, and what the cancelled
// tasks alone keep alive (a cancelled TimerTask only flips its state; it stays in the TaskQueue
// until it reaches the head and the TimerThread wakes, or until Timer.purge()).
//
// TaskQueue.queue is a 1-based binary heap: tasks are queue[1..size] (jdk-internals.md).
// ScheduledThreadPoolExecutor's DelayedWorkQueue holds queue[0..size); a task is cancelled when
// its FutureTask.state is CANCELLED (4) or later; wrappers are followed to a FutureTask field.
#pragma once

#include <vector>

#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/report.h"

namespace heapscope::analysis {

// `dump_time_ms` is the dump's timestamp (Header::timestamp_ms): due times are relative to it.
std::vector<TimerReport> analyze_timers(const Engine& engine, uint64_t dump_time_ms);

}  // namespace heapscope::analysis
