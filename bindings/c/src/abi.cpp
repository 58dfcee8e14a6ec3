// The C entry points (heapscope.h). Each one catches everything: no exception crosses the ABI.
#include <cstdlib>
#include <cstring>
#include <new>
#include <nlohmann/json.hpp>

#include "callback_progress.h"
#include "handle.h"
#include "heapscope/analysis/render.h"
#include "heapscope/analysis/render_views.h"
#include "heapscope/analysis/views.h"

namespace heapscope::capi {
namespace {

using analysis::EdgeFilter;

char* copy_string(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out) std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

std::string error_json(const Failure& f) {
  nlohmann::ordered_json j;
  j["error"] = {{"code", f.code}, {"message", f.message}};
  return j.dump() + "\n";
}

// Runs `query`, which writes the document or sets the failure; catches everything.
template <typename Query>
Failure run(Query&& query, std::string& document) noexcept {
  Failure failure{HEAPSCOPE_OK, {}};
  try {
    query(document, failure);
  } catch (const std::bad_alloc&) {
    failure = {HEAPSCOPE_ERROR_MEMORY_BUDGET, {}};
  } catch (const std::exception& e) {
    failure.code = HEAPSCOPE_ERROR_INTERNAL;
    try {
      failure.message = std::string("internal error: ") + e.what();
    } catch (...) {
    }
  } catch (...) {
    failure = {HEAPSCOPE_ERROR_INTERNAL, {}};
  }
  if (failure.code != HEAPSCOPE_OK && failure.message.empty()) {
    try {
      failure.message =
          failure.code == HEAPSCOPE_ERROR_MEMORY_BUDGET ? "out of memory" : "internal error";
    } catch (...) {
    }
  }
  return failure;
}

// A query: the document in *json, or the error document.
template <typename Query>
int answer(char** json, Query&& query) noexcept {
  if (!json) return HEAPSCOPE_ERROR_USAGE;
  std::string document;
  const Failure failure = run(query, document);
  if (failure.code == HEAPSCOPE_OK) {
    *json = copy_string(document);
    return *json ? HEAPSCOPE_OK : HEAPSCOPE_ERROR_MEMORY_BUDGET;
  }
  try {
    *json = copy_string(error_json(failure));
  } catch (...) {
    *json = nullptr;
  }
  return failure.code;
}

bool usage(Failure& failure, std::string message) {
  failure = {HEAPSCOPE_ERROR_USAGE, std::move(message)};
  return false;
}

bool convention_of(const heapscope_analysis& a, int convention, EdgeFilter& filter,
                   Failure& failure) {
  switch (convention) {
    case HEAPSCOPE_RETAINED_DEFAULT:
      filter = a.options.convention;
      return true;
    case HEAPSCOPE_RETAINED_MAT:
      filter = EdgeFilter::kAll;
      return true;
    case HEAPSCOPE_RETAINED_STRONG_ONLY:
      filter = EdgeFilter::kStrongOnly;
      return true;
    default:
      return usage(failure, "unknown retained-size convention " + std::to_string(convention));
  }
}

bool find_object(const heapscope_analysis& a, uint64_t id, hprof::ObjectIndex& o,
                 Failure& failure) {
  o = a.heap->index().find(id);
  if (o != hprof::kNoObject) return true;
  return usage(failure, "the dump has no object with id " + analysis::hex_object_id(id));
}

// A query about one object, answered from the MAT engine (as the CLI's path and object).
template <typename Render>
int about_object(heapscope_analysis* a, uint64_t object_id, char** json, Render&& render) {
  return answer(json, [&](std::string& out, Failure& failure) {
    if (!a) return (void)usage(failure, "no analysis");
    hprof::ObjectIndex o;
    if (!find_object(*a, object_id, o, failure)) return;
    const auto* engine = a->engine(EdgeFilter::kAll, failure);
    if (engine) out = render(*engine, o);
  });
}

}  // namespace
}  // namespace heapscope::capi

