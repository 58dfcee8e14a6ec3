// What the opaque C handles hold: the options, and an analysis = the indexed heap plus the parts
// built on first use (one engine per retained-size convention, the analyzers' results, the
// report), each behind its own lock so that several threads can query one analysis at once.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/heap.h"
#include "heapscope/analysis/report_inputs.h"
#include "heapscope/heapscope.h"

struct heapscope_options {
  std::optional<uint64_t> memory_budget;  // nullopt: the memory available at the time
  unsigned threads = 0;
  std::string cache_dir;
  heapscope::analysis::EdgeFilter convention = heapscope::analysis::EdgeFilter::kAll;
  unsigned heap_dump = 0;
  heapscope_progress_fn progress = nullptr;
  void* progress_user = nullptr;
};

namespace heapscope::capi {

// A failure: one of the HEAPSCOPE_ codes and what happened.
struct Failure {
  int code = HEAPSCOPE_ERROR_INTERNAL;
  std::string message;
};
int code_for(const hprof::Error& error);

// One engine and what hangs off it, built once.
struct EngineSlot {
  std::mutex build_mutex;
  std::unique_ptr<analysis::Engine> engine;
  analysis::ReportInputs report_inputs;  // the kAll engine only
  std::mutex children_mutex;             // DominatorChildren sorts lazily
  std::unique_ptr<analysis::DominatorChildren> children;
};

}  // namespace heapscope::capi

struct heapscope_analysis {
  heapscope_options options;
  std::string path;  // as the caller named it (the report shows it)
  std::unique_ptr<heapscope::analysis::Heap> heap;
  heapscope::capi::EngineSlot slots[2];  // by EdgeFilter
  std::mutex report_mutex;
  std::optional<std::string> report_json;

  // The engine of this convention, built on first use (with the progress callback); nullptr
  // and `failure` set when building failed or was cancelled.
  const heapscope::analysis::Engine* engine(heapscope::analysis::EdgeFilter filter,
                                            heapscope::capi::Failure& failure);
  heapscope::capi::EngineSlot& slot(heapscope::analysis::EdgeFilter filter) {
    return slots[filter == heapscope::analysis::EdgeFilter::kAll ? 0 : 1];
  }
};
