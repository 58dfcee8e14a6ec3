// The subcommands; each returns an exit code (exit_codes.h).
#pragma once

#include <nlohmann/json.hpp>

#include "common.h"
#include "exit_codes.h"

namespace heapscope::cli {

struct HistogramOptions {
  size_t top = 0;  // 0 = all
  std::string sort = "shallow";
};

struct DominatorOptions {
  size_t top = 20;
  int depth = 1;
  bool strong_only = false;
};

nlohmann::ordered_json info_json(const analysis::Heap& heap);
int run_info(const CommonOptions& options);
int run_histogram(const CommonOptions& options, const HistogramOptions& histogram);
int run_dominators(const CommonOptions& options, const DominatorOptions& dominators);

}  // namespace heapscope::cli