using namespace heapscope;
using capi::answer;
using capi::Failure;
using capi::run;

extern "C" {

const char* heapscope_version(void) {
  return "0.1.0";
}

heapscope_options* heapscope_options_new(void) {
  return new (std::nothrow) heapscope_options();
}

void heapscope_options_free(heapscope_options* options) {
  delete options;
}

int heapscope_options_set_memory_budget(heapscope_options* options, uint64_t bytes) {
  if (!options) return HEAPSCOPE_ERROR_USAGE;
  options->memory_budget = bytes;
  return HEAPSCOPE_OK;
}

int heapscope_options_set_threads(heapscope_options* options, unsigned threads) {
  if (!options) return HEAPSCOPE_ERROR_USAGE;
  options->threads = threads;
  return HEAPSCOPE_OK;
}

int heapscope_options_set_cache_dir(heapscope_options* options, const char* dir) {
  if (!options) return HEAPSCOPE_ERROR_USAGE;
  try {
    options->cache_dir = dir ? dir : "";
  } catch (...) {
    return HEAPSCOPE_ERROR_MEMORY_BUDGET;
  }
  return HEAPSCOPE_OK;
}

int heapscope_options_set_retained_convention(heapscope_options* options, int convention) {
  if (!options) return HEAPSCOPE_ERROR_USAGE;
  if (convention == HEAPSCOPE_RETAINED_MAT) {
    options->convention = analysis::EdgeFilter::kAll;
  } else if (convention == HEAPSCOPE_RETAINED_STRONG_ONLY) {
    options->convention = analysis::EdgeFilter::kStrongOnly;
  } else {
    return HEAPSCOPE_ERROR_USAGE;
  }
  return HEAPSCOPE_OK;
}

int heapscope_options_set_heap_dump(heapscope_options* options, unsigned number) {
  if (!options) return HEAPSCOPE_ERROR_USAGE;
  options->heap_dump = number;
  return HEAPSCOPE_OK;
}

int heapscope_options_set_progress(heapscope_options* options, heapscope_progress_fn callback,
                                   void* user) {
  if (!options) return HEAPSCOPE_ERROR_USAGE;
  options->progress = callback;
  options->progress_user = user;
  return HEAPSCOPE_OK;
}

int heapscope_open(const char* path, const heapscope_options* options, heapscope_analysis** out,
                   char** error_message) {
  if (error_message) *error_message = nullptr;
  if (!out) return HEAPSCOPE_ERROR_USAGE;
  *out = nullptr;
  std::string unused;
  const Failure failure = capi::run(
      [&](std::string&, Failure& failure) {
        if (!path) {
          failure = {HEAPSCOPE_ERROR_USAGE, "no path"};
          return;
        }
        auto a = std::make_unique<heapscope_analysis>();
        if (options) a->options = *options;
        a->path = path;
        capi::CallbackProgress progress(a->options.progress, a->options.progress_user);
        analysis::HeapOptions ho;
        ho.open.progress = &progress;
        ho.index.progress = &progress;
        ho.index.heap_dump_number = a->options.heap_dump;
        ho.index.threads = a->options.threads;
        ho.cache_dir = a->options.cache_dir;
        auto heap = analysis::Heap::open(path, ho);
        if (!heap) {
          failure = {capi::code_for(heap.error()),
                     std::string(path) + ": " + heap.error().describe()};
          return;
        }
        if (progress.cancelled()) {
          failure = {HEAPSCOPE_CANCELLED, "cancelled by the progress callback"};
          return;
        }
        a->heap = std::make_unique<analysis::Heap>(std::move(*heap));
        *out = a.release();
      },
      unused);
  if (failure.code != HEAPSCOPE_OK && error_message)
    *error_message = capi::copy_string(failure.message);
  return failure.code;
}

int heapscope_report_json(heapscope_analysis* a, char** json) {
  return answer(json, [&](std::string& out, Failure& failure) {
    if (!a) return (void)capi::usage(failure, "no analysis");
    const auto* engine = a->engine(analysis::EdgeFilter::kAll, failure);
    if (!engine) return;
    std::lock_guard lock(a->report_mutex);
    if (!a->report_json) {
      analysis::ReportOptions ro;
      ro.dump_path = a->path;
      // report_inputs is written once, when the engine was built; only this lock reads it.
      auto& inputs = a->slot(analysis::EdgeFilter::kAll).report_inputs;
      a->report_json =
          analysis::render_json(analysis::finish_report(*a->heap, *engine, inputs, ro));
    }
    out = *a->report_json;
  });
}

int heapscope_info_json(heapscope_analysis* a, char** json) {
  return answer(json, [&](std::string& out, Failure& failure) {
    if (!a) return (void)capi::usage(failure, "no analysis");
    out = analysis::render_json(analysis::info_view(*a->heap));
  });
}

int heapscope_histogram_json(heapscope_analysis* a, const char* sort, size_t top, int convention,
                             char** json) {
  return answer(json, [&](std::string& out, Failure& failure) {
    if (!a) return (void)capi::usage(failure, "no analysis");
    const std::string s = sort ? sort : "shallow";
    analysis::HistogramSort order = analysis::HistogramSort::kShallow;
    if (s == "count") {
      order = analysis::HistogramSort::kCount;
    } else if (s == "retained") {
      order = analysis::HistogramSort::kRetained;
    } else if (s != "shallow") {
      return (void)capi::usage(failure, "unknown sort \"" + s + "\" (count, shallow, retained)");
    }
    const analysis::Engine* engine = nullptr;
    if (order == analysis::HistogramSort::kRetained) {
      analysis::EdgeFilter filter;
      if (!capi::convention_of(*a, convention, filter, failure)) return;
      if (!(engine = a->engine(filter, failure))) return;
    }
    out = analysis::render_json(analysis::histogram_view(a->heap->index(), order, top, engine));
  });
}

int heapscope_dominators_json(heapscope_analysis* a, uint64_t object_id, size_t top, int depth,
                              int convention, char** json) {
  return answer(json, [&](std::string& out, Failure& failure) {
    if (!a) return (void)capi::usage(failure, "no analysis");
    if (depth < 1) return (void)capi::usage(failure, "depth must be at least 1");
    analysis::EdgeFilter filter;
    if (!capi::convention_of(*a, convention, filter, failure)) return;
    hprof::ObjectIndex of = analysis::kNoNode;
    if (object_id != 0 && !capi::find_object(*a, object_id, of, failure)) return;
    const auto* engine = a->engine(filter, failure);
    if (!engine) return;
    auto& slot = a->slot(filter);
    std::lock_guard lock(slot.children_mutex);
    out = analysis::render_json(analysis::dominators_view(*engine, *slot.children, of, top, depth));
  });
}

int heapscope_path_json(heapscope_analysis* a, uint64_t object_id, size_t max_paths,
                        int all_references, char** json) {
  const auto edges =
      all_references ? analysis::EdgeFilter::kAll : analysis::EdgeFilter::kStrongOnly;
  return capi::about_object(a, object_id, json, [&](const analysis::Engine& e, uint32_t o) {
    return analysis::render_json(analysis::paths_view(e, o, max_paths, edges));
  });
}

int heapscope_object_json(heapscope_analysis* a, uint64_t object_id, size_t max_elements,
                          char** json) {
  analysis::ObjectViewLimits limits;
  limits.max_elements = max_elements;
  return capi::about_object(a, object_id, json, [&](const analysis::Engine& e, uint32_t o) {
    return analysis::render_json(analysis::object_view(e, o, limits));
  });
}

void heapscope_string_free(char* s) {
  std::free(s);
}

void heapscope_close(heapscope_analysis* analysis) {
  delete analysis;
}

}  // extern "C"
