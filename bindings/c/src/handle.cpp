#include "handle.h"

#include "callback_progress.h"
#include "heapscope/analysis/system_memory.h"

namespace heapscope::capi {

int code_for(const hprof::Error& error) {
  switch (error.code) {
    case hprof::ErrorCode::kTooLarge:
    case hprof::ErrorCode::kMemoryBudget:
      return HEAPSCOPE_ERROR_MEMORY_BUDGET;
    case hprof::ErrorCode::kCancelled:
      return HEAPSCOPE_CANCELLED;
    default:
      return HEAPSCOPE_ERROR_BAD_INPUT;
  }
}

}  // namespace heapscope::capi

using heapscope::analysis::EdgeFilter;
using heapscope::analysis::Engine;

const Engine* heapscope_analysis::engine(EdgeFilter filter, heapscope::capi::Failure& failure) {
  auto& s = slot(filter);
  std::lock_guard lock(s.build_mutex);
  if (s.engine) return s.engine.get();
  heapscope::capi::CallbackProgress progress(options.progress, options.progress_user);
  heapscope::analysis::EngineOptions eo;
  eo.filter = filter;
  eo.threads = options.threads;
  eo.progress = &progress;
  eo.memory_budget = options.memory_budget.value_or(heapscope::analysis::available_memory_bytes());
  eo.cache_dir = heap->cache_use().file.parent_path();  // the index's cache directory
  heapscope::analysis::ReportInputs inputs;
  if (filter == EdgeFilter::kAll) {
    // As `heapscope analyze`: the analyzers run beside the dominator tree.
    eo.alongside_dominators =
        heapscope::analysis::gather_report_inputs(*heap, inputs, eo.cache_dir, &progress);
  }
  auto built = Engine::build(*heap, eo);
  if (!built) {
    failure = {heapscope::capi::code_for(built.error()), built.error().describe()};
    return nullptr;
  }
  if (progress.cancelled()) {
    failure = {HEAPSCOPE_CANCELLED, "cancelled by the progress callback"};
    return nullptr;
  }
  s.engine = std::make_unique<Engine>(std::move(*built));
  s.report_inputs = std::move(inputs);
  s.children = std::make_unique<heapscope::analysis::DominatorChildren>(s.engine->tree(),
                                                                        s.engine->retained());
  return s.engine.get();
}
