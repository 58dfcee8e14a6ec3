// `heapscope histogram DUMP`: instances and shallow bytes per class.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "commands.h"
#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/histogram.h"

namespace heapscope::cli {

int run_histogram(const CommonOptions& options, const HistogramOptions& h) {
  ProgressBar progress(options.quiet);
  int rc = kExitOk;
  auto heap = open_heap(options, progress, rc);
  if (!heap) return rc;
  const auto& idx = heap->index();
  const bool retained = h.sort == "retained";
  const auto sort = h.sort == "count" ? analysis::HistogramSort::kCount
                    : retained        ? analysis::HistogramSort::kRetained
                                      : analysis::HistogramSort::kShallow;
  auto rows = analysis::class_histogram(idx, sort);
  std::optional<analysis::Engine> engine;
  if (retained) {
    engine = build_engine(
        *heap, options, progress,
        h.strong_only ? analysis::EdgeFilter::kStrongOnly : analysis::EdgeFilter::kAll, rc);
    if (!engine) return rc;
    analysis::add_retained(rows, *engine);
    analysis::sort_histogram(rows, idx, sort);
  }
  const size_t shown = h.top == 0 ? rows.size() : std::min<size_t>(h.top, rows.size());
  if (options.format == "json") {
    nlohmann::ordered_json j;
    j["sort"] = h.sort;
    if (retained) j["convention"] = analysis::to_string(engine->filter());
    j["total_classes"] = rows.size();
    auto& arr = j["classes"] = nlohmann::ordered_json::array();
    for (size_t i = 0; i < shown; ++i) {
      nlohmann::ordered_json row{{"class", idx.class_info(rows[i].klass).name},
                                 {"count", rows[i].count},
                                 {"shallow_bytes", rows[i].shallow_bytes}};
      if (retained) row["retained_bytes"] = rows[i].retained_bytes;
      arr.push_back(std::move(row));
    }
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  if (retained) {
    std::printf("%12s %14s %14s  %s\n", "instances", "shallow bytes", "retained bytes", "class");
  } else {
    std::printf("%12s %14s  %s\n", "instances", "shallow bytes", "class");
  }
  uint64_t tc = 0, tb = 0;
  for (const auto& r : rows) {
    tc += r.count;
    tb += r.shallow_bytes;
  }
  for (size_t i = 0; i < shown; ++i) {
    std::printf("%12llu %14llu", static_cast<unsigned long long>(rows[i].count),
                static_cast<unsigned long long>(rows[i].shallow_bytes));
    if (retained) std::printf(" %14llu", static_cast<unsigned long long>(rows[i].retained_bytes));
    std::printf("  %s\n", idx.class_info(rows[i].klass).name.c_str());
  }
  if (shown < rows.size())
    std::printf("%12s %14s  (%zu more classes)\n", "...", "...", rows.size() - shown);
  std::printf("%12llu %14llu  total (%zu classes)\n", static_cast<unsigned long long>(tc),
              static_cast<unsigned long long>(tb), rows.size());
  return kExitOk;
}

}  // namespace heapscope::cli
