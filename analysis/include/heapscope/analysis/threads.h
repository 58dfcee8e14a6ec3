// Java threads in the dump: name, state (from Thread.threadStatus, or Thread.holder.threadStatus
// on JDK 19+), stack (TRACE/FRAME records) and the objects its frames hold (ROOT_JAVA_FRAME).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "heapscope/analysis/engine.h"

namespace heapscope::analysis {

struct ThreadView {
  hprof::ObjectIndex object = hprof::kNoObject;
  uint32_t serial = 0;
  std::string name;
  std::string state;  // NEW, RUNNABLE, BLOCKED, WAITING, TIMED_WAITING, TERMINATED, or ""
  std::optional<int64_t> status;  // raw JVMTI thread status bits
  bool daemon = false;
  struct Frame {
    std::string klass, method, source;
    int32_t line = 0;
    std::string text;  // "com.acme.Foo.bar(Foo.java:42)"
  };
  std::vector<Frame> frames;                            // innermost first
  std::vector<std::vector<hprof::ObjectIndex>> locals;  // per frame depth
};

// Every thread the dump lists (ROOT_THREAD_OBJ), in dump order.
std::vector<ThreadView> list_threads(const Engine& engine);

// Thread.State for JVMTI status bits (jdk.internal.misc.VM.toThreadState).
std::string thread_state_name(int64_t status);

}  // namespace heapscope::analysis
