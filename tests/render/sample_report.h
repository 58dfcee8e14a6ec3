// Reports built by hand for the renderer tests.
#pragma once

#include "heapscope/analysis/report.h"

namespace heapscope::test {

// The PostgreSQL case: pgjdbc's shared Timer keeps 2,000 cancelled statement-timeout tasks (and
// the statements) alive, the statements are finalizable, and the Finalizer thread is BLOCKED in
// com.example.leak.SlowResource.finalize() with 1,999 more objects queued behind it. Two
// critical findings, a warning related to the timer one, an info; one timer; three dominators;
// three histogram rows.
analysis::Report postgres_timer_report();

// Nothing found: no findings, no finalization machinery, no timers, no dominators or histogram.
analysis::Report empty_report();

// Cleaners (cleaner_report.cpp): 60 never-cleanable registrations of a lambda-capturing class,
// a Cleaner thread BLOCKED in an action with 11 pending, the direct buffers' internal list.
analysis::Report cleaner_report();

// Android (android_report.cpp): the FinalizerDaemon BLOCKED in a finalize() the watchdog
// times; NativeAllocationRegistry registrations on sun.misc.Cleaner, 3 never cleanable (3 MiB).
analysis::Report android_report();

}  // namespace heapscope::test
