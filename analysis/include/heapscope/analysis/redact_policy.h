// What `heapscope redact` keeps: the primitive fields the analyzers decode, the classes whose names
// are the platform's, the thread names the JDK itself gives. The byte rewriting is hprof::redact().
#pragma once

#include <string_view>

#include "heapscope/hprof/redact.h"

namespace heapscope::analysis {

// The rules for hprof::redact() at `level`: keep_fields lists every primitive field an analyzer
// reads (threads.cpp, strings.cpp, analyzers/), so a redacted dump gives the same findings.
hprof::RedactRules redact_rules(hprof::RedactLevel level);

// java.*, javax.*, jdk.*, sun.*, com.sun.* (and Android's android.*, dalvik.*, libcore.*).
bool is_platform_class(std::string_view dotted_name);

// Names the JVM and the JDK give threads: "main", "Finalizer", "Reference Handler", "Timer-3",
// "pool-2-thread-1", "ForkJoinPool.commonPool-worker-1", "Thread-7", ... A name a program chose
// ("billing-timer") is not.
bool is_platform_thread_name(std::string_view name);

}  // namespace heapscope::analysis
